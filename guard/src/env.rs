//! The environment an exec passes on, rebuilt in fixed-size buffers when it must change.
//!
//! Three changes, nothing else: `LD_PRELOAD` names this library (put back when a caller
//! cleared it, so the guard follows the whole tree); the guard's own variables are dropped
//! (`INTERLOCK_GUARD_EXEC`, a forged `INTERLOCK_GUARD_PASS`); and on a hand-over one of them
//! is added.

use core::ffi::c_char;
use core::mem::MaybeUninit;

use crate::bytes;
use crate::table::{self, Argv, MAX_PATH};

/// The most variables an environment may have for the guard to rebuild it.
const MAX_ENV: usize = 1024;
/// Longest `LD_PRELOAD=…` entry the guard writes.
const PRELOAD_MAX: usize = 8 * 1024;

const PRELOAD: &[u8] = b"LD_PRELOAD=";
/// Set by the guard on the interlock it starts: the path of the program that was meant.
const EXEC: &[u8] = b"INTERLOCK_GUARD_EXEC=";
/// Set by interlock on the real program it execs: that process' pid (the program's own
/// constructor checks it against `getpid`, so it holds for that one process image).
const PASS: &[u8] = b"INTERLOCK_GUARD_PASS=";

/// What to add to the environment.
pub(crate) enum Extra<'a> {
    /// Nothing (an unguarded exec).
    None,
    /// `INTERLOCK_GUARD_PASS=<this pid>` (a hand-over through an intermediary).
    Pass,
    /// `INTERLOCK_GUARD_EXEC=<path>` (a guarded exec sent to interlock).
    Reroute(&'a [u8]),
}

/// Does an exec with `envp` and nothing to add need a rebuilt environment? Only a scan: the
/// common case (the library already in `LD_PRELOAD`) touches no buffer at all.
///
/// # Safety
/// `envp` is NULL or a NULL-terminated array of C strings.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) unsafe fn unchanged(envp: Argv) -> bool {
    if envp.is_null() {
        return false;
    }
    let lib = table::lib();
    let mut preload_ok = false;
    // SAFETY: forwarded from the caller.
    for e in unsafe { Entries::new(envp) } {
        if let Some(value) = e.strip(PRELOAD) {
            preload_ok = names(value, lib);
        } else if e.starts_with(EXEC) || e.starts_with(PASS) {
            return false;
        }
    }
    preload_ok
}

/// Room for one rebuilt environment. Not zeroed: only what is written is touched (see
/// `PathBuf`).
pub(crate) struct EnvBuf {
    ptrs: [MaybeUninit<*const c_char>; MAX_ENV + 4],
    preload: [MaybeUninit<u8>; PRELOAD_MAX],
    extra: [MaybeUninit<u8>; MAX_PATH + 32],
}

impl EnvBuf {
    pub(crate) fn new() -> EnvBuf {
        EnvBuf {
            ptrs: [MaybeUninit::uninit(); MAX_ENV + 4],
            preload: [MaybeUninit::uninit(); PRELOAD_MAX],
            extra: [MaybeUninit::uninit(); MAX_PATH + 32],
        }
    }

