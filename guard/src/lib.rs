//! interlock's exec guard: the floor under the PATH shims and the agent hooks (Linux).
//!
//! Loaded into every dynamically linked process of a guarded tree through `LD_PRELOAD`, it
//! stands in front of the exec family (`execve`, `execveat`, `fexecve`, `execv`, `execvp`,
//! `execvpe`, `execl*`) and `posix_spawn`/`posix_spawnp`. When the program about to run is a
//! guarded one — its basename is a shim name, or it is the same file (device + inode) as a real
//! binary behind a shim — the call runs the interlock binary instead, with the original argv and
//! `INTERLOCK_GUARD_EXEC=<the path that was meant>`: the decision, the conversation, the audit
//! and the faithful exec are the shim's. Any other exec goes straight through.
//!
//! A floor under the floor: when a guarded program starts without interlock having exec'd it
//! (its caller was not preloaded, `ld.so PROGRAM`), the library's constructor hands the process
//! to interlock before `main` runs.
//!
//! What is guarded comes from `guard.table` beside this library, written by
//! `interlock shims install` (see `src/guard.rs` in the main crate for the format).
//!
//! Invariants:
//! - Everything that can run in a `vfork` or `posix_spawn` child allocates nothing, takes no
//!   lock and touches no stdio: it reads the table prepared by the constructor and writes into
//!   fixed-size buffers on the stack. The real libc functions were looked up at load time.
//! - An unguarded exec sees its argv, errno and signal state unchanged, and its envp unchanged
//!   apart from this library put back into `LD_PRELOAD` (when the caller cleared it) and a
//!   forged `INTERLOCK_GUARD_PASS` dropped.
//! - A guarded program that cannot be handed to interlock does not run: `interlock: blocked`
//!   on stderr and exit 77.
//! - Nothing here panics: a panic would abort the host process. Slices are read with `get`.

#![cfg(target_os = "linux")]
#![no_std]

mod bytes;
mod env;
mod sys;
mod table;

use core::ffi::{CStr, c_char, c_int};
use libc::{pid_t, posix_spawn_file_actions_t, posix_spawnattr_t};

use crate::env::{EnvBuf, Extra};
use crate::table::{Argv, Identity, PathBuf, SpawnFn, Verdict};

/// Exit status of a blocked call (interlock's contract).
const BLOCKED: c_int = 77;

unsafe extern "C" {
    pub(crate) static mut environ: *const *const c_char;
}

/// Nothing in this library panics on purpose (see the invariants); should it anyway, the
/// program it was deciding about does not run.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    block(b"(exec guard)", b"the exec guard failed")
}

// ---------------------------------------------------------------------------------------------
// The constructor.

/// Runs before `main` of every preloaded process, with glibc's `(argc, argv, envp)`.
#[used]
#[unsafe(link_section = ".init_array")]
static INIT: extern "C" fn(c_int, Argv, Argv) = init;

#[unsafe(link_section = ".text.hot.interlock_guard")]
extern "C" fn init(argc: c_int, argv: Argv, envp: Argv) {
    // SAFETY: constructors run one at a time before `main` and before any other thread of
    // this process exists; nothing else reads the table yet.
    let ready = unsafe { table::load(envp) };
    if !ready {
        return;
    }
    // SAFETY: glibc passes the process' argv and envp, NULL-terminated.
    unsafe { floor(argc, argv, envp) };
}

