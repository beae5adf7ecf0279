//! The rule-file format, as serde sees it.
//!
//! A rule file holds `[[program]]` tables (how to read a program's argv) and `[[rule]]`
//! tables (which facts call for a human). Every field is checked: an unknown key is an error
//! with its line and column, never silently ignored.

use serde::{Deserialize, Serialize};

pub(crate) use crate::analyze::spec::ProgramSpec;
use crate::facts::OperationKind;
use crate::verdict::{Decision, Severity};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    #[serde(default)]
    pub program: Vec<ProgramSpec>,
    /// Each with where it starts in the file (for `file:line` in errors and listings).
    #[serde(default)]
    pub rule: Vec<toml::Spanned<RuleSpec>>,
    /// Ids of rules to switch off (loosens protection: needs a human's acceptance).
    #[serde(default)]
    pub disable: Vec<String>,
    /// Named groups of programs that rules name as `@NAME` (`rules/groups.toml`). The
    /// built-in files' groups are shared by every file.
    #[serde(default)]
    pub group: Vec<GroupSpec>,
    /// Named patterns that rules' regexes name as `{NAME}` (`rules/patterns.toml`). The
    /// built-in files' patterns are shared by every file.
    #[serde(default)]
    pub pattern: Vec<PatternSpec>,
}

/// A named pattern: `[[pattern]] name = "build_outputs" regex = 'node_modules|target|…'`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatternSpec {
    pub name: String,
    pub regex: String,
}

/// A named group of programs: `[[group]] name = "http-clients" programs = ["curl", …]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupSpec {
    pub name: String,
    pub programs: Vec<String>,
}

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

/// What a rule does when it matches. `allow` can only be used to loosen, which needs a
/// human's acknowledgement before it takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Allow,
    Confirm,
    Deny,
}

impl Action {
    pub fn decision(self) -> Decision {
        match self {
            Action::Allow => Decision::Allow,
            Action::Confirm => Decision::Confirm,
            Action::Deny => Decision::Deny,
        }
    }
}

/// An example command line: a shell-quoted string (leading `NAME=value` words set the
/// environment), optionally with what arrives on standard input.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Example {
    Line(String),
    Full {
        cmd: String,
        #[serde(default)]
        stdin: Option<String>,
    },
}

impl Example {
    pub fn cmd(&self) -> &str {
        match self {
            Example::Line(s) => s,
            Example::Full { cmd, .. } => cmd,
        }
    }

    pub fn stdin(&self) -> Option<&str> {
        match self {
            Example::Line(_) => None,
            Example::Full { stdin, .. } => stdin.as_deref(),
        }
    }
}

/// One rule. Every condition present must hold; list-valued conditions hold when any item
/// does.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub program: OneOrMany,
    pub action: Action,
    pub severity: Severity,
    /// What is lost, in words a human understands.
    pub reason: String,

    /// Subcommand path prefix; each word may list alternatives (`delete|rm|remove`) or be `*`.
    #[serde(default)]
    pub command: Vec<String>,
    /// Some word of the subcommand path (operands included, options not) is one of these
    /// verbs (`verb = ["delete", "rm", "destroy"]`); a verb may start or end with `*`
    /// (`"*-delete"`, `"delete-*"`). Case is ignored.
    #[serde(default)]
    pub verb: Vec<String>,
    /// At least one of these flags is present.
    #[serde(default)]
    pub flag: Vec<String>,
    /// None of these flags is present.
    #[serde(default)]
    pub not_flag: Vec<String>,
    /// Regex that some operand after the `command` prefix matches.
    #[serde(default)]
    pub arg: Option<String>,
    /// Regex that no operand after the `command` prefix matches (e.g. build directories).
    #[serde(default)]
    pub not_arg: Option<String>,
    /// Regex over `flag=value` of the options that took a value (`^(-X|--method)=(?i)delete$`).
    #[serde(default)]
    pub flag_value: Option<String>,

    /// HTTP: some request has one of these methods (and, when given, the host and path).
    #[serde(default)]
    pub method: Vec<String>,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub not_host: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    /// A pattern over the request body as the client sends it (`"deletion_protection":\s*false`).
    #[serde(default)]
    pub body: Option<String>,

    /// GraphQL: some root field of this operation kind, name and argument.
    #[serde(default)]
    pub graphql_operation: Option<OperationKind>,
    #[serde(default)]
    pub graphql_field: Option<String>,
    /// HTTP and GraphQL: only calls to a remote host — not to this machine or a local
    /// development alias (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`, `0.0.0.0`,
    /// `host.docker.internal`); see `facts::is_local_host`.
    #[serde(default)]
    pub remote_only: bool,
    /// The action a field name says it takes, from its words (`volumeDelete`,
    /// `delete_project`, `BulkDeleteUsers` → `delete`; `requestPasswordReset` → `request`):
    /// some field whose action is one of these verbs. See `facts::graphql_action`.
    #[serde(default)]
    pub graphql_verb: Vec<String>,
    /// Regex over `name=value` of the field's arguments (`^(input\.)?replace=true$`).
    #[serde(default)]
    pub graphql_arg: Option<String>,

    /// SQL and friends: some statement of one of these kinds.
    #[serde(default)]
    pub statement: Vec<crate::facts::StatementKind>,

    /// Flags whose value names the thing destroyed (`--volume`), for the confirmation prompt.
    #[serde(default)]
    pub object_flag: Vec<String>,

    /// Regex that some target (host, database, environment, context) matches.
    #[serde(default)]
    pub target: Option<String>,

    /// Last resort: regex over the arguments joined by spaces.
    #[serde(default)]
    pub argv: Option<String>,
    /// The rule does not apply when this regex matches the arguments joined by spaces
    /// (`find … -delete` on `-name '*.pyc'`).
    #[serde(default)]
    pub not_argv: Option<String>,

    /// Command lines this rule must match.
    #[serde(default, rename = "match")]
    pub must_match: Vec<Example>,
    /// Command lines this rule must not match.
    #[serde(default)]
    pub not_match: Vec<Example>,
}

impl RuleSpec {
    /// Every regex the rule has, by field name, for expanding named patterns in place.
    pub(crate) fn regexes_mut(&mut self) -> [(&'static str, &mut Option<String>); 12] {
        [
            ("arg", &mut self.arg),
            ("not_arg", &mut self.not_arg),
            ("flag_value", &mut self.flag_value),
            ("host", &mut self.host),
            ("not_host", &mut self.not_host),
            ("path", &mut self.path),
            ("body", &mut self.body),
            ("graphql_field", &mut self.graphql_field),
            ("graphql_arg", &mut self.graphql_arg),
            ("target", &mut self.target),
            ("argv", &mut self.argv),
            ("not_argv", &mut self.not_argv),
        ]
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(serde::de::Error::unknown_variant(other, &["low", "medium", "high", "critical"])),
        }
    }
}
