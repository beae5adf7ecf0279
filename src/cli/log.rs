//! `interlock log`: the audit log as a table or JSON lines, filtered, optionally followed.

use std::io::{BufRead, Seek, SeekFrom};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::audit::{self, Record};
use crate::exit;

/// Which records to show.
pub(super) struct Filter {
    pub since: Option<u64>,
    pub decision: Option<String>,
    pub program: Option<String>,
    pub agent: Option<String>,
}

impl Filter {
    fn keeps(&self, r: &Record) -> bool {
        self.since.is_none_or(|s| audit::parse_rfc3339(&r.time).is_some_and(|t| t >= s))
            && self.decision.as_deref().is_none_or(|d| r.decision == d)
            && self.program.as_deref().is_none_or(|p| r.program == p)
            && self.agent.as_deref().is_none_or(|a| r.agent.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(a)))
    }
}

/// `--since` as an RFC 3339 time, with any offset (`2026-11-21T10:00:00Z`,
/// `2026-12-07T22:58:00+02:00`), or a span back from now (`90s`, `30m`, `2h30m`, `7d`, `1w`,
/// `1 day`), in seconds since the epoch. Calendar units count back in the local time zone.
pub(super) fn parse_since(text: &str) -> anyhow::Result<u64> {
    parse_since_at(text, jiff::Zoned::now())
}

fn parse_since_at(text: &str, now: jiff::Zoned) -> anyhow::Result<u64> {
    let at = match (text.parse::<jiff::Timestamp>(), text.parse::<jiff::Span>()) {
        (Ok(t), _) => t,
        (_, Ok(span)) => now
            .checked_sub(span)
            .with_context(|| format!("--since {text:?} reaches before any time interlock can log"))?
            .timestamp(),
        (Err(_), Err(_)) => bail!(
            "--since {text:?}: expected a time like 2026-11-21T10:00:00Z or 2026-11-21T12:00:00+02:00, or a span \
             back from now like 30m, 2h30m, 7d or 1w"
        ),
    };
    u64::try_from(at.as_second()).with_context(|| format!("--since {text:?} is before 1970"))
}

fn print(r: &Record, json: bool) {
    if json {
        if let Ok(line) = serde_json::to_string(r) {
            println!("{line}");
        }
        return;
    }
    let summary = r.summary.clone().unwrap_or_else(|| r.command.clone());
    let summary: String = summary.chars().take(100).collect();
    println!("{:<20}  {:<9}  {:<10}  {summary}", r.time, r.decision, r.program);
}

pub(super) fn log(filter: Filter, json: bool, follow: bool) -> anyhow::Result<u8> {
    let path = audit::log_path().context("no state directory for the log")?;
    if !json {
        println!("{:<20}  {:<9}  {:<10}  SUMMARY", "TIME", "DECISION", "PROGRAM");
    }
    for r in audit::read_all(&path).iter().filter(|r| filter.keeps(r)) {
        print(r, json);
    }
    if !follow {
        return Ok(exit::ALLOW);
    }
    // Follow: read what is appended; start over when the file is rotated.
    let mut pos = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if meta.len() < pos {
            pos = 0;
        }
        if meta.len() == pos {
            continue;
        }
        let mut f = std::fs::File::open(&path)?;
        f.seek(SeekFrom::Start(pos))?;
        let mut reader = std::io::BufReader::new(f);
        let mut line = String::new();
        while reader.read_line(&mut line)? > 0 {
            if !line.ends_with('\n') {
                break; // a line still being written: read it whole next time
            }
            pos += line.len() as u64;
            if let Ok(r) = serde_json::from_str::<Record>(&line)
                && filter.keeps(&r)
            {
                print(&r, json);
            }
            line.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> u64 {
        let now: jiff::Zoned = "2026-12-07T21:00:00+00:00[UTC]".parse().unwrap();
        parse_since_at(text, now).unwrap()
    }

    /// Regression (issue 25): an offset was ignored, so `--since …+02:00` showed nothing.
    #[test]
    fn times_with_offsets_and_spans_back_from_now() {
        let utc = at("2026-12-07T20:58:00Z");
        assert_eq!(at("2026-12-07T22:58:00+02:00"), utc);
        assert_eq!(at("2026-12-07T20:58:00+00:00"), utc);
        let now = utc + 120; // 21:00
        assert_eq!(at("2m"), utc);
        assert_eq!(at("2h"), now - 7200);
        assert_eq!(at("2h30m"), now - 9000);
        assert_eq!(at("1w"), now - 7 * 86_400);
        assert_eq!(at("7d"), now - 7 * 86_400);
        assert_eq!(at("90s"), now - 90);
        let now: jiff::Zoned = "2026-12-07T21:00:00+00:00[UTC]".parse().unwrap();
        assert!(parse_since_at("yesterday-ish", now.clone()).is_err());
        assert!(parse_since_at("5 parsecs", now).is_err());
    }
}
