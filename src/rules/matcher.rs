//! Matching one rule against facts.
//!
//! A rule's conditions are all required; list conditions hold when any item does. Regexes are
//! compiled once per rule, on first use, so a shim compiles only its own program's rules.

use std::sync::OnceLock;

use regex::Regex;

use super::model::RuleSpec;
use crate::facts::{Facts, GraphqlField, HttpRequest};

/// A rule whose regexes did not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}`: {message}")]
pub struct CompileError {
    pub field: &'static str,
    pub message: String,
}

/// What a matching rule saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// What the matched part does, in plain words.
    pub what: String,
    /// The name of the thing it destroys, when known.
    pub object: Option<String>,
}

/// A rule's regexes, each compiled the first time a match needs it: a rule whose cheap
/// conditions (method, command, flags, statement kinds) already fail compiles nothing.
#[derive(Debug)]
pub struct Compiled {
    arg: Lazy,
    not_arg: Lazy,
    flag_value: Lazy,
    host: Lazy,
    not_host: Lazy,
    path: Lazy,
    body: Lazy,
    graphql_field: Lazy,
    graphql_arg: Lazy,
    target: Lazy,
    argv: Lazy,
    not_argv: Lazy,
}

/// Compile `pattern` once per process: rules of one program often share a pattern (the same
/// host, the same not-localhost test), and a `Regex` clone shares its compiled program.
fn shared(pattern: &str) -> Result<Regex, String> {
    static CACHE: std::sync::Mutex<Vec<(String, Regex)>> = std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, re)) = cache.iter().find(|(p, _)| p == pattern) {
        return Ok(re.clone());
    }
    let re = Regex::new(pattern).map_err(|e| e.to_string())?;
    cache.push((pattern.to_string(), re.clone()));
    Ok(re)
}

/// One optional regex, compiled on first use.
#[derive(Debug)]
struct Lazy {
    field: &'static str,
    pattern: Option<String>,
    cell: OnceLock<Result<Regex, CompileError>>,
}

impl Lazy {
    fn new(field: &'static str, pattern: &Option<String>) -> Lazy {
        Lazy { field, pattern: pattern.clone(), cell: OnceLock::new() }
    }

    fn given(&self) -> bool {
        self.pattern.is_some()
    }

    /// The regex, its named patterns expanded, when the rule has one that compiles.
    fn get(&self) -> Option<&Regex> {
        let pattern = self.pattern.as_deref()?;
        self.cell
            .get_or_init(|| {
                super::patterns::expand(pattern, &[])
                    .and_then(|p| shared(&p))
                    .map_err(|message| CompileError { field: self.field, message })
            })
            .as_ref()
            .ok()
    }

    fn error(&self) -> Option<CompileError> {
        let pattern = self.pattern.as_deref()?;
        let compiled = super::patterns::expand(pattern, &[]).and_then(|p| Regex::new(&p).map_err(|e| e.to_string()));
        compiled.err().map(|message| CompileError { field: self.field, message })
    }

    /// Absent, or present and matching. A pattern that does not compile never matches.
    fn allows(&self, text: &str) -> bool {
        !self.given() || self.get().is_some_and(|r| r.is_match(text))
    }

    /// Absent, or present and not matching.
    fn excludes(&self, text: &str) -> bool {
        !self.given() || self.get().is_some_and(|r| !r.is_match(text))
    }
}

impl Compiled {
    /// Prepare a rule; its patterns are checked for errors but compiled only when used.
    pub fn new(spec: &RuleSpec) -> Result<Compiled, CompileError> {
        let c = Compiled::lazy(spec);
        Ok(c)
    }

    fn lazy(spec: &RuleSpec) -> Compiled {
        Compiled {
            arg: Lazy::new("arg", &spec.arg),
            not_arg: Lazy::new("not_arg", &spec.not_arg),
            flag_value: Lazy::new("flag_value", &spec.flag_value),
            host: Lazy::new("host", &spec.host),
            not_host: Lazy::new("not_host", &spec.not_host),
            path: Lazy::new("path", &spec.path),
            body: Lazy::new("body", &spec.body),
            graphql_field: Lazy::new("graphql_field", &spec.graphql_field),
            graphql_arg: Lazy::new("graphql_arg", &spec.graphql_arg),
            target: Lazy::new("target", &spec.target),
            argv: Lazy::new("argv", &spec.argv),
            not_argv: Lazy::new("not_argv", &spec.not_argv),
        }
    }

