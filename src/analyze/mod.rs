//! Analyzers: an `Invocation` in, `Facts` out. They decide nothing.
//!
//! Each family reads its program's arguments the way the real program will. Programs without
//! a dedicated analyzer are read by the shared argv analyzer, driven by the `[[program]]`
//! table of the rule files. An analyzer that cannot see something that could matter says so
//! in `Facts::unknown`; it never guesses "safe".

pub mod argv;

use crate::facts::Facts;
use crate::invocation::Invocation;
use crate::rules::model::ProgramSpec;

/// The facts of `inv`. `spec` is the program's argv table, when a rule file has one.
pub fn analyze(inv: &mut Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let args = inv.args_lossy();
    let mut facts = argv::analyze(&args, spec, &inv.env);
    facts.notes.extend(inv.notes.iter().cloned());
    facts
}