/// Is this process a guarded program that interlock did not hand over? Then hand it over now.
///
/// # Safety
/// Called once from the constructor, with the process' own `argv` and `envp`.
#[unsafe(link_section = ".text.hot.interlock_guard")]
unsafe fn floor(argc: c_int, argv: Argv, envp: Argv) {
    // What runs: the file the kernel executed (for a script, its interpreter), by identity,
    // and the path the caller exec'd, by name. Neither needs a buffer: every page a process
    // start touches costs (see `table::Image`).
    // The kernel's layout (argv, NULL, envp, NULL, auxv) when envp follows argv: read in
    // place. Otherwise (the library loaded later, into a changed environment) the path is
    // not known, and the identity comes from /proc/self/exe.
    // SAFETY: argv has argc entries and a NULL; envp is then the initial environment.
    let execfn = if argc >= 0 && envp == unsafe { argv.add(argc as usize + 1) } {
        unsafe { env::auxv_execfn(envp) }
    } else {
        core::ptr::null()
    };
    let mut name: &[u8] = if execfn.is_null() {
        b""
    } else {
        // SAFETY: AT_EXECFN is the C string the kernel stored.
        unsafe { bytes::cstr(execfn) }
    };
    // The identity: of the path exec'd when the kernel ran that file itself, which one
    // `stat` tells (a path lookup, about a microsecond); of `/proc/self/exe` when it may have
    // run an interpreter instead (a `#!` script: the kernel's argv then names the script
    // after the interpreter), or when the path is unknown. The first `/proc/self` lookup of a
    // new process builds its procfs entries, about twenty microseconds of every exec.
    // SAFETY: argv is the process' own, `argc` entries and a NULL.
    let script = execfn.is_null() || unsafe { may_run_a_script(argc, argv, name) };
    // SAFETY: AT_EXECFN is a C string. (A path that no longer resolves — `execveat` through
    // a close-on-exec directory descriptor, `/dev/fd/N/…` — falls back to /proc/self/exe.)
    let by_path = if script { None } else { unsafe { Identity::of_ptr(execfn) } };
    let runs_name = by_path.is_some();
    let Some(mut id) = by_path.or_else(|| Identity::of_path(c"/proc/self/exe")) else { return };
    // `ld.so PROGRAM …`: the kernel ran the loader, and the program is what it loads: named
    // by AT_EXECFN (glibc's loader rewrites it) or by the loader's argv[0] (older ones).
    let (mut verdict, is_loader) = table::lookup(name, &id);
    let mut via_loader = false;
    if table::is_loader(name) && argc > 0 {
        // SAFETY: argc > 0, so argv[0] exists.
        let first = unsafe { *argv };
        if first.is_null() {
            return;
        }
        // SAFETY: argv[0] is a C string.
        name = unsafe { bytes::cstr(first) };
        via_loader = true;
    } else if is_loader {
        via_loader = true;
    }
    if via_loader {
        // SAFETY: `name` came from a C string (AT_EXECFN or argv[0]), NUL-terminated in place.
        let Some(program_id) = (unsafe { Identity::of_ptr(name.as_ptr().cast()) }) else { return };
        id = program_id;
        verdict = table::classify(name, &id);
    }
    let guarded = verdict == Verdict::Guard;
    // SAFETY: envp is the process' environment, the array `environ` points at.
    let handed_over = unsafe { env::take_pass(envp) };
    match (guarded, handed_over) {
        // interlock judged this program and exec'd it.
        (true, true) => {}
        // SAFETY: argv/envp are the process' own.
        // The path that runs is `name` when the identity came from it (or from the program
        // the loader runs); for a possible script, the interpreter /proc/self/exe names.
        (true, false) => unsafe { hand_over_self(name, via_loader || runs_name, argv, envp) },
        // interlock exec'd an intermediary (`/usr/bin/env` of a `#!/usr/bin/env python3`
        // script): the guarded program it runs next was judged already.
        (false, true) => table::set_handed_over(),
        (false, false) => {}
    }
}

/// Whether the kernel may have run an interpreter for `execfn` (the path exec'd): for a `#!`
/// script it builds the argv as `interpreter [argument] script args…`, so the path is
/// `argv[1]` or `argv[2]`. A program a caller starts with such an argv itself is only looked
/// at the slower, exact way.
///
/// # Safety
/// `argv` holds `argc` C strings.
#[unsafe(link_section = ".text.hot.interlock_guard")]
unsafe fn may_run_a_script(argc: c_int, argv: Argv, execfn: &[u8]) -> bool {
    (1..3).filter(|&i| i < argc).any(|i| {
        // SAFETY: i < argc.
        let arg = unsafe { *argv.add(i as usize) };
        // SAFETY: a C string.
        !arg.is_null() && unsafe { bytes::cstr(arg) } == execfn
    })
}

