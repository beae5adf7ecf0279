//! `Facts`: what an analyzer saw an invocation will do. Rules match facts, never the raw
//! command line.
//!
//! Everything here is plain data produced by `analyze` and read by `rules`. An analyzer that
//! cannot see something that could matter records it in `unknown` instead of guessing.

use serde::Serialize;

/// One HTTP request a client will send.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    pub method: String,
    /// The URL as given (after curl's defaults, e.g. a missing scheme).
    pub url: String,
    /// Lower-case host name, if the URL has one.
    pub host: Option<String>,
    pub port: Option<u16>,
    pub path: String,
    pub query: Option<String>,
    /// Header names lower-cased, values as given.
    pub headers: Vec<(String, String)>,
    /// The body, when interlock could read it (lossy UTF-8).
    #[serde(skip)]
    pub body: Option<String>,
    /// Where a request to a local-looking host really goes (a tunnel, `--resolve`, a proxy):
    /// such a request is remote for every rule (`http::reroute`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// GraphQL operation kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

impl OperationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Query => "query",
            OperationKind::Mutation => "mutation",
            OperationKind::Subscription => "subscription",
        }
    }
}

/// One root field of a GraphQL operation, aliases resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphqlField {
    pub operation: OperationKind,
    /// The field's real name (`volumeDelete`), never its alias.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Arguments as `name` → value text; input-object fields are flattened as `input.replace`.
    pub args: Vec<(String, String)>,
    /// The host the document is sent to, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

impl GraphqlField {
    /// The name of what the field acts on: its first id-like argument (`volumeId: "v1"` →
    /// `v1`), else the field's name.
    pub fn object(&self) -> String {
        self.args
            .iter()
            .find(|(k, _)| k.to_ascii_lowercase().ends_with("id") || k == "name")
            .map(|(_, v)| v.trim_matches('"').to_string())
            .filter(|v| !v.is_empty() && !v.starts_with('$'))
            .unwrap_or_else(|| self.name.clone())
    }

    /// `volumeDelete(volumeId: "v1")`, for humans.
    pub fn describe(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("{}({})", self.name, args.join(", "))
    }
}

/// What a statement does, as rules match it (`statement = ["drop", "truncate"]`). An enum: an
/// analyzer cannot produce a kind no rule can name, and a rule file naming a kind that does
/// not exist fails to load, with its file and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// `DROP TABLE`, `DROP SCHEMA`, `DROP OWNED`, any `DROP … CASCADE`.
    Drop,
    /// Any other `DROP` (index, view, function, …).
    DropOther,
    DropDatabase,
    Truncate,
    /// `DELETE` without a `WHERE` (or with one that is always true).
    DeleteAll,
    /// `UPDATE` without a `WHERE`.
    UpdateAll,
    /// `ALTER TABLE … DROP`.
    AlterDrop,
    /// `MERGE … WHEN MATCHED THEN DELETE`.
    MergeDelete,
    /// `COPY … PROGRAM` (runs a shell command on the server).
    CopyProgram,
    /// `RESET MASTER`, `RESET BINARY LOGS`.
    Reset,
    /// sqlite3's `.restore` (overwrites the database).
    Restore,
    /// sqlite3's `ATTACH`.
    Attach,
    /// Redis `FLUSHALL`.
    Flushall,
    /// Redis `FLUSHDB`.
    Flushdb,
    /// Redis deletes by pattern (`--scan | xargs del`, `EVAL` with `KEYS`).
    DeletePattern,
}

impl StatementKind {
    /// The name rules use.
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Drop => "drop",
            StatementKind::DropOther => "drop_other",
            StatementKind::DropDatabase => "drop_database",
            StatementKind::Truncate => "truncate",
            StatementKind::DeleteAll => "delete_all",
            StatementKind::UpdateAll => "update_all",
            StatementKind::AlterDrop => "alter_drop",
            StatementKind::MergeDelete => "merge_delete",
            StatementKind::CopyProgram => "copy_program",
            StatementKind::Reset => "reset",
            StatementKind::Restore => "restore",
            StatementKind::Attach => "attach",
            StatementKind::Flushall => "flushall",
            StatementKind::Flushdb => "flushdb",
            StatementKind::DeletePattern => "delete_pattern",
        }
    }
}

