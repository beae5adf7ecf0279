//! What is guarded, prepared once at load time; fixed-size path buffers; file identities.
//!
//! The table is `guard.table` in the directory this library was loaded from, written by
//! `interlock shims install`:
//!
//! ```text
//! interlock-guard 1
//! interlock /home/me/.local/bin/interlock
//! self 2049 131077
//! name curl
//! id 2049 393228 curl
//! ```
//!
//! `interlock` is the binary guarded calls are handed to, `self` its identity (device, inode),
//! `name` a guarded basename (a shim), `id` the identity of a real binary behind a shim (and its
//! name), `loader` the identity of the dynamic loader (`ld.so PROGRAM` runs PROGRAM).
//! A file that does not start with the magic line, or lacks `interlock` and `self`, leaves
//! the guard out of the way (`interlock doctor` reports it); other unknown lines are ignored.

use core::cell::UnsafeCell;
use core::ffi::{CStr, c_char, c_int, c_void};
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicPtr, Ordering};

use libc::{pid_t, posix_spawn_file_actions_t, posix_spawnattr_t};

use crate::{bytes, env, sys};

/// Longest path the guard handles (Linux's `PATH_MAX`, NUL included).
pub(crate) const MAX_PATH: usize = 4096;
/// Largest table the guard reads (an install writes a few kilobytes).
const TABLE_BYTES: usize = 64 * 1024;
const TABLE_FILE: &[u8] = b"guard.table";
/// This library's file name, as `install.sh` names it.
const LIB_FILE: &[u8] = b"/libinterlock_guard.so";
const MAGIC: &[u8] = b"interlock-guard 1";

pub(crate) type Argv = *const *const c_char;
pub(crate) type SpawnFn = unsafe extern "C" fn(
    *mut pid_t,
    *const c_char,
    *const posix_spawn_file_actions_t,
    *const posix_spawnattr_t,
    *const *mut c_char,
    *const *mut c_char,
) -> c_int;

/// libc's `posix_spawn` and `posix_spawnp`, looked up with `dlsym(RTLD_NEXT, …)` on first use.
/// The spawn functions run in the parent, where `dlsym` may take its locks; the exec family
/// needs no lookup at all (it makes the system calls itself, see `sys`), so nothing that can
/// run in a vfork child ever calls the dynamic loader.
/// (In `.data`, with everything else the library writes: see `Image`.)
#[unsafe(link_section = ".data.interlock_guard")]
static SPAWN: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());
#[unsafe(link_section = ".data.interlock_guard")]
static SPAWNP: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());

fn resolve_symbol(slot: &AtomicPtr<c_void>, name: &CStr) -> Option<SpawnFn> {
    let mut f = slot.load(Ordering::Acquire);
    if f.is_null() {
        // SAFETY: RTLD_NEXT lookup of a C string.
        f = unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr()) };
        slot.store(f, Ordering::Release);
    }
    // SAFETY: the symbol is libc's function of that type, or NULL (None).
    unsafe { core::mem::transmute::<*mut c_void, Option<SpawnFn>>(f) }
}

/// libc's `posix_spawn`.
pub(crate) fn posix_spawn() -> Option<SpawnFn> {
    resolve_symbol(&SPAWN, c"posix_spawn")
}

/// libc's `posix_spawnp`.
pub(crate) fn posix_spawnp() -> Option<SpawnFn> {
    resolve_symbol(&SPAWNP, c"posix_spawnp")
}

/// Everything the guard knows. It lives in `Image`, beside the table.
#[repr(C)]
struct State {
    ready: bool,
    /// This library's path as the loader saw it (what `LD_PRELOAD` must name): the loader's
    /// own string, valid as long as the library is mapped.
    lib: *const c_char,
    lib_len: usize,
    self_id: (u64, u64),
    /// The interlock binary: `table()[interlock.0..interlock.1]`.
    interlock: (usize, usize),
    /// The pid of a process image interlock exec'd that is not itself guarded (0: none).
    handed_over: pid_t,
    /// The table text: inside the slot, or a private mapping of `guard.table`.
    text: *const u8,
    len: usize,
}