/// Hands this process, a guarded program interlock did not start, to interlock. The path
/// that was meant is the file that runs: `name` when `runs_name` (the path exec'd, or under
/// `ld.so` the program the loader runs), else what /proc/self/exe names (a script's
/// interpreter).
///
/// # Safety
/// `argv`/`envp` are the process' own.
#[inline(never)]
#[cold]
unsafe fn hand_over_self(name: &[u8], runs_name: bool, argv: Argv, envp: Argv) -> ! {
    let mut exe = PathBuf::new();
    let ok = if runs_name { exe.set_bytes(name) } else { exe.readlink(c"/proc/self/exe") };
    if !ok {
        block(name, b"the exec guard cannot tell which file this process runs");
    }
    // SAFETY: forwarded from the caller.
    unsafe { reroute(exe.as_bytes(), argv, envp) }
}

// ---------------------------------------------------------------------------------------------
// Real functions, resolved at load time.

/// `execve(2)` itself, reported the way libc reports it.
///
/// # Safety
/// As `execve(2)`.
#[unsafe(link_section = ".text.hot.interlock_guard")]
unsafe fn real_execve(path: *const c_char, argv: Argv, envp: Argv) -> c_int {
    // SAFETY: forwarded unchanged.
    sys::fail(unsafe { sys::execve(path, argv, envp) })
}

/// `execvpe(3)` as glibc does it: a name with a `/` is run as is; otherwise each directory of
/// PATH (glibc's default when PATH is unset) is tried in turn, going on after ENOENT, ENOTDIR,
/// ENODEV, ESTALE, ETIMEDOUT and EACCES (reported at the end if nothing else worked); a file
/// the kernel cannot run (ENOEXEC) is run by `/bin/sh`.
///
/// # Safety
/// As `execvpe(3)`.
unsafe fn search_exec(file: *const c_char, argv: Argv, envp: Argv) -> c_int {
    if file.is_null() {
        return sys::fail(-(libc::EFAULT as isize));
    }
    // SAFETY: a C string.
    let name = unsafe { bytes::cstr(file) };
    if name.is_empty() {
        return sys::fail(-(libc::ENOENT as isize));
    }
    if name.contains(&b'/') {
        // SAFETY: forwarded.
        return unsafe { exec_or_script(file, argv, envp) };
    }
    // SAFETY: `environ` is the process' environment.
    let dirs = unsafe { env::var(environ, b"PATH=") }.unwrap_or(b"/bin:/usr/bin");
    let mut denied = false;
    let mut last = -(libc::ENOENT as isize);
    let mut candidate = PathBuf::new();
    for dir in dirs.split(|&b| b == b':') {
        let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
        if !(candidate.set_bytes(dir) && candidate.push(b"/") && candidate.push(name)) {
            last = -(libc::ENAMETOOLONG as isize);
            continue;
        }
        // SAFETY: a C string; forwarded.
        let err = unsafe { exec_or_script_raw(candidate.as_cstr().as_ptr(), argv, envp) };
        match (-err) as c_int {
            libc::EACCES => denied = true,
            libc::ENOENT | libc::ENOTDIR | libc::ENODEV | libc::ESTALE | libc::ETIMEDOUT | libc::ENAMETOOLONG => {}
            _ => return sys::fail(err),
        }
        last = err;
    }
    sys::fail(if denied { -(libc::EACCES as isize) } else { last })
}

/// `execve`, and for a file without a `#!` line (ENOEXEC) `/bin/sh FILE ARGS…`.
///
/// # Safety
/// As `execve(2)`.
unsafe fn exec_or_script(path: *const c_char, argv: Argv, envp: Argv) -> c_int {
    // SAFETY: forwarded.
    sys::fail(unsafe { exec_or_script_raw(path, argv, envp) })
}

/// As `exec_or_script`, returning the negative errno.
///
/// # Safety
/// As `execve(2)`.
unsafe fn exec_or_script_raw(path: *const c_char, argv: Argv, envp: Argv) -> isize {
    // SAFETY: forwarded.
    let err = unsafe { sys::execve(path, argv, envp) };
    if err != -(libc::ENOEXEC as isize) {
        return err;
    }
    // SAFETY: forwarded.
    unsafe { exec_script(path, argv, envp) }
}