impl std::fmt::Display for StatementKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for StatementKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One SQL (or cache/document-store) statement a client will send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The classification rules match on.
    pub kind: StatementKind,
    /// The object the statement acts on, when the classifier can name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// A short excerpt of the statement for humans.
    pub text: String,
}

/// Everything an analyzer learned about one invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The program the facts are about (how rules are chosen).
    #[serde(skip)]
    pub program: String,
    /// Its arguments as written (argv without argv[0]), for the last-resort `argv` patterns.
    #[serde(skip)]
    pub argv: Vec<String>,
    /// Positional words in order, flag values removed: the subcommand path and its operands
    /// (`["volume", "delete"]`, `["push", "origin", "+main"]`).
    pub command: Vec<String>,
    /// Flags as written, short clusters expanded (`-fdx` → `-f`, `-d`, `-x`), values removed.
    pub flags: Vec<String>,
    /// Flag values, keyed by the flag that took them.
    pub flag_values: Vec<(String, String)>,
    pub requests: Vec<HttpRequest>,
    pub graphql: Vec<GraphqlField>,
    pub statements: Vec<Statement>,
    /// Where the call lands: hosts, databases, environments, contexts.
    pub targets: Vec<String>,
    /// What the analyzer could not see, and why it might matter.
    pub unknown: Vec<String>,
    /// Context for the human (e.g. the credentials `railway run` injects).
    pub notes: Vec<String>,
    /// The program reads its commands from a terminal as they are typed (`psql` with no
    /// `-c`/`-f`): what it will run cannot be seen in advance. Harmless when a human types;
    /// under an agent, the agent types (the shim decides which).
    pub interactive: bool,
    /// The call is a dry run (an option of its program with `role = "dry-run"`): it changes
    /// nothing.
    pub dry_run: bool,
}

impl Facts {
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    pub fn add_target(&mut self, target: impl Into<String>) {
        let target = target.into();
        if !target.is_empty() && !self.targets.contains(&target) {
            self.targets.push(target);
        }
    }

    /// The first target that looks like production, if any.
    pub fn production_target(&self) -> Option<&str> {
        self.targets.iter().map(String::as_str).find(|t| looks_like_production(t))
    }
}

/// A host name in the form rules match: lower case, no trailing dot, no IPv6 brackets.
pub(crate) fn normal_host(host: &str) -> String {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h.strip_prefix('[').and_then(|x| x.strip_suffix(']')).map_or(h.clone(), str::to_string)
}

/// Whether a (normalized) host is this machine or a local development alias: `localhost`
/// and `*.localhost` (RFC 6761), the loopback ranges `127.0.0.0/8` and `::1`, `0.0.0.0`,
/// and the names Docker and Podman give the host from inside a container.
pub(crate) fn is_local_host(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    if matches!(host, "host.docker.internal" | "gateway.docker.internal" | "host.containers.internal" | "0.0.0.0") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip.is_unspecified(),
        Err(_) => false,
    }
}

/// Verbs that, leading a GraphQL field name, say the field does something else than the
/// words after them (`requestPasswordReset` requests; `enableDeleteProtection` enables).
/// Only words that are not also common nouns of a schema (`issue`, `link`, `schedule`,
/// `view`, `copy`, `track`, `check` name things: `issueDelete` deletes an issue).
const NON_DESTRUCTIVE_VERBS: &[&str] = &[
    "add",
    "apply",
    "approve",
    "accept",
    "cancel",
    "confirm",
    "create",
    "disable",
    "enable",
    "ensure",
    "get",
    "generate",
    "insert",
    "invite",
    "list",
    "login",
    "logout",
    "mark",
    "preview",
    "register",
    "request",
    "resend",
    "retry",
    "save",
    "send",
    "set",
    "start",
    "subscribe",
    "toggle",
    "undo",
    "update",
    "upload",
    "upsert",
    "validate",
    "verify",
    "clone",
    "deploy",
    "redeploy",
    "restart",
    "resume",
    "trigger",
    "submit",
    "publish",
    "refresh",
    "sync",
    "fetch",
];