/// Room for the table inside the library file itself. `interlock shims install` writes the
/// table after the marker (a NUL ends it); a library whose slot is empty reads `guard.table`
/// beside it. Reading the table from the library's own pages costs a process start no system
/// call.
const SLOT_MARKER: &[u8; 32] = b"INTERLOCK-GUARD-TABLE-SLOT-v1\n\0\0";
const SLOT_BYTES: usize = 32 * 1024;

/// The state and the table slot, together in the library's writable segment, right after the
/// GOT. Every page a process start touches costs (in a virtual machine, a fault is
/// microseconds), and the loader writes the GOT's page anyway while relocating: the state and
/// the first kilobytes of the table then share a page that is already there. The library has
/// no `.bss` (everything is here), so the loader maps no anonymous memory for it either.
#[repr(C)]
struct Image {
    state: UnsafeCell<State>,
    slot: [u8; SLOT_BYTES],
}

// SAFETY: the state is written only by the constructor (`load`, `set_handed_over`), which
// runs before `main` and before any other thread exists; afterwards it is only read. The
// slot is never written.
unsafe impl Sync for Image {}

#[used]
#[unsafe(link_section = ".data.interlock_guard")]
static IMAGE: Image = Image {
    state: UnsafeCell::new(State {
        ready: false,
        lib: core::ptr::null(),
        lib_len: 0,
        self_id: (0, 0),
        interlock: (0, 0),
        handed_over: 0,
        text: core::ptr::null(),
        len: 0,
    }),
    slot: slot_bytes(),
};

// Constant evaluation: an index out of range would fail the build, not the program.
#[allow(clippy::indexing_slicing)]
const fn slot_bytes() -> [u8; SLOT_BYTES] {
    let mut bytes = [0u8; SLOT_BYTES];
    let mut i = 0;
    while i < SLOT_MARKER.len() {
        bytes[i] = SLOT_MARKER[i];
        i += 1;
    }
    bytes
}

/// The table embedded in this library, if `shims install` wrote one.
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn embedded() -> Option<&'static [u8]> {
    // Through `black_box`: the compiler must read what the file holds (patched after the
    // build), not fold in the empty slot it compiled.
    let slot: &'static [u8; SLOT_BYTES] = core::hint::black_box(&IMAGE.slot);
    let text = slot.get(SLOT_MARKER.len()..)?;
    let len = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    (len > 0).then(|| text.get(..len)).flatten()
}

/// The table text.
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn table() -> &'static [u8] {
    let st = state();
    if st.text.is_null() {
        return b"";
    }
    // SAFETY: `text` points at `len` bytes of the slot or of the table file's mapping, which
    // stays for the life of the process.
    unsafe { core::slice::from_raw_parts(st.text, st.len) }
}

fn state() -> &'static State {
    // SAFETY: see `Image`: read-only once the constructor has returned.
    unsafe { &*IMAGE.state.get() }
}

/// Finds this library and reads the table beside it. Returns whether the guard is active.
///
/// # Safety
/// Only from the constructor, with the process' `envp`: no other thread may exist, nothing
/// may read the state yet.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) unsafe fn load(envp: Argv) -> bool {
    // SAFETY: the caller guarantees exclusive access.
    let st = unsafe { &mut *IMAGE.state.get() };
    // Where this library was loaded from: the entry of LD_PRELOAD that names it (a string of
    // the initial environment, which lives as long as the process), else the loader's word.
    // SAFETY: forwarded from the caller.
    let (lib, len) = match unsafe { env::preloaded_self(envp, LIB_FILE) } {
        Some(entry) => (entry.as_ptr().cast::<c_char>(), entry.len()),
        None => match loaded_from() {
            Some(p) => p,
            None => return false,
        },
    };
    st.lib = lib;
    st.lib_len = len;
    let lib = self::lib();
    let dir = match lib.iter().rposition(|&b| b == b'/') {
        Some(i) => lib.get(..=i).unwrap_or(b"./"),
        None => b"./",
    };
    if let Some(text) = embedded() {
        st.text = text.as_ptr();
        st.len = text.len();
    } else {
        let mut path = PathBuf::new();
        if !path.set_bytes(dir) || !path.push(TABLE_FILE) {
            return false;
        }
        let Some((text, len)) = map_file(path.as_cstr()) else { return false };
        st.text = text;
        st.len = len;
    }
    st.ready = parse(st);
    st.ready
}