/// `/bin/sh PATH ARGV[1..]`, argv on the stack (at most 1,024 arguments, else E2BIG).
///
/// # Safety
/// As `execve(2)`.
#[inline(never)]
#[cold]
unsafe fn exec_script(path: *const c_char, argv: Argv, envp: Argv) -> isize {
    const MAX: usize = 1024;
    let mut args = [core::ptr::null::<c_char>(); MAX + 2];
    let mut n = 0;
    if !argv.is_null() {
        // SAFETY: a NULL-terminated array; the first entry is skipped (the shell is argv[0]).
        while n < MAX && !unsafe { *argv.add(n) }.is_null() {
            n += 1;
        }
        // SAFETY: as above.
        if n == MAX && !unsafe { *argv.add(n) }.is_null() {
            return -(libc::E2BIG as isize);
        }
    }
    let shell = c"/bin/sh".as_ptr();
    let Some(slots) = args.get_mut(..n.max(1) + 1) else { return -(libc::E2BIG as isize) };
    for (i, slot) in slots.iter_mut().enumerate() {
        *slot = match i {
            0 => shell,
            1 => path,
            // SAFETY: i - 1 < n: within argv.
            _ => unsafe { *argv.add(i - 1) },
        };
    }
    // SAFETY: a NULL-terminated array (args is longer than what was filled).
    unsafe { sys::execve(shell, args.as_ptr(), envp) }
}

// ---------------------------------------------------------------------------------------------
// The decision shared by every entry point.

/// Hands a guarded call to interlock: exec the interlock binary with the original argv and
/// `INTERLOCK_GUARD_EXEC=target`. Never returns: a failure blocks the program.
///
/// # Safety
/// `argv` and `envp` are NULL or NULL-terminated arrays of C strings.
#[inline(never)]
#[cold]
unsafe fn reroute(target: &[u8], argv: Argv, envp: Argv) -> ! {
    let mut buf = EnvBuf::new();
    // SAFETY: forwarded from the caller.
    let Some(env) = (unsafe { buf.build(envp, Extra::Reroute(target)) }) else {
        block(target, b"the environment is too large for the exec guard");
    };
    let mut interlock = PathBuf::new();
    if !interlock.set_bytes(table::interlock()) {
        block(target, b"the interlock binary's path is too long");
    }
    // SAFETY: a NUL-terminated path; argv and env are NULL-terminated.
    unsafe { real_execve(interlock.as_cstr().as_ptr(), argv, env) };
    block(target, b"the interlock binary could not be started");
}

/// Tells the caller why the guarded program did not run, and ends this process with 77.
fn block(target: &[u8], why: &[u8]) -> ! {
    let parts: [&[u8]; 5] = [
        b"interlock: blocked: ",
        target,
        b": ",
        why,
        b". Do not retry it or look for another way to do the same thing; ask the user. \
          (Check the install with `interlock doctor`.)\n",
    ];
    for part in parts {
        sys::write_stderr(part);
    }
    // Without atexit handlers or stdio flushing, as a vfork child must end.
    sys::exit(BLOCKED)
}

/// `execve` for a path: guarded → interlock; anything else → `pass`, with the environment
/// carrying this library.
///
/// # Safety
/// `path` is a C string; `argv`/`envp` are NULL or NULL-terminated arrays of C strings.
#[unsafe(link_section = ".text.hot.interlock_guard")]
unsafe fn exec_path(path: *const c_char, argv: Argv, envp: Argv, pass: impl FnOnce(Argv) -> c_int) -> c_int {
    if !table::ready() || path.is_null() {
        return pass(envp);
    }
    // SAFETY: a C string (the caller's contract).
    let asked = unsafe { bytes::cstr(path) };
    // SAFETY: as above.
    if let Some(id) = unsafe { Identity::of_ptr(path) } {
        match table::classify(asked, &id) {
            // SAFETY: forwarded from the caller.
            Verdict::Guard if table::handed_over() => return unsafe { pass_handed_over(envp, pass) },
            // SAFETY: forwarded from the caller.
            Verdict::Guard => unsafe { reroute(asked, argv, envp) },
            Verdict::Pass => {}
        }
    }
    // SAFETY: forwarded from the caller.
    unsafe { pass_with_preload(envp, pass) }
}

