//! Reading what a program will read — named files and standard input — for analysis.
//!
//! Files are resolved against the invocation's cwd. Standard input is streamed through the
//! shim's spool, so the real program still receives every byte. Only the first
//! `ANALYZE_LIMIT` bytes are kept for analyzers that need the whole text (a request body);
//! streaming analyzers (SQL dumps) see everything in chunks with bounded memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::invocation::{Invocation, Stdin};

/// Bytes of a body or file kept for whole-text analysis.
pub(crate) const ANALYZE_LIMIT: usize = 16 << 20;

/// Open `path` for analysis — only if it is a regular file whose content is data at rest.
///
/// A FIFO, socket or device (`/dev/zero`, `<(…)`'s `/dev/fd/63`) would block, never end, or
/// lose its bytes to interlock instead of the real program; files under `/proc` and `/sys`
/// are generated on read and may never end. Each is "cannot see". The file is opened
/// non-blocking, so even opening a FIFO with no writer returns at once.
pub(crate) fn open_regular(path: &Path) -> Result<File, String> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK | nix::libc::O_NOCTTY)
        .open(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let meta = f.metadata().map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let kind = meta.file_type();
    let not_data = if kind.is_fifo() {
        Some("a pipe (FIFO)")
    } else if kind.is_socket() {
        Some("a socket")
    } else if kind.is_char_device() && is_null_device(&meta) {
        // `< /dev/null`: empty input, which is what it gives the real program too.
        None
    } else if kind.is_char_device() || kind.is_block_device() {
        Some("a device")
    } else if !kind.is_file() {
        Some("not a regular file")
    } else if generated_on_read(&f) {
        Some("a file the kernel generates on read")
    } else {
        None
    };
    match not_data {
        Some(what) => Err(format!("cannot read {} in advance: it is {what}", path.display())),
        None => Ok(f),
    }
}

/// Whether `meta` is the null device's (whatever path names it).
fn is_null_device(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/dev/null").is_ok_and(|null| null.rdev() == meta.rdev())
}

/// Whether `f` lives on procfs or sysfs.
#[cfg(target_os = "linux")]
fn generated_on_read(f: &File) -> bool {
    use nix::sys::statfs::{PROC_SUPER_MAGIC, SYSFS_MAGIC, fstatfs};
    fstatfs(f).is_ok_and(|s| s.filesystem_type() == PROC_SUPER_MAGIC || s.filesystem_type() == SYSFS_MAGIC)
}

#[cfg(not(target_os = "linux"))]
fn generated_on_read(_: &File) -> bool {
    false
}

/// Stream a regular file at `path` to `sink`, reading at most `limit` bytes: a longer file
/// is an error ("too large to read in advance").
pub(crate) fn stream_file(path: &Path, limit: u64, sink: &mut dyn FnMut(&[u8])) -> Result<(), String> {
    let mut f = open_regular(path)?;
    let mut buf = vec![0u8; 256 << 10];
    let mut seen: u64 = 0;
    loop {
        let n = f.read(&mut buf).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if n == 0 {
            return Ok(());
        }
        seen += n as u64;
        if seen > limit {
            return Err(format!(
                "{} is larger than interlock reads in advance here ({} MiB)",
                path.display(),
                limit >> 20
            ));
        }
        sink(&buf[..n]);
    }
}

/// The content the command string wrote to `path` before this call, if it wrote it (the
/// last write wins): `Some(Err)` when that content is only known at run time.
fn written<'a>(inv: &'a Invocation, path: &Path) -> Option<Result<&'a [u8], String>> {
    let (_, content) = inv.written.iter().rev().find(|(p, _)| p == path)?;
    Some(content.as_deref().ok_or_else(|| {
        format!("{} is written by the same command just before, with content known only at run time", path.display())
    }))
}

/// Stream the file at `path` (absolute) as this call will read it: what the command
/// string wrote to it, else the regular file on disk, up to the invocation's limit.
pub(crate) fn stream_path(inv: &Invocation, path: &Path, sink: &mut dyn FnMut(&[u8])) -> Result<(), String> {
    match written(inv, path) {
        Some(content) => content.map(sink),
        None => stream_file(path, inv.file_limit, sink),
    }
}

/// Text read for analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    pub text: String,
    /// More followed than was kept.
    pub truncated: bool,
}

/// A file named in the arguments (`@body.json`, `-f drop.sql`), up to `ANALYZE_LIMIT`.
pub(crate) fn file(inv: &Invocation, name: &str) -> Result<Text, String> {
    let path = inv.resolve_path(name);
    if let Some(content) = written(inv, &path) {
        let bytes = content?;
        let kept = &bytes[..bytes.len().min(ANALYZE_LIMIT)];
        return Ok(Text { text: String::from_utf8_lossy(kept).into_owned(), truncated: bytes.len() > ANALYZE_LIMIT });
    }
    let f = open_regular(&path)?;
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
pub(crate) fn stream_stdin(inv: &Invocation, sink: &mut dyn FnMut(&[u8])) -> Result<bool, String> {
    match &inv.stdin {
        Stdin::Terminal | Stdin::Empty => Ok(false),
        Stdin::Bytes(b) => {
            sink(b);
            Ok(true)
        }
        Stdin::File(p) => {
            let path = if p.is_absolute() { p.clone() } else { inv.cwd.join(p) };
            stream_path(inv, &path, sink).map(|()| true)
        }
        Stdin::Process(spool) => {
            spool.borrow_mut().stream(sink).map(|_| true).map_err(|e| format!("cannot read standard input: {e}"))
        }
        Stdin::Unseen => Err("standard input comes from another command and cannot be seen in advance".into()),
    }
}

/// Standard input as text, up to `ANALYZE_LIMIT`.
pub(crate) fn stdin_text(inv: &Invocation) -> Result<Text, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_null_device_is_empty_input_and_other_devices_are_not_read() {
        use std::io::Read;
        let mut text = String::new();
        open_regular(Path::new("/dev/null")).unwrap().read_to_string(&mut text).unwrap();
        assert!(text.is_empty());
        assert!(open_regular(Path::new("/dev/zero")).unwrap_err().contains("a device"));
    }
}