    /// The environment to pass on: `envp` itself when nothing must change, else a rebuilt
    /// array that borrows this buffer. None when it does not fit.
    ///
    /// # Safety
    /// `envp` is NULL or a NULL-terminated array of C strings.
    pub(crate) unsafe fn build(&mut self, envp: Argv, extra: Extra<'_>) -> Option<Argv> {
        let lib = table::lib();
        // SAFETY: forwarded from the caller.
        if matches!(extra, Extra::None) && unsafe { unchanged(envp) } {
            return Some(envp);
        }
        // SAFETY: forwarded from the caller.
        let entries = unsafe { Entries::new(envp) };
        let mut n = 0;
        let mut push = |ptrs: &mut [MaybeUninit<*const c_char>], p: *const c_char| -> Option<()> {
            // One slot is always left for the terminating NULL.
            if n + 1 >= ptrs.len() {
                return None;
            }
            *ptrs.get_mut(n)? = MaybeUninit::new(p);
            n += 1;
            Some(())
        };
        let mut preload_done = false;
        for e in entries {
            let ptr = e.0;
            if e.starts_with(EXEC) || e.starts_with(PASS) {
                continue;
            }
            match e.strip(PRELOAD) {
                Some(value) if !preload_done => {
                    preload_done = true;
                    let entry = if names(value, lib) { ptr } else { preload_entry(&mut self.preload, lib, value)? };
                    push(&mut self.ptrs, entry)?;
                }
                Some(_) => {} // a second LD_PRELOAD: the loader reads the first
                None => push(&mut self.ptrs, ptr)?,
            }
        }
        if !preload_done {
            push(&mut self.ptrs, preload_entry(&mut self.preload, lib, b"")?)?;
        }
        match extra {
            Extra::None => {}
            Extra::Pass => {
                let mut digits = [0u8; 12];
                let pid = decimal(crate::sys::getpid().unsigned_abs(), &mut digits);
                push(&mut self.ptrs, join(&mut self.extra, &[PASS, pid])?)?;
            }
            Extra::Reroute(target) => push(&mut self.ptrs, join(&mut self.extra, &[EXEC, target])?)?,
        }
        *self.ptrs.get_mut(n)? = MaybeUninit::new(core::ptr::null());
        // `ptrs[..=n]` is initialized: what the exec reads, up to its NULL.
        Some(self.ptrs.as_ptr().cast())
    }
}

/// Does an `LD_PRELOAD` value (colon- or space-separated) name `lib`?
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn names(value: &[u8], lib: &[u8]) -> bool {
    value.split(|&b| b == b':' || b == b' ').any(|entry| bytes::eq(entry, lib))
}

/// `LD_PRELOAD=<lib>[:<old>]`, NUL-terminated, in `buf`.
fn preload_entry(buf: &mut [MaybeUninit<u8>], lib: &[u8], old: &[u8]) -> Option<*const c_char> {
    if old.is_empty() { join(buf, &[PRELOAD, lib]) } else { join(buf, &[PRELOAD, lib, b":", old]) }
}

/// The parts one after another and a NUL, in `buf`.
fn join(buf: &mut [MaybeUninit<u8>], parts: &[&[u8]]) -> Option<*const c_char> {
    let mut at = 0;
    for part in parts {
        for (slot, &b) in buf.get_mut(at..at + part.len())?.iter_mut().zip(part.iter()) {
            *slot = MaybeUninit::new(b);
        }
        at += part.len();
    }
    *buf.get_mut(at)? = MaybeUninit::new(0);
    Some(buf.as_ptr().cast())
}

/// `n` in decimal, in the tail of `buf`.
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn decimal(mut n: u32, buf: &mut [u8; 12]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    buf.get(i..).unwrap_or(b"0")
}

/// The entries of a NULL-terminated array of C strings, with their pointers.
struct Entries {
    at: Argv,
}

impl Entries {
    /// # Safety
    /// `envp` is NULL or a NULL-terminated array of C strings that outlives the iterator.
    unsafe fn new(envp: Argv) -> Entries {
        Entries { at: envp }
    }
}

/// One environment entry, read only as far as a question needs: most are never read past
/// their first bytes (`LS_COLORS` and `PATH` can be kilobytes, and every process start asks).
#[derive(Clone, Copy)]
struct Entry(*const c_char);

impl Entry {
    /// Whether the entry starts with `prefix`.
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    fn starts_with(self, prefix: &[u8]) -> bool {
        prefix.iter().enumerate().all(|(i, &b)| {
            // SAFETY: a C string: each byte read is before or at its NUL (a NUL ends the
            // comparison, as it differs from every byte of `prefix`).
            unsafe { core::ptr::read_volatile(self.0.add(i).cast::<u8>()) == b }
        })
    }

    /// The rest of the entry after `prefix`, when it starts with it.
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    fn strip(self, prefix: &[u8]) -> Option<&'static [u8]> {
        // SAFETY: the prefix was matched, so the string goes on at least to its end.
        self.starts_with(prefix).then(|| unsafe { bytes::cstr(self.0.add(prefix.len())) })
    }
}

impl Iterator for Entries {
    type Item = Entry;