/// Runs `pass` with the caller's environment, this library put back into `LD_PRELOAD`.
///
/// # Safety
/// `envp` is NULL or a NULL-terminated array of C strings.
#[unsafe(link_section = ".text.hot.interlock_guard")]
unsafe fn pass_with_preload(envp: Argv, pass: impl FnOnce(Argv) -> c_int) -> c_int {
    // SAFETY: forwarded from the caller.
    if unsafe { env::unchanged(envp) } {
        return pass(envp);
    }
    // SAFETY: forwarded from the caller.
    unsafe { pass_rebuilt(envp, pass) }
}

/// The rare half of `pass_with_preload`, in a frame of its own: the environment buffer is
/// tens of kilobytes, and a frame that holds it makes a fork child touch (and copy) every
/// stack page it spans, even when the buffer is not used.
///
/// # Safety
/// `envp` is NULL or a NULL-terminated array of C strings.
#[inline(never)]
#[cold]
unsafe fn pass_rebuilt(envp: Argv, pass: impl FnOnce(Argv) -> c_int) -> c_int {
    let mut buf = EnvBuf::new();
    // SAFETY: forwarded from the caller. When the environment is too large to copy, it goes
    // through unchanged (the guard is then lost below this exec, which is never a block).
    let env = unsafe { buf.build(envp, Extra::None) }.unwrap_or(envp);
    pass(env)
}

/// interlock exec'd this very process image (an intermediary such as `/usr/bin/env` of a
/// `#!/usr/bin/env python3` script) and it now runs the guarded program interlock already
/// judged: let it through once, telling the next image it was handed over.
///
/// # Safety
/// `envp` is NULL or a NULL-terminated array of C strings.
#[inline(never)]
#[cold]
unsafe fn pass_handed_over(envp: Argv, pass: impl FnOnce(Argv) -> c_int) -> c_int {
    let mut buf = EnvBuf::new();
    // SAFETY: forwarded from the caller.
    match unsafe { buf.build(envp, Extra::Pass) } {
        Some(env) => pass(env),
        None => block(b"(handed over)", b"the environment is too large for the exec guard"),
    }
}

// ---------------------------------------------------------------------------------------------
// The exec family.

/// `execve(2)`, guarded.
///
/// # Safety
/// As `execve(2)`.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub unsafe extern "C" fn execve(path: *const c_char, argv: Argv, envp: Argv) -> c_int {
    // SAFETY: forwarded unchanged.
    unsafe { exec_path(path, argv, envp, |env| real_execve(path, argv, env)) }
}

/// Entry point for the C `execl`/`execle`.
///
/// # Safety
/// As `execve(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn interlock_guard_execve(path: *const c_char, argv: Argv, envp: Argv) -> c_int {
    // SAFETY: forwarded unchanged.
    unsafe { execve(path, argv, envp) }
}

/// `execv(3)`, guarded.
///
/// # Safety
/// As `execv(3)`.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub unsafe extern "C" fn execv(path: *const c_char, argv: Argv) -> c_int {
    // SAFETY: `environ` is the process' environment.
    unsafe { execve(path, argv, environ) }
}

/// `execvp(3)`, guarded.
///
/// # Safety
/// As `execvp(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn execvp(file: *const c_char, argv: Argv) -> c_int {
    // SAFETY: `environ` is the process' environment.
    unsafe { execvpe(file, argv, environ) }
}

/// Entry point for the C `execlp`.
///
/// # Safety
/// As `execvpe(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn interlock_guard_execvpe(file: *const c_char, argv: Argv, envp: Argv) -> c_int {
    // SAFETY: forwarded unchanged.
    unsafe { execvpe(file, argv, envp) }
}

