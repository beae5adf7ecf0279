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
//! `name` a guarded basename (a shim), `id` the identity of a real binary behind a shim (and its name).
//! Anything else in the file makes the table invalid, and the guard then stays out of the way:
//! `interlock doctor` reports it.

use core::cell::UnsafeCell;
use core::ffi::{CStr, c_char, c_int, c_void};

use libc::{pid_t, posix_spawn_file_actions_t, posix_spawnattr_t};

/// Longest path the guard handles (Linux's `PATH_MAX`, NUL included).
pub(crate) const MAX_PATH: usize = 4096;
const MAX_NAMES: usize = 1024;
const NAMES_BYTES: usize = 16 * 1024;
const MAX_IDS: usize = 4096;
const TABLE_BYTES: usize = 256 * 1024;
const TABLE_FILE: &[u8] = b"guard.table";
const MAGIC: &[u8] = b"interlock-guard 1";

pub(crate) type Argv = *const *const c_char;
pub(crate) type ExecveFn = unsafe extern "C" fn(*const c_char, Argv, Argv) -> c_int;
pub(crate) type ExecveatFn = unsafe extern "C" fn(c_int, *const c_char, Argv, Argv, c_int) -> c_int;
pub(crate) type FexecveFn = unsafe extern "C" fn(c_int, Argv, Argv) -> c_int;
pub(crate) type SpawnFn = unsafe extern "C" fn(
    *mut pid_t,
    *const c_char,
    *const posix_spawn_file_actions_t,
    *const posix_spawnattr_t,
    *const *mut c_char,
    *const *mut c_char,
) -> c_int;

/// libc's own functions, found with `dlsym(RTLD_NEXT, …)` at load time (never later: `dlsym`
/// takes locks and may allocate).
pub(crate) struct Real {
    pub(crate) execve: Option<ExecveFn>,
    pub(crate) execvpe: Option<ExecveFn>,
    pub(crate) execveat: Option<ExecveatFn>,
    pub(crate) fexecve: Option<FexecveFn>,
    pub(crate) posix_spawn: Option<SpawnFn>,
    pub(crate) posix_spawnp: Option<SpawnFn>,
}

struct State {
    ready: bool,
    real: Real,
    /// The interlock binary, NUL-terminated.
    interlock: [u8; MAX_PATH],
    /// This library's path as the loader saw it (what `LD_PRELOAD` must name).
    lib: [u8; MAX_PATH],
    lib_len: usize,
    self_id: (u64, u64),
    names: [u8; NAMES_BYTES],
    name_spans: [(u16, u16); MAX_NAMES],
    n_names: usize,
    ids: [(u64, u64); MAX_IDS],
    n_ids: usize,
    /// The pid of a process image interlock exec'd that is not itself guarded (0: none).
    handed_over: pid_t,
    file: [u8; TABLE_BYTES],
}

struct Global(UnsafeCell<State>);

// SAFETY: the state is written only by the constructor (`load`, `set_handed_over`), which
// runs before `main` and before any other thread exists; afterwards it is only read.
unsafe impl Sync for Global {}

static STATE: Global = Global(UnsafeCell::new(State {
    ready: false,
    real: Real { execve: None, execvpe: None, execveat: None, fexecve: None, posix_spawn: None, posix_spawnp: None },
    interlock: [0; MAX_PATH],
    lib: [0; MAX_PATH],
    lib_len: 0,
    self_id: (0, 0),
    names: [0; NAMES_BYTES],
    name_spans: [(0, 0); MAX_NAMES],
    n_names: 0,
    ids: [(0, 0); MAX_IDS],
    n_ids: 0,
    handed_over: 0,
    file: [0; TABLE_BYTES],
}));

fn state() -> &'static State {
    // SAFETY: see `Global`: read-only once the constructor has returned.
    unsafe { &*STATE.0.get() }
}