    /// Compile every pattern now, reporting the first that does not compile.
    pub fn check(spec: &RuleSpec) -> Result<(), CompileError> {
        let c = Compiled::lazy(spec);
        for l in [
            &c.arg,
            &c.not_arg,
            &c.flag_value,
            &c.host,
            &c.not_host,
            &c.path,
            &c.body,
            &c.graphql_field,
            &c.graphql_arg,
            &c.target,
            &c.argv,
            &c.not_argv,
        ] {
            if let Some(e) = l.error() {
                return Err(e);
            }
        }
        Ok(())
    }

    /// Whether `spec` (compiled as `self`) matches `facts`; on a match, what the matched
    /// part does in plain words and what it destroys. Cheap conditions come first.
    pub fn matches(&self, spec: &RuleSpec, facts: &Facts) -> Option<Hit> {
        let mut what: Option<String> = None;
        let mut object: Option<String> = None;
        let prefix = command_prefix(&spec.command, &facts.command)?;
        let verb = match spec.verb.as_slice() {
            [] => None,
            verbs => Some(facts.command.iter().find(|w| verbs.iter().any(|v| verb_matches(v, w)))?),
        };
        if !spec.flag.is_empty() && !spec.flag.iter().any(|f| facts.has_flag(f)) {
            return None;
        }
        if spec.not_flag.iter().any(|f| facts.has_flag(f)) {
            return None;
        }
        if !spec.statement.is_empty() && !facts.statements.iter().any(|s| spec.statement.contains(&s.kind)) {
            return None;
        }
        let graphql = spec.graphql_operation.is_some()
            || self.graphql_field.given()
            || self.graphql_arg.given()
            || !spec.graphql_verb.is_empty();
        if graphql && facts.graphql.is_empty() {
            return None;
        }
        let http = !spec.method.is_empty()
            || self.path.given()
            || self.body.given()
            || (!graphql && (self.host.given() || self.not_host.given()));
        if http
            && !facts
                .requests
                .iter()
                .any(|r| spec.method.is_empty() || spec.method.iter().any(|m| m.eq_ignore_ascii_case(&r.method)))
        {
            return None;
        }
        if !spec.command.is_empty() {
            what = Some(facts.command[..prefix].join(" "));
        }
        let program = spec.program.as_slice().first().map(String::as_str).unwrap_or("");
        if self.flag_value.given()
            && !facts.flag_values.iter().any(|(f, v)| self.flag_value.allows(&format!("{f}={v}")))
        {
            return None;
        }
        if self.arg.given() || self.not_arg.given() {
            let operand = facts.command[prefix..].iter().find(|o| self.arg.allows(o) && self.not_arg.excludes(o))?;
            what = Some(format!("{} {operand}", what.unwrap_or_default()).trim().to_string());
            object = Some(operand.clone());
        }
        if graphql {
            let field = facts.graphql.iter().find(|f| self.graphql_matches(spec, f))?;
            object = Some(field.object());
            what = Some(match &field.host {
                Some(host) => format!("{} {} on {host}", field.operation.as_str(), field.describe()),
                None => format!("{} {}", field.operation.as_str(), field.describe()),
            });
        }
        if http {
            let req = facts.requests.iter().find(|r| self.request_matches(spec, r))?;
            if what.is_none() {
                what = Some(format!("{} {}", req.method, req.url));
            }
        }
        if !spec.statement.is_empty() {
            let st = facts.statements.iter().find(|s| spec.statement.contains(&s.kind))?;
            what = Some(st.text.clone());
            object = st.object.clone();
        }
        if self.target.given() && !facts.targets.iter().any(|t| self.target.allows(t)) {
            return None;
        }
        if (self.argv.given() || self.not_argv.given()) && {
            let joined = facts.argv.join(" ");
            !self.argv.allows(&joined) || !self.not_argv.excludes(&joined)
        } {
            return None;
        }
        if what.is_none()
            && let Some(verb) = verb
        {
            what = Some(format!("{program} {}", facts.command.join(" ")));
            if object.is_none() {
                object = facts.command.iter().skip_while(|w| *w != verb).nth(1).cloned();
            }
        }
        if object.is_none() {
            object = facts.flag_values.iter().find(|(f, _)| spec.object_flag.contains(f)).map(|(_, v)| v.clone());
        }
        if object.is_none() {
            object = facts.command.get(prefix).cloned();
        }
        let what = match what {
            Some(w) if !spec.command.is_empty() || self.arg.given() || self.not_arg.given() => format!("{program} {w}"),
            Some(w) => w,
            None => String::new(),
        };
        Some(Hit { what, object })
    }