/// `execvpe(3)`, guarded: a name without `/` is looked up on the caller's PATH the way libc
/// will, and the file found is judged.
///
/// # Safety
/// As `execvpe(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn execvpe(file: *const c_char, argv: Argv, envp: Argv) -> c_int {
    // SAFETY: forwarded unchanged.
    let real = |env: Argv| unsafe { search_exec(file, argv, env) };
    // SAFETY: forwarded unchanged; `found` is NUL-terminated.
    unsafe {
        match table::resolve(file) {
            Some(found) => exec_path(found.as_cstr().as_ptr(), argv, envp, real),
            None => pass_with_preload(envp, real),
        }
    }
}

unsafe extern "C" {
    // src/variadic.c: the C-variadic bodies of execl, execlp and execle.
    fn interlock_guard_execl();
    fn interlock_guard_execlp();
    fn interlock_guard_execle();
}

/// Exports a C-variadic member of the exec family: a naked function that jumps to its C body
/// with every register and the stack as the caller left them.
macro_rules! variadic_exec {
    ($(#[$doc:meta])* $name:ident => $body:ident) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// As the libc function of the same name.
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name() {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!("jmp {0}", sym $body);
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!("b {0}", sym $body);
        }
    };
}

variadic_exec!(
    /// `execl(3)`, guarded.
    execl => interlock_guard_execl
);
variadic_exec!(
    /// `execlp(3)`, guarded.
    execlp => interlock_guard_execlp
);
variadic_exec!(
    /// `execle(3)`, guarded.
    execle => interlock_guard_execle
);

/// `execveat(2)`, guarded. A relative path is judged against the directory `dirfd` names; with
/// `AT_EMPTY_PATH` and an empty path, the file `dirfd` is open on.
///
/// # Safety
/// As `execveat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn execveat(dirfd: c_int, path: *const c_char, argv: Argv, envp: Argv, flags: c_int) -> c_int {
    // SAFETY: forwarded unchanged.
    let real = |env: Argv| sys::fail(unsafe { sys::execveat(dirfd, path, argv, env, flags) });
    // SAFETY: forwarded unchanged.
    unsafe { exec_at(dirfd, path, flags, argv, envp, real) }
}

/// `fexecve(3)`, guarded: the file `fd` is open on is judged.
///
/// # Safety
/// As `fexecve(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fexecve(fd: c_int, argv: Argv, envp: Argv) -> c_int {
    // SAFETY: fexecve is execveat on the descriptor itself, as glibc makes it.
    let real = |env: Argv| sys::fail(unsafe { sys::execveat(fd, c"".as_ptr(), argv, env, libc::AT_EMPTY_PATH) });
    // SAFETY: forwarded unchanged.
    unsafe { exec_at(fd, c"".as_ptr(), libc::AT_EMPTY_PATH, argv, envp, real) }
}

/// The shared body of `execveat` and `fexecve`.
///
/// # Safety
/// `path` is a C string; `argv`/`envp` are NULL or NULL-terminated arrays of C strings.
unsafe fn exec_at(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    argv: Argv,
    envp: Argv,
    pass: impl FnOnce(Argv) -> c_int,
) -> c_int {
    if !table::ready() || path.is_null() {
        // SAFETY: forwarded from the caller.
        return unsafe { pass_with_preload(envp, pass) };
    }
    // SAFETY: path is a C string.
    let rel = unsafe { CStr::from_ptr(path) }.to_bytes();
    if rel.first() == Some(&b'/') || (dirfd == libc::AT_FDCWD && !rel.is_empty()) {
        // An absolute path, or one relative to the working directory: as execve.
        // SAFETY: forwarded from the caller.
        return unsafe { exec_path(path, argv, envp, pass) };
    }
    // SAFETY: path is a C string.
    let Some(id) = (unsafe { Identity::of_at(dirfd, path, flags) }) else {
        // SAFETY: forwarded from the caller.
        return unsafe { pass_with_preload(envp, pass) };
    };
    let mut target = PathBuf::new();
    let named = target.fd_path(dirfd, rel);
    match table::classify(if named { target.as_bytes() } else { rel }, &id) {
        // SAFETY: forwarded from the caller.
        Verdict::Guard if table::handed_over() => return unsafe { pass_handed_over(envp, pass) },
        // SAFETY: forwarded from the caller.
        Verdict::Guard if named => unsafe { reroute(target.as_bytes(), argv, envp) },
        Verdict::Guard => block(rel, b"the exec guard cannot tell which file this descriptor names"),
        Verdict::Pass => {}
    }
    // SAFETY: forwarded from the caller.
    unsafe { pass_with_preload(envp, pass) }
}

