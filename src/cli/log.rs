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

/// `--since` as an RFC 3339 time or a duration back from now (`90s`, `30m`, `2h`, `7d`).
pub(super) fn parse_since(text: &str) -> anyhow::Result<u64> {
    if let Some(t) = audit::parse_rfc3339(text) {
        return Ok(t);
    }
    let (num, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = num.parse().with_context(|| {
        format!("--since {text:?}: expected a time like 2026-11-21T10:00:00Z or a duration like 30m")
    })?;
    let secs = match unit {
        "s" | "" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => bail!("--since {text:?}: unknown unit {unit:?} (use s, m, h or d)"),
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Ok(now.saturating_sub(secs))
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