    #[unsafe(link_section = ".text.hot.interlock_guard")]
    fn next(&mut self) -> Option<Self::Item> {
        if self.at.is_null() {
            return None;
        }
        // SAFETY: `new`'s contract: a NULL-terminated array, read up to its NULL.
        let ptr = unsafe { *self.at };
        if ptr.is_null() {
            return None;
        }
        // SAFETY: as above; the next slot exists because this one was not the NULL.
        self.at = unsafe { self.at.add(1) };
        Some(Entry(ptr))
    }
}

/// The value of the variable `name=` (given with its `=`) in `envp`, as `getenv` finds it
/// (the first entry), without a call into libc: every libc symbol this library imports is a
/// lookup at every process start.
///
/// # Safety
/// `envp` is NULL or a NULL-terminated array of C strings that live as long as the process.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) unsafe fn var(envp: Argv, name: &[u8]) -> Option<&'static [u8]> {
    // SAFETY: forwarded from the caller.
    unsafe { Entries::new(envp) }.find_map(|e| e.strip(name))
}

/// `AT_EXECFN` from the auxiliary vector, which the kernel places after the initial
/// environment's NULL (read in place: libc's `getauxval` would cost this library a PLT
/// lookup at every process start). NULL when absent.
///
/// # Safety
/// `envp` is the process' initial environment as the kernel laid it out (it follows argv's
/// NULL), not one a program built later.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) unsafe fn auxv_execfn(envp: Argv) -> *const c_char {
    if envp.is_null() {
        return core::ptr::null();
    }
    let mut p = envp;
    // SAFETY: the environment is NULL-terminated; the auxiliary vector follows it as
    // (type, value) pairs of machine words, ended by AT_NULL.
    unsafe {
        while !(*p).is_null() {
            p = p.add(1);
        }
        let mut aux = p.add(1).cast::<usize>();
        loop {
            let (kind, value) = (*aux, *aux.add(1));
            match kind as libc::c_ulong {
                libc::AT_NULL => return core::ptr::null(),
                libc::AT_EXECFN => return value as *const c_char,
                _ => aux = aux.add(2),
            }
        }
    }
}

/// The element of `LD_PRELOAD` in `envp` whose path ends with `suffix` (this library).
///
/// # Safety
/// `envp` is NULL or a NULL-terminated array of C strings that live as long as the process.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) unsafe fn preloaded_self(envp: Argv, suffix: &[u8]) -> Option<&'static [u8]> {
    // SAFETY: forwarded from the caller.
    let value = unsafe { Entries::new(envp) }.find_map(|e| e.strip(PRELOAD))?;
    value.split(|&b| b == b':' || b == b' ').find(|entry| {
        entry.len() >= suffix.len() && bytes::eq(entry.get(entry.len() - suffix.len()..).unwrap_or(b""), suffix)
    })
}

/// At process start: is `INTERLOCK_GUARD_PASS` this process' pid? Every `INTERLOCK_GUARD_PASS`
/// entry is removed from the array (shifting the rest down), so the program never sees it.
///
/// # Safety
/// `envp` is the process' environment array (`environ`), writable and NULL-terminated, and
/// no other thread exists.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) unsafe fn take_pass(envp: Argv) -> bool {
    if envp.is_null() {
        return false;
    }
    let envp = envp.cast_mut();
    let mut matched = false;
    let (mut read, mut write) = (0usize, 0usize);
    loop {
        // SAFETY: reading up to and including the terminating NULL of the array.
        let ptr = unsafe { *envp.add(read) };
        if ptr.is_null() {
            if write != read {
                // SAFETY: write < read: within the array.
                unsafe { *envp.add(write) = ptr };
            }
            return matched;
        }
        read += 1;
        if let Some(value) = Entry(ptr).strip(PASS) {
            // Only a process that has the variable asks for its pid.
            let mut digits = [0u8; 12];
            matched |= bytes::eq(value, decimal(crate::sys::getpid().unsigned_abs(), &mut digits));
            continue;
        }
        if write != read - 1 {
            // SAFETY: write < read: within the array.
            unsafe { *envp.add(write) = ptr };
        }
        write += 1;
    }
}