/// This library's path from the dynamic loader (when `LD_PRELOAD` does not name it, e.g.
/// `/etc/ld.so.preload`).
#[cold]
fn loaded_from() -> Option<(*const c_char, usize)> {
    let mut info = libc::Dl_info {
        dli_fname: core::ptr::null(),
        dli_fbase: core::ptr::null_mut(),
        dli_sname: core::ptr::null(),
        dli_saddr: core::ptr::null_mut(),
    };
    // Looked up when needed (rarely: `/etc/ld.so.preload`), not imported: every import is a
    // symbol lookup at every process start.
    type Dladdr = unsafe extern "C" fn(*const c_void, *mut libc::Dl_info) -> c_int;
    // SAFETY: a lookup of a C string.
    let f = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"dladdr".as_ptr()) };
    if f.is_null() {
        return None;
    }
    // SAFETY: libc's `dladdr` has this type.
    let dladdr = unsafe { core::mem::transmute::<*mut c_void, Dladdr>(f) };
    // SAFETY: `loaded_from` is a function of this library; dladdr fills `info`.
    if unsafe { dladdr(loaded_from as *const c_void, &mut info) } == 0 || info.dli_fname.is_null() {
        return None;
    }
    // SAFETY: dladdr returned a C string that lives as long as the mapping.
    Some((info.dli_fname, unsafe { bytes::cstr(info.dli_fname) }.len()))
}

/// Maps a whole file (read-only, private, for the life of the process); None when it cannot
/// be read, is empty or is larger than a table can be.
#[cold]
fn map_file(path: &CStr) -> Option<(*const u8, usize)> {
    let fd = sys::openat_read(libc::AT_FDCWD, path);
    let fd = c_int::try_from(fd).ok().filter(|&fd| fd >= 0)?;
    let mapped =
        sys::file_size(fd).filter(|&n| n > 0 && n <= TABLE_BYTES).and_then(|n| Some((sys::map_read(fd, n)?, n)));
    sys::close(fd);
    mapped
}

/// The lines of the table after its first: `(key, value)`. A NUL ends a line too.
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn items(text: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    text.split(|&b| b == b'\n' || b == 0).skip(1).filter(|l| !l.is_empty()).map(|line| {
        match line.iter().position(|&b| b == b' ') {
            Some(i) => (line.get(..i).unwrap_or(b""), line.get(i + 1..).unwrap_or(b"")),
            None => (line, &b""[..]),
        }
    })
}

/// Checks the table text and notes the interlock binary and its identity. False: an invalid table, and the guard stays out of the way.
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn parse(st: &mut State) -> bool {
    if st.text.is_null() {
        return false;
    }
    // SAFETY: `text` points at `len` bytes of the slot or of the file's mapping (see `load`).
    let text: &'static [u8] = unsafe { core::slice::from_raw_parts(st.text, st.len) };
    if text.split(|&b| b == b'\n').next() != Some(MAGIC) {
        return false;
    }
    let base = text.as_ptr() as usize;
    let (mut interlock, mut self_id) = (None, None);
    // The writer puts these two first; the rest is read when a lookup needs it (every process
    // start parses this, so it stops as soon as it can).
    for (key, value) in items(text) {
        match key {
            b"interlock" if value.first() == Some(&b'/') && value.len() < MAX_PATH => {
                let start = value.as_ptr() as usize - base;
                interlock = Some((start, start + value.len()));
            }
            b"self" => self_id = parse_id(value),
            _ => {}
        }
        if interlock.is_some() && self_id.is_some() {
            break;
        }
    }
    let (Some(interlock), Some(self_id)) = (interlock, self_id) else { return false };
    st.interlock = interlock;
    st.self_id = self_id;
    true
}

