//! Matching one rule against facts.
//!
//! A rule's conditions are all required; list conditions hold when any item does. Regexes are
//! compiled once per rule, on first use, so a shim compiles only its own program's rules.

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

/// A rule's regexes, compiled.
#[derive(Debug)]
pub struct Compiled {
    arg: Option<Regex>,
    not_arg: Option<Regex>,
    flag_value: Option<Regex>,
    host: Option<Regex>,
    not_host: Option<Regex>,
    path: Option<Regex>,
    graphql_field: Option<Regex>,
    graphql_arg: Option<Regex>,
    target: Option<Regex>,
    argv: Option<Regex>,
}

fn compile(field: &'static str, pattern: &Option<String>) -> Result<Option<Regex>, CompileError> {
    pattern.as_deref().map(|p| Regex::new(p).map_err(|e| CompileError { field, message: e.to_string() })).transpose()
}

impl Compiled {
    pub fn new(spec: &RuleSpec) -> Result<Compiled, CompileError> {
        Ok(Compiled {
            arg: compile("arg", &spec.arg)?,
            not_arg: compile("not_arg", &spec.not_arg)?,
            flag_value: compile("flag_value", &spec.flag_value)?,
            host: compile("host", &spec.host)?,
            not_host: compile("not_host", &spec.not_host)?,
            path: compile("path", &spec.path)?,
            graphql_field: compile("graphql_field", &spec.graphql_field)?,
            graphql_arg: compile("graphql_arg", &spec.graphql_arg)?,
            target: compile("target", &spec.target)?,
            argv: compile("argv", &spec.argv)?,
        })
    }

    /// Whether `spec` (compiled as `self`) matches `facts`; on a match, what the matched
    /// part does in plain words and what it destroys.
    pub fn matches(&self, spec: &RuleSpec, facts: &Facts, args: &[String]) -> Option<Hit> {
        let mut what: Option<String> = None;
        let mut object: Option<String> = None;
        let prefix = command_prefix(&spec.command, &facts.command)?;
        if !spec.command.is_empty() {
            what = Some(facts.command[..prefix].join(" "));
        }
        let program = spec.program.as_slice().first().map(String::as_str).unwrap_or("");
        if !spec.flag.is_empty() && !spec.flag.iter().any(|f| facts.has_flag(f)) {
            return None;
        }
        if spec.not_flag.iter().any(|f| facts.has_flag(f)) {
            return None;
        }
        if let Some(re) = &self.flag_value
            && !facts.flag_values.iter().any(|(f, v)| re.is_match(&format!("{f}={v}")))
        {
            return None;
        }
        if self.arg.is_some() || self.not_arg.is_some() {
            let operand = facts.command[prefix..].iter().find(|o| {
                self.arg.as_ref().is_none_or(|r| r.is_match(o)) && self.not_arg.as_ref().is_none_or(|r| !r.is_match(o))
            })?;
            what = Some(format!("{} {operand}", what.unwrap_or_default()).trim().to_string());
            object = Some(operand.clone());
        }
        let graphql = spec.graphql_operation.is_some() || self.graphql_field.is_some() || self.graphql_arg.is_some();
        if graphql {
            let field = facts.graphql.iter().find(|f| self.graphql_matches(spec, f))?;
            object = Some(field.object());
            what = Some(match &field.host {
                Some(host) => format!("{} {} on {host}", field.operation.as_str(), field.describe()),
                None => format!("{} {}", field.operation.as_str(), field.describe()),
            });
        }
        if !spec.method.is_empty()
            || self.path.is_some()
            || (!graphql && (self.host.is_some() || self.not_host.is_some()))
        {
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
        if let Some(re) = &self.target {
            facts.targets.iter().find(|t| re.is_match(t))?;
        }
        if let Some(re) = &self.argv
            && !re.is_match(&args.join(" "))
        {
            return None;
        }
        if object.is_none() {
            object = facts.flag_values.iter().find(|(f, _)| spec.object_flag.contains(f)).map(|(_, v)| v.clone());
        }
        if object.is_none() {
            object = facts.command.get(prefix).cloned();
        }
        let what = match what {
            Some(w) if !spec.command.is_empty() || self.arg.is_some() || self.not_arg.is_some() => {
                format!("{program} {w}")
            }
            Some(w) => w,
            None => String::new(),
        };
        Some(Hit { what, object })
    }

    fn graphql_matches(&self, spec: &RuleSpec, f: &GraphqlField) -> bool {
        spec.graphql_operation.is_none_or(|op| op == f.operation)
            && self.graphql_field.as_ref().is_none_or(|r| r.is_match(&f.name))
            && self.graphql_arg.as_ref().is_none_or(|r| f.args.iter().any(|(k, v)| r.is_match(&format!("{k}={v}"))))
            && self.host_matches(f.host.as_deref())
    }

    fn request_matches(&self, spec: &RuleSpec, r: &HttpRequest) -> bool {
        (spec.method.is_empty() || spec.method.iter().any(|m| m.eq_ignore_ascii_case(&r.method)))
            && self.path.as_ref().is_none_or(|re| re.is_match(&r.path))
            && self.host_matches(r.host.as_deref())
    }

    fn host_matches(&self, host: Option<&str>) -> bool {
        let host = host.unwrap_or("");
        self.host.as_ref().is_none_or(|re| re.is_match(host))
            && self.not_host.as_ref().is_none_or(|re| !re.is_match(host))
    }
}

/// How many words of `command` the rule's `pattern` prefix covers, or `None` when it does
/// not match. Each pattern word lists alternatives with `|`; `*` is any word.
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