/// Looks up libc's functions and reads the table. Returns whether the guard is active.
///
/// # Safety
/// Only from the constructor: no other thread may exist, nothing may read the state yet.
pub(crate) unsafe fn load() -> bool {
    // SAFETY: the caller guarantees exclusive access.
    let st = unsafe { &mut *STATE.0.get() };
    // SAFETY: dlsym with RTLD_NEXT and a C string; a missing symbol is NULL, which the
    // `Option<fn>` types represent as None.
    unsafe {
        st.real.execve = core::mem::transmute::<*mut c_void, Option<ExecveFn>>(next(c"execve"));
        st.real.execvpe = core::mem::transmute::<*mut c_void, Option<ExecveFn>>(next(c"execvpe"));
        st.real.execveat = core::mem::transmute::<*mut c_void, Option<ExecveatFn>>(next(c"execveat"));
        st.real.fexecve = core::mem::transmute::<*mut c_void, Option<FexecveFn>>(next(c"fexecve"));
        st.real.posix_spawn = core::mem::transmute::<*mut c_void, Option<SpawnFn>>(next(c"posix_spawn"));
        st.real.posix_spawnp = core::mem::transmute::<*mut c_void, Option<SpawnFn>>(next(c"posix_spawnp"));
    }
    // Where this library was loaded from: the table is beside it.
    let mut info = libc::Dl_info {
        dli_fname: core::ptr::null(),
        dli_fbase: core::ptr::null_mut(),
        dli_sname: core::ptr::null(),
        dli_saddr: core::ptr::null_mut(),
    };
    // SAFETY: `load` is a function of this library; dladdr fills `info`.
    if unsafe { libc::dladdr(load as *const c_void, &mut info) } == 0 || info.dli_fname.is_null() {
        return false;
    }
    // SAFETY: dladdr returned a C string that lives as long as the mapping.
    let lib = unsafe { CStr::from_ptr(info.dli_fname) }.to_bytes();
    if lib.len() >= MAX_PATH || !copy_into(&mut st.lib, lib) {
        return false;
    }
    st.lib_len = lib.len();
    let dir = match lib.iter().rposition(|&b| b == b'/') {
        Some(i) => lib.get(..=i).unwrap_or(b"./"),
        None => b"./",
    };
    let mut path = PathBuf::new();
    if !path.set_bytes(dir) || !path.push(TABLE_FILE) {
        return false;
    }
    let Some(len) = read_file(path.as_cstr(), &mut st.file) else { return false };
    st.ready = parse(st, len);
    st.ready
}

fn next(name: &CStr) -> *mut c_void {
    // SAFETY: RTLD_NEXT lookup of a C string.
    unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr()) }
}

/// Reads a whole file into `buf`; None when it cannot be read or does not fit.
fn read_file(path: &CStr, buf: &mut [u8]) -> Option<usize> {
    // SAFETY: open/read/close on a C string path and a buffer we own.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return None;
        }
        let mut len = 0;
        loop {
            let rest = buf.get_mut(len..).unwrap_or(&mut []);
            if rest.is_empty() {
                libc::close(fd);
                return None;
            }
            let n = libc::read(fd, rest.as_mut_ptr().cast(), rest.len());
            if n < 0 && *libc::__errno_location() == libc::EINTR {
                continue;
            }
            if n <= 0 {
                libc::close(fd);
                return if n == 0 { Some(len) } else { None };
            }
            len += n as usize;
        }
    }
}

/// Parses the table text held in `st.file[..len]` into the state. False: invalid table.
fn parse(st: &mut State, len: usize) -> bool {
    let Some(text) = st.file.get(..len) else { return false };
    let mut lines = text.split(|&b| b == b'\n').filter(|l| !l.is_empty());
    if lines.next() != Some(MAGIC) {
        return false;
    }
    let (mut have_interlock, mut have_self) = (false, false);
    for line in lines {
        let (key, value) = match line.iter().position(|&b| b == b' ') {
            Some(i) => (line.get(..i).unwrap_or(b""), line.get(i + 1..).unwrap_or(b"")),
            None => return false,
        };
        match key {
            b"interlock" => {
                if value.first() != Some(&b'/') || value.len() >= MAX_PATH || !copy_into(&mut st.interlock, value) {
                    return false;
                }
                have_interlock = true;
            }
            b"self" => {
                let Some(id) = parse_id(value) else { return false };
                st.self_id = id;
                have_self = true;
            }
            b"name" => {
                let start = st.name_spans.get(st.n_names.wrapping_sub(1)).map_or(0, |&(_, end)| end as usize);
                let end = start + value.len();
                if st.n_names >= MAX_NAMES || end > NAMES_BYTES || value.is_empty() {
                    return false;
                }
                let Some(slot) = st.names.get_mut(start..end) else { return false };
                slot.copy_from_slice(value);
                let Some(span) = st.name_spans.get_mut(st.n_names) else { return false };
                *span = (start as u16, end as u16);
                st.n_names += 1;
            }
            b"id" => {
                let Some(id) = parse_id(value) else { return false };
                let Some(slot) = st.ids.get_mut(st.n_ids) else { return false };
                *slot = id;
                st.n_ids += 1;
            }
            _ => return false,
        }
    }
    have_interlock && have_self
}

