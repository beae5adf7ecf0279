//! Agent hooks: the same engine behind Claude Code, Cursor, Codex and Gemini CLI.
//!
//! A hook receives a whole shell string before the shell runs it. `judge` hands it to the
//! walker (`crate::walk`), which finds every command it will run, and to the one engine loop
//! (`crate::judge`) the shims and `check` use too. `protocol` turns the judgement into each
//! agent's answer. Nothing in here may fail open: any error becomes a refusal.

mod agents;
pub(crate) mod protocol;

use std::path::Path;

use crate::invocation::Env;
use crate::judge::Judgement;

/// Judge a shell command line run in `cwd`, in this process' environment.
pub(crate) fn judge(command: &str, cwd: &Path) -> Judgement {
    crate::judge::judge(&crate::walk::script(command, cwd, &Env::from_process()))
}
