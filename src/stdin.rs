//! Reading the standard input the real program will read, without taking it away from it.
//!
//! Invariant: after `Spool::restore`, file descriptor 0 yields exactly the bytes it would
//! have yielded had interlock never looked — whatever their size. A regular file is read and
//! rewound (no copy); a pipe is spooled, in memory up to `MEMORY_LIMIT`, then into an
//! unlinked temporary file, so memory stays bounded for a multi-gigabyte dump.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{AsRawFd, FromRawFd};

/// Spooled bytes kept in memory before spilling to a temporary file.
const MEMORY_LIMIT: usize = 8 << 20;
const CHUNK: usize = 256 << 10;

#[derive(Debug)]
enum State {
    /// Nothing read yet.
    Untouched,
    /// fd 0 is a regular file that was read from `offset`; rewinding restores it.
    Rewind { offset: u64 },
    /// A pipe (or socket, or device) was drained into memory.
    Memory(Vec<u8>),
    /// A pipe was drained into this unlinked file.
    Spilled(File),
    /// fd 0 was unusable (closed): nothing to read, nothing to restore.
    Closed,
}

/// The process' standard input, readable once for analysis and restorable for the real
/// program.
#[derive(Debug)]
pub struct Spool {
    state: State,
    /// Total bytes seen.
    len: u64,
}

impl Default for Spool {
    fn default() -> Self {
        Spool::new()
    }
}

impl Spool {
    pub fn new() -> Spool {
        Spool { state: State::Untouched, len: 0 }
    }

    /// Whether the spool has been read.
    pub fn touched(&self) -> bool {
        !matches!(self.state, State::Untouched)
    }

    /// Feed every byte of standard input to `sink`, chunk by chunk, keeping what is needed
    /// to restore it. Reading twice replays the same bytes.
    pub fn stream(&mut self, sink: &mut dyn FnMut(&[u8])) -> io::Result<()> {
        match &mut self.state {
            State::Untouched => self.first_read(sink),
            State::Rewind { offset } => {
                let offset = *offset;
                let mut f = stdin_file();
                f.seek(SeekFrom::Start(offset))?;
                copy_chunks(&mut *f, sink, &mut |_| Ok(()))?;
                f.seek(SeekFrom::Start(offset))?;
                Ok(())
            }
            State::Memory(buf) => {
                sink(buf);
                Ok(())
            }
            State::Spilled(file) => {
                file.seek(SeekFrom::Start(0))?;
                copy_chunks(file, sink, &mut |_| Ok(()))?;
                Ok(())
            }
            State::Closed => Ok(()),
        }
    }

    fn first_read(&mut self, sink: &mut dyn FnMut(&[u8])) -> io::Result<()> {
        let mut f = stdin_file();
        let meta = match f.metadata() {
            Ok(m) => m,
            Err(_) => {
                self.state = State::Closed;
                return Ok(());
            }
        };
        if meta.is_file()
            && let Ok(offset) = f.stream_position()
        {
            self.state = State::Rewind { offset };
            let mut len = 0u64;
            copy_chunks(&mut *f, sink, &mut |c| {
                len += c.len() as u64;
                Ok(())
            })?;
            self.len = len;
            f.seek(SeekFrom::Start(offset))?;
            return Ok(());
        }
        // A pipe: one thread drains it into the spool while this one analyzes the chunks it
        // hands over, so reading, spooling and scanning overlap (two cores: about the time
        // of the scan alone). At most `IN_FLIGHT` chunks wait between them.
        grow_pipe(&f);
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let drained = std::thread::scope(|scope| {
            let reader = scope.spawn(move || drain(&mut *stdin_file(), &full_tx, &empty_rx));
            for chunk in full_rx {
                sink(&chunk);
                // The reader may be done; a chunk it will not reuse is simply dropped.
                let _ = empty_tx.send(chunk);
            }
            reader.join().unwrap_or_else(|_| Err(io::Error::other("the standard-input reader failed")))
        });
        let (state, len) = drained?;
        self.len = len;
        self.state = state;
        Ok(())
    }