// ---------------------------------------------------------------------------------------------
// posix_spawn. These run in the parent, before the child exists; libc's own child code execs
// with its internal `execve`, which is why the spawn functions are guarded here.

/// `posix_spawn(3)`, guarded.
///
/// # Safety
/// As `posix_spawn(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_spawn(
    pid: *mut pid_t,
    path: *const c_char,
    actions: *const posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    let real = table::posix_spawn();
    // SAFETY: forwarded unchanged; the path asked for is the one judged.
    unsafe { spawn(real, pid, path, Some(path), actions, attr, argv, envp) }
}

/// `posix_spawnp(3)`, guarded: a name is looked up on this process' PATH, as libc does, and
/// the file found is judged; an unguarded program is spawned by name, exactly as asked.
///
/// # Safety
/// As `posix_spawnp(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_spawnp(
    pid: *mut pid_t,
    file: *const c_char,
    actions: *const posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    let real = table::posix_spawnp();
    // SAFETY: `file` is a C string.
    let found = unsafe { table::resolve(file) };
    let judged = found.as_ref().map(|f| f.as_cstr().as_ptr());
    // SAFETY: forwarded unchanged.
    unsafe { spawn(real, pid, file, judged, actions, attr, argv, envp) }
}

/// The shared body of the spawn functions: a guarded `judged` file spawns interlock instead;
/// anything else is spawned by `pass` as asked, with this library in its environment.
///
/// # Safety
/// As `posix_spawn(3)`; `judged` is a C string.
#[allow(clippy::too_many_arguments)] // posix_spawn's own six, the libc function and the judged path
unsafe fn spawn(
    pass: Option<SpawnFn>,
    pid: *mut pid_t,
    asked: *const c_char,
    judged: Option<*const c_char>,
    actions: *const posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    let Some(pass) = pass else { return libc::ENOSYS };
    if table::ready()
        && let Some(judged) = judged
    {
        // SAFETY: a C string (the caller's contract).
        let judged = unsafe { CStr::from_ptr(judged) };
        if let Some(id) = Identity::of_path(judged)
            && table::classify(judged.to_bytes(), &id) == Verdict::Guard
        {
            // SAFETY: forwarded from the caller.
            return unsafe { spawn_interlock(judged.to_bytes(), pid, actions, attr, argv, envp) };
        }
    }
    // SAFETY: envp is NULL or a NULL-terminated array of C strings; the rest is forwarded.
    unsafe { pass_with_preload(envp.cast(), |env| pass(pid, asked, actions, attr, argv, env.cast())) }
}

/// Spawns interlock in place of the guarded `target`.
///
/// # Safety
/// As `posix_spawn(3)`.
#[inline(never)]
#[cold]
unsafe fn spawn_interlock(
    target: &[u8],
    pid: *mut pid_t,
    actions: *const posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    let mut buf = EnvBuf::new();
    // SAFETY: envp is NULL or a NULL-terminated array of C strings.
    let Some(env) = (unsafe { buf.build(envp.cast(), Extra::Reroute(target)) }) else { return libc::E2BIG };
    let Some(spawn) = table::posix_spawn() else { return libc::ENOSYS };
    let mut interlock = PathBuf::new();
    if !interlock.set_bytes(table::interlock()) {
        return libc::ENAMETOOLONG;
    }
    // SAFETY: a NUL-terminated path; the rest is the caller's.
    unsafe { spawn(pid, interlock.as_cstr().as_ptr(), actions, attr, argv, env.cast()) }
}