/// `DEV INO` (an `id` line may name the program after them).
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn parse_id(text: &[u8]) -> Option<(u64, u64)> {
    let mut fields = text.split(|&b| b == b' ');
    Some((parse_u64(fields.next()?)?, parse_u64(fields.next()?)?))
}

#[unsafe(link_section = ".text.hot.interlock_guard")]
fn parse_u64(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |n, &b| {
        if b.is_ascii_digit() { n.checked_mul(10)?.checked_add(u64::from(b - b'0')) } else { None }
    })
}

/// Whether the table was read: with no table the guard stays out of the way.
pub(crate) fn ready() -> bool {
    state().ready
}

/// The interlock binary guarded calls are handed to.
pub(crate) fn interlock() -> &'static [u8] {
    let st = state();
    table().get(st.interlock.0..st.interlock.1).unwrap_or(b"/nonexistent/interlock")
}

/// This library's path, as `LD_PRELOAD` names it.
pub(crate) fn lib() -> &'static [u8] {
    let st = state();
    if st.lib.is_null() {
        return b"";
    }
    // SAFETY: the loader's string for this library, `lib_len` bytes, alive while it is mapped.
    unsafe { core::slice::from_raw_parts(st.lib.cast::<u8>(), st.lib_len) }
}

/// Marks this process image as one interlock exec'd without judging it (called from the
/// constructor only).
pub(crate) fn set_handed_over() {
    // SAFETY: called from the constructor only (see `Global`).
    unsafe { (*IMAGE.state.get()).handed_over = sys::getpid() };
}

/// Whether a guarded program this process runs was judged already: this image was handed
/// over by interlock and the exec replaces this very process (not a fork or vfork child).
pub(crate) fn handed_over() -> bool {
    let pid = state().handed_over;
    pid != 0 && pid == sys::getpid()
}

/// What to do with an exec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Not guarded: let it through.
    Pass,
    /// Guarded: hand it to interlock.
    Guard,
}

/// A file's identity and type, from `stat`.
pub(crate) struct Identity {
    dev: u64,
    ino: u64,
    mode: u32,
}

impl Identity {
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    fn from_stat(st: &libc::stat) -> Identity {
        Identity { dev: st.st_dev, ino: st.st_ino, mode: st.st_mode }
    }

    /// The file `path` names, symlinks followed; None when it cannot be examined (the exec
    /// then fails by itself).
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    pub(crate) fn of_path(path: &CStr) -> Option<Identity> {
        // SAFETY: a C string.
        unsafe { Identity::of_ptr(path.as_ptr()) }
    }

    /// As `of_path`, for a C string pointer.
    ///
    /// # Safety
    /// `path` is a C string.
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    pub(crate) unsafe fn of_ptr(path: *const c_char) -> Option<Identity> {
        // SAFETY: forwarded.
        unsafe { Identity::of_at(libc::AT_FDCWD, path, 0) }
    }

    /// The file `execveat(dirfd, path, …, flags)` would run.
    ///
    /// # Safety
    /// `path` is a C string.
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    pub(crate) unsafe fn of_at(dirfd: c_int, path: *const c_char, flags: c_int) -> Option<Identity> {
        // Not zeroed first (that would be a call of libc's memset): the kernel fills it.
        let mut st = core::mem::MaybeUninit::<libc::stat>::uninit();
        let flags = flags & (libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW);
        // SAFETY: a C string (the caller's contract) and a buffer we own.
        if unsafe { sys::fstatat(dirfd, path, st.as_mut_ptr(), flags) } != 0 {
            return None;
        }
        // SAFETY: the system call succeeded, so the kernel wrote the whole structure.
        Some(Identity::from_stat(unsafe { st.assume_init_ref() }))
    }
}