    /// Bytes seen on standard input.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Make fd 0 yield the original bytes again, from the start, for the real program.
    /// The spool is spent afterwards.
    pub fn restore(&mut self) -> io::Result<()> {
        match std::mem::replace(&mut self.state, State::Closed) {
            State::Untouched | State::Closed => Ok(()),
            State::Rewind { offset } => stdin_file().seek(SeekFrom::Start(offset)).map(|_| ()),
            State::Memory(buf) => {
                let mut file = memory_file()?;
                file.write_all(&buf)?;
                install(file)
            }
            State::Spilled(file) => install(file),
        }
    }
}

/// Chunks handed from the pipe reader to the analysis, at most, at any time.
const IN_FLIGHT: usize = 8;
/// Bytes read from a pipe at a time.
const PIPE_CHUNK: usize = 1 << 20;

/// Ask for a 1 MiB pipe buffer (the usual unprivileged maximum): fewer wake-ups between
/// the writer and interlock. Failure is harmless.
#[cfg(target_os = "linux")]
fn grow_pipe(f: &File) {
    let _ = nix::fcntl::fcntl(f, nix::fcntl::FcntlArg::F_SETPIPE_SZ(PIPE_CHUNK as i32));
}

#[cfg(not(target_os = "linux"))]
fn grow_pipe(_: &File) {}

/// Read a pipe to its end: each chunk into the spool (memory up to `MEMORY_LIMIT`, then an
/// unlinked temporary file), then to `full` for analysis. Buffers come back on `empty`.
fn drain(
    from: &mut dyn Read,
    full: &std::sync::mpsc::SyncSender<Vec<u8>>,
    empty: &std::sync::mpsc::Receiver<Vec<u8>>,
) -> io::Result<(State, u64)> {
    let mut memory: Vec<u8> = Vec::new();
    let mut spill: Option<File> = None;
    let mut len = 0u64;
    loop {
        let mut buf = empty.try_recv().unwrap_or_default();
        buf.resize(PIPE_CHUNK, 0);
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        buf.truncate(n);
        len += n as u64;
        if let Some(file) = spill.as_mut() {
            file.write_all(&buf)?;
        } else if memory.len() + n <= MEMORY_LIMIT {
            memory.extend_from_slice(&buf);
        } else {
            let mut file = tempfile::tempfile()?;
            file.write_all(&memory)?;
            file.write_all(&buf)?;
            memory = Vec::new();
            spill = Some(file);
        }
        if full.send(buf).is_err() {
            // The analysis stopped listening; keep spooling so nothing is lost.
            continue;
        }
    }
    let state = match spill {
        Some(file) => State::Spilled(file),
        None => State::Memory(memory),
    };
    Ok((state, len))
}

/// Read `from` in chunks, handing each to `sink` and then `keep`.
fn copy_chunks(
    from: &mut dyn Read,
    sink: &mut dyn FnMut(&[u8]),
    keep: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sink(&buf[..n]);
        keep(&buf[..n])?;
    }
}

/// fd 0 as a `File` that is never closed by drop.
fn stdin_file() -> ManuallyDrop<File> {
    // SAFETY: fd 0 belongs to the process for its whole life; ManuallyDrop keeps this
    // handle from closing it.
    ManuallyDrop::new(unsafe { File::from_raw_fd(0) })
}

/// Rewind `file` and put it on fd 0.
fn install(mut file: File) -> io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    nix::unistd::dup2_stdin(&file).map_err(io::Error::from)?;
    let _ = file.as_raw_fd();
    Ok(())
}

#[cfg(target_os = "linux")]
fn memory_file() -> io::Result<File> {
    use nix::sys::memfd::{MFdFlags, memfd_create};
    match memfd_create("interlock-stdin", MFdFlags::MFD_CLOEXEC) {
        Ok(fd) => Ok(File::from(fd)),
        Err(_) => tempfile::tempfile(),
    }
}

#[cfg(not(target_os = "linux"))]
fn memory_file() -> io::Result<File> {
    tempfile::tempfile()
}