/// Verbs that destroy, reset or take something away (the generic destructive-mutation rule
/// lists which of these it asks about).
const DESTRUCTIVE_VERBS: &[&str] = &[
    "delete",
    "remove",
    "destroy",
    "purge",
    "wipe",
    "reset",
    "drop",
    "erase",
    "truncate",
    "clear",
    "restore",
    "rollback",
    "revert",
    "stop",
    "terminate",
    "shutdown",
    "suspend",
    "detach",
    "disconnect",
    "transfer",
    "rotate",
    "revoke",
    "archive",
    "deactivate",
    "uninstall",
    "unpublish",
    "kill",
    "nuke",
    "prune",
    "flush",
    "overwrite",
    "replace",
    "force",
    "expire",
    "evict",
    "demote",
    "downgrade",
];

/// The action a GraphQL field name says it takes: its words split at camelCase,
/// PascalCase, `_` and `-`, lower-cased; the first word that is a known verb decides
/// (`volumeDelete` → `delete`, `deleteProject` → `delete`, `bulk_delete_users` → `delete`,
/// `requestPasswordReset` → `request`). `None` when no word is a known verb.
pub(crate) fn graphql_action(name: &str) -> Option<String> {
    field_words(name)
        .into_iter()
        .find(|w| NON_DESTRUCTIVE_VERBS.contains(&w.as_str()) || DESTRUCTIVE_VERBS.contains(&w.as_str()))
}

/// `volumeInstanceBackupDelete` → `volume instance backup delete`; `HTTPServerStop` →
/// `http server stop`; `delete_all-items` → `delete all items`.
fn field_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether a host, database, environment or context name looks like production: a
/// `prod`/`production`/`prd`/`live` word inside it (`prod-db.internal`, `api_production`).
pub(crate) fn looks_like_production(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "prod" | "production" | "prd" | "live" | "prod1" | "prod2"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_hosts() {
        for h in [
            "localhost",
            "LOCALHOST.",
            "api.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
            "0.0.0.0",
            "host.docker.internal",
        ] {
            assert!(is_local_host(&normal_host(h)), "{h}");
        }
        for h in ["example.com", "localhost.example.com", "10.0.0.1", "192.168.1.10", "backboard.railway.com."] {
            assert!(!is_local_host(&normal_host(h)), "{h}");
        }
        assert_eq!(normal_host("Backboard.Railway.COM."), "backboard.railway.com");
    }

    #[test]
    fn graphql_actions() {
        for (name, verb) in [
            ("volumeDelete", Some("delete")),
            ("deleteProject", Some("delete")),
            ("bulk_delete_users", Some("delete")),
            ("BulkDeleteUsers", Some("delete")),
            ("HTTPServerStop", Some("stop")),
            ("requestPasswordReset", Some("request")),
            ("enableDeleteProtection", Some("enable")),
            ("projectTransfer", Some("transfer")),
            ("apiTokenRotate", Some("rotate")),
            ("createProject", Some("create")),
            ("issueDelete", Some("delete")),
            ("scheduleRemove", Some("remove")),
            ("me", None),
            ("deletedItems", None),
        ] {
            assert_eq!(graphql_action(name).as_deref(), verb, "{name}");
        }
        assert_eq!(field_words("volumeInstanceBackupDelete"), ["volume", "instance", "backup", "delete"]);
    }

    #[test]
    fn production_names() {
        for name in ["prod", "prod-db.internal", "api_production", "eu.live.example.com", "PRD"] {
            assert!(looks_like_production(name), "{name}");
        }
        for name in ["staging", "product-api", "localhost", "deliver", "produce", "olive"] {
            assert!(!looks_like_production(name), "{name}");
        }
    }
}