#[unsafe(link_section = ".text.hot.interlock_guard")]
fn basename(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => path.get(i + 1..).unwrap_or(b""),
        None => path,
    }
}

/// Is the program at `path` (with identity `id`) guarded?
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) fn classify(path: &[u8], id: &Identity) -> Verdict {
    lookup(path, id).0
}

/// One pass over the table for the file at `path` with identity `id`: is it guarded, and is
/// it the dynamic loader? Identities are compared as the text the table holds them in.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) fn lookup(path: &[u8], id: &Identity) -> (Verdict, bool) {
    let st = state();
    if !st.ready || (id.dev, id.ino) == st.self_id {
        // The interlock binary itself (a shim): it judges the call.
        return (Verdict::Pass, false);
    }
    let runnable = id.mode & libc::S_IFMT == libc::S_IFREG && id.mode & 0o111 != 0;
    let name = basename(path);
    let mut digits = [0u8; 48];
    let needle = id_text(id, &mut digits);
    let (mut guarded, mut loader) = (false, false);
    for (key, value) in items(table()) {
        match key {
            b"name" => guarded |= runnable && bytes::eq(value, name),
            b"id" => guarded |= runnable && starts_id(value, needle),
            b"loader" => loader |= starts_id(value, needle),
            _ => {}
        }
    }
    (if guarded { Verdict::Guard } else { Verdict::Pass }, loader)
}

/// `DEV INO` in decimal, as the table writes an identity, in `buf`.
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn id_text<'a>(id: &Identity, buf: &'a mut [u8; 48]) -> &'a [u8] {
    let mut at = buf.len();
    for (n, sep) in [(id.ino, false), (id.dev, true)] {
        let mut n = n;
        loop {
            at -= 1;
            if let Some(d) = buf.get_mut(at) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if sep {
            break;
        }
        at -= 1;
        if let Some(space) = buf.get_mut(at) {
            *space = b' ';
        }
    }
    buf.get(at..).unwrap_or(b"")
}

/// Does an `id`/`loader` value (`DEV INO [NAME]`) name the identity `needle` (`DEV INO`)?
#[unsafe(link_section = ".text.hot.interlock_guard")]
fn starts_id(value: &[u8], needle: &[u8]) -> bool {
    value.len() >= needle.len()
        && bytes::eq(value.get(..needle.len()).unwrap_or(b""), needle)
        && matches!(value.get(needle.len()), None | Some(b' '))
}

/// The dynamic loader run as a program (`/lib64/ld-linux-x86-64.so.2 /usr/bin/curl …`).
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) fn is_loader(path: &[u8]) -> bool {
    let name = basename(path);
    name == b"ld.so" || (name.starts_with(b"ld-") && name.windows(3).any(|w| w == b".so"))
}

/// The file an exec-by-name of `file` will run: `file` itself when it names a path, else the
/// first executable regular file of that name on this process' PATH (glibc's default path when
/// PATH is unset). None: nothing found (libc will fail the call by itself).
///
/// # Safety
/// `file` is NULL or a C string.
pub(crate) unsafe fn resolve(file: *const c_char) -> Option<PathBuf> {
    if file.is_null() {
        return None;
    }
    // SAFETY: a C string.
    let name = unsafe { CStr::from_ptr(file) }.to_bytes();
    let mut found = PathBuf::new();
    if name.contains(&b'/') {
        return found.set_bytes(name).then_some(found);
    }
    if name.is_empty() {
        return None;
    }
    // SAFETY: `environ` is the process' environment.
    let dirs = unsafe { env::var(crate::environ, b"PATH=") }.unwrap_or(b"/bin:/usr/bin");
    for dir in dirs.split(|&b| b == b':') {
        let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
        if !(found.set_bytes(dir) && found.push(b"/") && found.push(name)) {
            continue;
        }
        let executable = Identity::of_path(found.as_cstr()).is_some_and(|id| id.mode & libc::S_IFMT == libc::S_IFREG)
            && sys::executable(found.as_cstr());
        if executable {
            return Some(found);
        }
    }
    None
}

