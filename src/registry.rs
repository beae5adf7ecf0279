//! The registry: what each program is, from its `[[program]]` table and its rules (built-in,
//! system and user), loaded on demand and once per program name for one call.
//!
//! Every question about a program goes through here — which analyzer reads it, whether it
//! runs another command and how, whether it is guarded — so a user's table for an in-house
//! CLI is a built-in's equal. The walker asks while it finds the commands of a call, and the
//! engine loop reuses what the walker loaded: a program's rules are read once per call.
//!
//! Invariant: loading only reads rule files; it never fails (a file that does not load is in
//! `RuleSet::errors`, and the built-in rules still apply).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::analyze::spec::{Console, Language, ProgramSpec, Reader, Tasks};
use crate::rules::RuleSet;

/// Each program's rule set, by name, loaded when first asked for.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    sets: RefCell<HashMap<String, Rc<RuleSet>>>,
}

impl Registry {
    /// A registry that already holds `program`'s rules (the shim loaded them to decide
    /// whether there is anything to judge).
    pub(crate) fn with(program: &str, rules: RuleSet) -> Registry {
        let registry = Registry::default();
        registry.sets.borrow_mut().insert(program.to_string(), Rc::new(rules));
        registry
    }

    /// The rules and tables in force for `program`.
    pub(crate) fn rules(&self, program: &str) -> Rc<RuleSet> {
        if let Some(set) = self.sets.borrow().get(program) {
            return Rc::clone(set);
        }
        let set = Rc::new(RuleSet::for_program(program));
        self.sets.borrow_mut().insert(program.to_string(), Rc::clone(&set));
        set
    }

    /// `program`'s `[[program]]` table, if a rule file has one, passed to `f`.
    pub(crate) fn with_spec<R>(&self, program: &str, f: impl FnOnce(Option<&ProgramSpec>) -> R) -> R {
        let rules = self.rules(program);
        f(rules.program(program))
    }

    /// Whether the walker finds more in a call of `program` than the call itself (see
    /// `ProgramSpec::runs_others`).
    pub(crate) fn runs_others(&self, program: &str) -> bool {
        self.with_spec(program, |spec| spec.is_some_and(ProgramSpec::runs_others))
    }

    /// The Rust reader of `program`, if its table names one.
    pub(crate) fn reader(&self, program: &str) -> Option<Reader> {
        self.with_spec(program, |spec| spec.and_then(|s| s.reader))
    }

    /// Whether `program` is a shell (`bash`, `sh`, …).
    pub(crate) fn is_shell(&self, program: &str) -> bool {
        self.reader(program) == Some(Reader::Shell)
    }

    /// The project tasks `program` runs, if it is a task runner.
    pub(crate) fn tasks(&self, program: &str) -> Option<Tasks> {
        self.with_spec(program, |spec| spec.and_then(|s| s.tasks))
    }

    /// The language of the code `program` runs, and the framework console it is, if any. A
    /// versioned name (`python3.12`, `lua5.4`) is its family's (`python`, `lua`) when it has
    /// no table of its own.
    pub(crate) fn language(&self, program: &str) -> (Option<Language>, Option<Console>) {
        let of = |p: &str| self.with_spec(p, |spec| spec.map(|s| (s.language, s.console)));
        of(program)
            .or_else(|| {
                let family = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                (family != program && !family.is_empty()).then(|| of(family)).flatten()
            })
            .unwrap_or((None, None))
    }

    /// Whether interlock has anything to say about `program`: a rule names it or a table
    /// describes it. The one answer to "is this program guarded?".
    pub(crate) fn guarded(&self, program: &str) -> bool {
        let rules = self.rules(program);
        !rules.rules.is_empty() || rules.program(program).is_some()
    }
}
