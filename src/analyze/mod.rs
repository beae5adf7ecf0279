//! Analyzers: an `Invocation` in, `Facts` out. They decide nothing.
//!
//! Each family reads its program's arguments the way the real program will. Programs without
//! a dedicated analyzer are read by the shared argv analyzer, driven by the `[[program]]`
//! table of the rule files. An analyzer that cannot see something that could matter says so
//! in `Facts::unknown`; it never guesses "safe".

pub mod argv;
pub mod clients;
pub mod git;
pub mod graphql;
pub mod http;
pub mod input;
pub(crate) mod options;
pub mod railway;
pub mod spec;
pub mod sql;

use crate::facts::Facts;
use crate::invocation::Invocation;
use spec::ProgramSpec;

/// The facts of `inv`. `spec` is the program's argv table, when a rule file has one.
pub fn analyze(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = match inv.program.as_str() {
        "curl" => http::curl(inv),
        "wget" => http::wget(inv),
        "http" | "https" | "xh" | "xhs" => http::httpie(inv),
        "railway" => railway::analyze(inv, spec),
        "git" => git::analyze(inv, spec),
        "gh" => git::gh(inv, spec),
        "psql" => clients::psql(inv, spec),
        "mysql" | "mariadb" => clients::mysql(inv, spec),
        "sqlite3" => clients::sqlite3(inv, spec),
        "redis-cli" | "valkey-cli" => clients::redis_cli(inv, spec),
        "mongosh" | "mongo" => clients::mongosh(inv, spec),
        _ => argv::analyze(&inv.args_lossy(), spec, &inv.env),
    };
    facts.notes.extend(inv.notes.iter().cloned());
    for t in &inv.targets {
        facts.add_target(t.clone());
    }
    facts
}