/// A path in a fixed buffer, always NUL-terminated. The buffer is not zeroed first: a fork
/// child that builds one writes only the bytes it needs, so it copies as few of its parent's
/// stack pages as possible.
pub(crate) struct PathBuf {
    buf: [MaybeUninit<u8>; MAX_PATH],
    /// Bytes before the NUL; `buf[..=len]` is initialized.
    len: usize,
}

impl PathBuf {
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    pub(crate) fn new() -> PathBuf {
        let mut buf = [MaybeUninit::uninit(); MAX_PATH];
        buf[0] = MaybeUninit::new(0);
        PathBuf { buf, len: 0 }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        // SAFETY: `buf[..len]` is initialized (the invariant above), and len < MAX_PATH.
        unsafe { core::slice::from_raw_parts(self.buf.as_ptr().cast::<u8>(), self.len) }
    }

    #[unsafe(link_section = ".text.hot.interlock_guard")]
    pub(crate) fn as_cstr(&self) -> &CStr {
        // SAFETY: `buf[..=len]` is initialized, holds no NUL before `len` (`push` refuses one,
        // a link target has none) and `buf[len]` is NUL: the invariant of this type.
        unsafe {
            CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(
                self.buf.as_ptr().cast::<u8>(),
                self.len + 1,
            ))
        }
    }

    /// Replaces the content; false when it does not fit or holds a NUL.
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    pub(crate) fn set_bytes(&mut self, bytes: &[u8]) -> bool {
        self.len = 0;
        self.push(bytes)
    }

    /// Appends; false (content unchanged) when it does not fit or holds a NUL.
    #[unsafe(link_section = ".text.hot.interlock_guard")]
    pub(crate) fn push(&mut self, bytes: &[u8]) -> bool {
        let end = self.len + bytes.len();
        if bytes.contains(&0) || end >= MAX_PATH {
            return false;
        }
        // SAFETY: `end < MAX_PATH`, so `len..=end` is inside the buffer; the source is a slice
        // that cannot overlap a buffer we hold `&mut` to.
        unsafe {
            // Byte by byte, not `memcpy`: a call into libc would touch one more of its pages.
            let at = self.buf.as_mut_ptr().cast::<u8>().add(self.len);
            for (i, &b) in bytes.iter().enumerate() {
                core::ptr::write_volatile(at.add(i), b);
            }
            *at.add(bytes.len()) = 0;
        }
        self.len = end;
        true
    }

    /// Replaces the content with the target of the symbolic link `link`.
    pub(crate) fn readlink(&mut self, link: &CStr) -> bool {
        // One byte kept for the NUL.
        let n = sys::readlink(link, self.buf.get_mut(..MAX_PATH - 1).unwrap_or(&mut []));
        let Ok(n) = usize::try_from(n) else {
            self.len = 0;
            self.buf[0] = MaybeUninit::new(0);
            return false;
        };
        // readlink wrote `n` bytes (a link target holds no NUL); n <= MAX_PATH - 1.
        self.len = n;
        if let Some(nul) = self.buf.get_mut(n) {
            *nul = MaybeUninit::new(0);
        }
        n > 0
    }

    /// The path of the file open on `fd`, joined with `rel` when `rel` is not empty.
    pub(crate) fn fd_path(&mut self, fd: c_int, rel: &[u8]) -> bool {
        let mut link = PathBuf::new();
        let mut digits = [0u8; 12];
        let mut n = fd.unsigned_abs();
        let mut i = digits.len();
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        if fd < 0 || !link.set_bytes(b"/proc/self/fd/") || !link.push(digits.get(i..).unwrap_or(b"")) {
            return false;
        }
        self.readlink(link.as_cstr()) && (rel.is_empty() || (self.push(b"/") && self.push(rel)))
    }
}