/// `DEV INO` (an `id` line may name the program after them).
fn parse_id(text: &[u8]) -> Option<(u64, u64)> {
    let mut fields = text.split(|&b| b == b' ');
    Some((parse_u64(fields.next()?)?, parse_u64(fields.next()?)?))
}

fn parse_u64(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |n, &b| {
        if b.is_ascii_digit() { n.checked_mul(10)?.checked_add(u64::from(b - b'0')) } else { None }
    })
}

/// Copies `src` and a NUL into `dst`; false when it does not fit.
fn copy_into(dst: &mut [u8], src: &[u8]) -> bool {
    let Some(slot) = dst.get_mut(..src.len()) else { return false };
    slot.copy_from_slice(src);
    match dst.get_mut(src.len()) {
        Some(nul) => {
            *nul = 0;
            true
        }
        None => false,
    }
}

/// Whether the table was read: with no table the guard stays out of the way.
pub(crate) fn ready() -> bool {
    state().ready
}

pub(crate) fn real() -> &'static Real {
    &state().real
}

/// The interlock binary guarded calls are handed to.
pub(crate) fn interlock() -> &'static CStr {
    CStr::from_bytes_until_nul(&state().interlock).unwrap_or(c"/nonexistent/interlock")
}

/// This library's path, as `LD_PRELOAD` names it.
pub(crate) fn lib() -> &'static [u8] {
    let st = state();
    st.lib.get(..st.lib_len).unwrap_or(b"")
}

/// Marks this process image as one interlock exec'd without judging it (called from the
/// constructor only).
pub(crate) fn set_handed_over() {
    // SAFETY: called from the constructor only (see `Global`).
    unsafe { (*STATE.0.get()).handed_over = libc::getpid() };
}

/// Whether a guarded program this process runs was judged already: this image was handed
/// over by interlock and the exec replaces this very process (not a fork or vfork child).
pub(crate) fn handed_over() -> bool {
    let pid = state().handed_over;
    // SAFETY: getpid has no preconditions.
    pid != 0 && pid == unsafe { libc::getpid() }
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
    fn from_stat(st: &libc::stat) -> Identity {
        Identity { dev: st.st_dev, ino: st.st_ino, mode: st.st_mode }
    }

    /// The file `path` names, symlinks followed; None when it cannot be examined (the exec
    /// then fails by itself).
    pub(crate) fn of_path(path: &CStr) -> Option<Identity> {
        // SAFETY: an all-zero `stat` is a valid value to be overwritten.
        let mut st: libc::stat = unsafe { core::mem::zeroed() };
        // SAFETY: a C string and a buffer we own.
        (unsafe { libc::stat(path.as_ptr(), &mut st) } == 0).then(|| Identity::from_stat(&st))
    }

    /// The file `execveat(dirfd, path, …, flags)` would run.
    pub(crate) fn of_at(dirfd: c_int, path: *const c_char, flags: c_int) -> Option<Identity> {
        // SAFETY: as above.
        let mut st: libc::stat = unsafe { core::mem::zeroed() };
        let flags = flags & (libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW);
        // SAFETY: a C string (checked by the caller) and a buffer we own.
        (unsafe { libc::fstatat(dirfd, path, &mut st, flags) } == 0).then(|| Identity::from_stat(&st))
    }
}

