//! Reading what a program will read — named files and standard input — for analysis.
//!
//! Files are resolved against the invocation's cwd. Standard input is streamed through the
//! shim's spool, so the real program still receives every byte. Only the first
//! `ANALYZE_LIMIT` bytes are kept for analyzers that need the whole text (a request body);
//! streaming analyzers (SQL dumps) see everything in chunks with bounded memory.

use std::io::Read;

use crate::invocation::{Invocation, Stdin};

/// Bytes of a body or file kept for whole-text analysis.
pub const ANALYZE_LIMIT: usize = 16 << 20;

/// Text read for analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    /// More followed than was kept.
    pub truncated: bool,
}

/// A file named in the arguments (`@body.json`, `-f drop.sql`), up to `ANALYZE_LIMIT`.
pub fn file(inv: &Invocation, name: &str) -> Result<Text, String> {
    let path = inv.resolve_path(name);
    let f = std::fs::File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut buf = Vec::new();
    f.take(ANALYZE_LIMIT as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let truncated = buf.len() > ANALYZE_LIMIT;
    buf.truncate(ANALYZE_LIMIT);
    Ok(Text { text: String::from_utf8_lossy(&buf).into_owned(), truncated })
}

/// Feed all of standard input to `sink`. `Ok(false)` when stdin is a terminal (a human
/// types it) or empty; an error when it cannot be seen.
pub fn stream_stdin(inv: &mut Invocation, sink: &mut dyn FnMut(&[u8])) -> Result<bool, String> {
    match &mut inv.stdin {
        Stdin::Terminal | Stdin::Empty => Ok(false),
        Stdin::Bytes(b) => {
            sink(b);
            Ok(true)
        }
        Stdin::File(p) => {
            let path = if p.is_absolute() { p.clone() } else { inv.cwd.join(&*p) };
            let mut f = std::fs::File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let mut buf = vec![0u8; 256 << 10];
            loop {
                let n = f.read(&mut buf).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if n == 0 {
                    return Ok(true);
                }
                sink(&buf[..n]);
            }
        }
        Stdin::Process(spool) => {
            spool.stream(sink).map(|_| true).map_err(|e| format!("cannot read standard input: {e}"))
        }
        Stdin::Unseen => Err("standard input comes from another command and cannot be seen in advance".into()),
    }
}

/// Standard input as text, up to `ANALYZE_LIMIT`.
pub fn stdin_text(inv: &mut Invocation) -> Result<Text, String> {
    let mut buf = Vec::new();
    let mut truncated = false;
    stream_stdin(inv, &mut |chunk| {
        let room = ANALYZE_LIMIT.saturating_sub(buf.len());
        if chunk.len() > room {
            truncated = true;
        }
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
    })?;
    Ok(Text { text: String::from_utf8_lossy(&buf).into_owned(), truncated })
}
