//! Rules: data that turns facts into matches.
//!
//! Built-in rules are compiled into the binary (`rules/*.toml`), system rules live in
//! `/etc/interlock/rules`, user rules in the config directory. This module loads and matches;
//! it touches no terminal, runs nothing and writes nothing.

pub(crate) mod builtin;
mod cache;
pub(crate) mod groups;
mod load;
mod matcher;
pub(crate) mod model;
pub(crate) mod patterns;

pub use load::RuleSet;
pub(crate) use load::{Origin, Rule, project_rule_dirs};