fn basename(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => path.get(i + 1..).unwrap_or(b""),
        None => path,
    }
}

/// Is the program at `path` (with identity `id`) guarded?
pub(crate) fn classify(path: &[u8], id: &Identity) -> Verdict {
    let st = state();
    if !st.ready || (id.dev, id.ino) == st.self_id {
        // The interlock binary itself (a shim): it judges the call.
        return Verdict::Pass;
    }
    if id.mode & libc::S_IFMT != libc::S_IFREG || id.mode & 0o111 == 0 {
        // Not something exec could run: the real call fails by itself.
        return Verdict::Pass;
    }
    let name = basename(path);
    let spans = st.name_spans.get(..st.n_names).unwrap_or(&[]);
    if spans.iter().any(|&(s, e)| st.names.get(s as usize..e as usize) == Some(name)) {
        return Verdict::Guard;
    }
    let ids = st.ids.get(..st.n_ids).unwrap_or(&[]);
    if ids.contains(&(id.dev, id.ino)) { Verdict::Guard } else { Verdict::Pass }
}

/// The dynamic loader run as a program (`/lib64/ld-linux-x86-64.so.2 /usr/bin/curl …`).
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
    // SAFETY: getenv takes no lock in glibc and returns a C string or NULL.
    let path = unsafe { libc::getenv(c"PATH".as_ptr()) };
    let dirs: &[u8] = if path.is_null() {
        b"/bin:/usr/bin"
    } else {
        // SAFETY: a C string from the environment.
        unsafe { CStr::from_ptr(path) }.to_bytes()
    };
    for dir in dirs.split(|&b| b == b':') {
        let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
        if !(found.set_bytes(dir) && found.push(b"/") && found.push(name)) {
            continue;
        }
        let executable = Identity::of_path(found.as_cstr()).is_some_and(|id| id.mode & libc::S_IFMT == libc::S_IFREG)
            // SAFETY: a C string.
            && unsafe { libc::access(found.as_cstr().as_ptr(), libc::X_OK) } == 0;
        if executable {
            return Some(found);
        }
    }
    None
}

/// A path in a fixed buffer, always NUL-terminated.
pub(crate) struct PathBuf {
    buf: [u8; MAX_PATH],
    len: usize,
}

impl PathBuf {
    pub(crate) fn new() -> PathBuf {
        PathBuf { buf: [0; MAX_PATH], len: 0 }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(b"")
    }

    pub(crate) fn as_cstr(&self) -> &CStr {
        self.buf.get(..=self.len).and_then(|b| CStr::from_bytes_with_nul(b).ok()).unwrap_or(c"")
    }

    /// Replaces the content; false when it does not fit or holds a NUL.
    pub(crate) fn set_bytes(&mut self, bytes: &[u8]) -> bool {
        self.len = 0;
        self.push(bytes)
    }

    /// Appends; false (content unspecified) when it does not fit or holds a NUL.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> bool {
        if bytes.contains(&0) {
            return false;
        }
        let end = self.len + bytes.len();
        if end >= MAX_PATH || !copy_into(self.buf.get_mut(self.len..).unwrap_or(&mut []), bytes) {
            return false;
        }
        self.len = end;
        true
    }

    /// Replaces the content with a C string; false when it does not fit.
    pub(crate) fn set_cstr(&mut self, s: *const c_char) -> bool {
        // SAFETY: the caller passes a C string.
        self.set_bytes(unsafe { CStr::from_ptr(s) }.to_bytes())
    }

    /// Replaces the content with the target of the symbolic link `link`.
    pub(crate) fn readlink(&mut self, link: &CStr) -> bool {
        // SAFETY: a C string and a buffer we own, one byte kept for the NUL.
        let n = unsafe { libc::readlink(link.as_ptr(), self.buf.as_mut_ptr().cast(), MAX_PATH - 1) };
        if n <= 0 {
            self.len = 0;
            return false;
        }
        self.len = n as usize;
        copy_into(self.buf.get_mut(self.len..).unwrap_or(&mut []), b"")
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