    fn graphql_matches(&self, spec: &RuleSpec, f: &GraphqlField) -> bool {
        spec.graphql_operation.is_none_or(|op| op == f.operation)
            && self.graphql_field.allows(&f.name)
            && (spec.graphql_verb.is_empty()
                || crate::facts::graphql_action(&f.name).is_some_and(|v| spec.graphql_verb.contains(&v)))
            && (!self.graphql_arg.given() || f.args.iter().any(|(k, v)| self.graphql_arg.allows(&format!("{k}={v}"))))
            && self.host_matches(spec, f.host.as_deref(), false)
    }

    fn request_matches(&self, spec: &RuleSpec, r: &HttpRequest) -> bool {
        (spec.method.is_empty() || spec.method.iter().any(|m| m.eq_ignore_ascii_case(&r.method)))
            && self.path.allows(&r.path)
            && (!self.body.given() || r.body.as_deref().is_some_and(|b| self.body.allows(b)))
            && self.host_matches(spec, r.host.as_deref(), r.via.is_some())
    }

    /// Hosts are matched in one normal form: lower case, no trailing dot, no IPv6
    /// brackets (the URL parser already turned international names into punycode). A
    /// `rerouted` local host (a tunnel, a proxy) is remote.
    fn host_matches(&self, spec: &RuleSpec, host: Option<&str>, rerouted: bool) -> bool {
        let host = crate::facts::normal_host(host.unwrap_or(""));
        self.host.allows(&host)
            && self.not_host.excludes(&host)
            && !(spec.remote_only && !rerouted && crate::facts::is_local_host(&host))
    }
}

/// How many words of `command` the rule's `pattern` prefix covers, or `None` when it does
/// not match. Each pattern word lists alternatives with `|`; `*` is any word.
/// Whether the word `word` is the verb `verb` (case ignored; `*-delete`, `delete-*`).
fn verb_matches(verb: &str, word: &str) -> bool {
    let (verb, word) = (verb.to_ascii_lowercase(), word.to_ascii_lowercase());
    match (verb.strip_prefix('*'), verb.strip_suffix('*')) {
        (Some(tail), _) => word.len() > tail.len() && word.ends_with(tail),
        (None, Some(head)) => word.len() > head.len() && word.starts_with(head),
        (None, None) => word == verb,
    }
}

fn command_prefix(pattern: &[String], command: &[String]) -> Option<usize> {
    if pattern.len() > command.len() {
        return None;
    }
    let ok = pattern.iter().zip(command).all(|(p, w)| p == "*" || p.split('|').any(|alt| alt == w));
    ok.then_some(pattern.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn command_prefix_alternatives_and_wildcards() {
        assert_eq!(command_prefix(&words("volume delete|rm"), &words("volume rm pgdata")), Some(2));
        assert_eq!(command_prefix(&words("volume delete|rm"), &words("volume list")), None);
        assert_eq!(command_prefix(&words("* delete"), &words("db delete x")), Some(2));
        assert_eq!(command_prefix(&words("volume delete"), &words("volume")), None);
        assert_eq!(command_prefix(&[], &words("anything")), Some(0));
    }
}
