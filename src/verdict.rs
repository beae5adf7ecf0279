//! What the engine concludes about one invocation.
//!
//! `Decision` is ordered from most to least permissive so that the strictest of several
//! matches is simply `.max()`. A `Verdict` never runs, prints or logs anything: it is a value
//! handed to whoever asked (the shim, `check`, a hook).

use serde::Serialize;

/// Allow, ask a human, or refuse. Ordered: `Allow < Confirm < Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Confirm,
    Deny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Confirm => "confirm",
            Decision::Deny => "deny",
        }
    }
}

/// How much is lost if the call goes through. Ordered so the worst is `.max()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// One step up, used when the target looks like production.
    pub fn raised(self) -> Severity {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }
}

/// One rule that matched, with everything a human needs to judge it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub rule: String,
    pub action: Decision,
    pub severity: Severity,
    pub reason: String,
    /// What the matched call does, in plain words ("DROP TABLE users", "volumeDelete(...)").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what: Option<String>,
    /// The name of the thing destroyed (a volume id, a table), when the rule can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
}

/// The engine's answer for one invocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub decision: Decision,
    pub matches: Vec<Match>,
}

impl Verdict {
    pub fn allow() -> Verdict {
        Verdict { decision: Decision::Allow, matches: Vec::new() }
    }

    /// Build a verdict from matches: the strictest action wins; no match means allow.
    pub fn from_matches(mut matches: Vec<Match>) -> Verdict {
        matches.sort_by(|a, b| b.action.cmp(&a.action).then(b.severity.cmp(&a.severity)));
        let decision = matches.iter().map(|m| m.action).max().unwrap_or(Decision::Allow);
        Verdict { decision, matches }
    }

    /// The worst severity among the matches, if any matched.
    pub fn severity(&self) -> Option<Severity> {
        self.matches.iter().map(|m| m.severity).max()
    }

    /// The first (strictest) match, which is the one a human is shown first.
    pub fn primary(&self) -> Option<&Match> {
        self.matches.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(rule: &str, action: Decision, severity: Severity) -> Match {
        Match { rule: rule.into(), action, severity, reason: "r".into(), what: None, object: None }
    }

    #[test]
    fn strictest_action_wins_and_comes_first() {
        let v = Verdict::from_matches(vec![
            m("a", Decision::Confirm, Severity::Low),
            m("b", Decision::Deny, Severity::Medium),
            m("c", Decision::Confirm, Severity::Critical),
        ]);
        assert_eq!(v.decision, Decision::Deny);
        assert_eq!(v.primary().map(|m| m.rule.as_str()), Some("b"));
        assert_eq!(v.severity(), Some(Severity::Critical));
    }

    #[test]
    fn no_match_is_allow() {
        assert_eq!(Verdict::from_matches(Vec::new()).decision, Decision::Allow);
    }

    #[test]
    fn raising_severity_saturates() {
        assert_eq!(Severity::Low.raised(), Severity::Medium);
        assert_eq!(Severity::Critical.raised(), Severity::Critical);
    }
}
