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

use crate::analyze::spec::ProgramSpec;
use crate::rules::RuleSet;

/// Each program's rule set, by name, loaded when first asked for.
#[derive(Debug, Default)]
pub struct Registry {
    sets: RefCell<HashMap<String, Rc<RuleSet>>>,
}

impl Registry {
    /// A registry that already holds `program`'s rules (the shim loaded them to decide
    /// whether there is anything to judge).
    pub fn with(program: &str, rules: RuleSet) -> Registry {
        let registry = Registry::default();
        registry.sets.borrow_mut().insert(program.to_string(), Rc::new(rules));
        registry
    }

    /// The rules and tables in force for `program`.
    pub fn rules(&self, program: &str) -> Rc<RuleSet> {
        if let Some(set) = self.sets.borrow().get(program) {
            return Rc::clone(set);
        }
        let set = Rc::new(RuleSet::for_program(program));
        self.sets.borrow_mut().insert(program.to_string(), Rc::clone(&set));
        set
    }

    /// `program`'s `[[program]]` table, if a rule file has one, passed to `f`.
    pub fn with_spec<R>(&self, program: &str, f: impl FnOnce(Option<&ProgramSpec>) -> R) -> R {
        let rules = self.rules(program);
        f(rules.program(program))
    }

    /// Whether `program` runs another command by its table (a wrapper).
    pub fn is_wrapper(&self, program: &str) -> bool {
        self.with_spec(program, |spec| spec.is_some_and(ProgramSpec::is_wrapper))
    }

    /// Whether interlock has anything to say about `program`: a rule names it or a table
    /// describes it. The one answer to "is this program guarded?".
    pub fn guarded(&self, program: &str) -> bool {
        let rules = self.rules(program);
        !rules.rules.is_empty() || rules.program(program).is_some()
    }
}
