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

mod env;
mod table;

use core::ffi::{c_char, c_int};
use libc::{pid_t, posix_spawn_file_actions_t, posix_spawnattr_t};

use crate::env::{EnvBuf, Extra};
use crate::table::{Argv, Identity, PathBuf, SpawnFn, Verdict};

/// Exit status of a blocked call (interlock's contract).
const BLOCKED: c_int = 77;

unsafe extern "C" {
    static mut environ: *const *const c_char;
}

// ---------------------------------------------------------------------------------------------
// The constructor.

/// Runs before `main` of every preloaded process, with glibc's `(argc, argv, envp)`.
#[used]
#[unsafe(link_section = ".init_array")]
static INIT: extern "C" fn(c_int, Argv, Argv) = init;

extern "C" fn init(argc: c_int, argv: Argv, envp: Argv) {
    // SAFETY: constructors run one at a time before `main` and before any other thread of
    // this process exists; nothing else reads the table yet.
    let ready = unsafe { table::load() };
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
unsafe fn floor(argc: c_int, argv: Argv, envp: Argv) {
    let mut exe = PathBuf::new();
    if !exe.readlink(c"/proc/self/exe") {
        return;
    }
    // `ld.so PROGRAM …`: the kernel ran the loader; the program is the loader's argv[0] now.
    if table::is_loader(exe.as_bytes()) && argc > 0 {
        // SAFETY: argc > 0, so argv[0] exists; a NULL or unterminated entry is the caller's bug.
        let first = unsafe { *argv };
        if first.is_null() || !exe.set_cstr(first) {
            return;
        }
    }
    let Some(id) = Identity::of_path(exe.as_cstr()) else { return };
    let guarded = table::classify(exe.as_bytes(), &id) == Verdict::Guard;
    // SAFETY: envp is the process' environment, the array `environ` points at.
    let handed_over = unsafe { env::take_pass(envp) };
    match (guarded, handed_over) {
        // interlock judged this program and exec'd it.
        (true, true) => {}
        // SAFETY: argv/envp are the process' own.
        (true, false) => unsafe { reroute(exe.as_bytes(), argv, envp) },
        // interlock exec'd an intermediary (`/usr/bin/env` of a `#!/usr/bin/env python3`
        // script): the guarded program it runs next was judged already.
        (false, true) => table::set_handed_over(),
        (false, false) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Real functions, resolved at load time.

/// Calls libc's `execve` (or the raw system call if it could not be found).
///
/// # Safety
/// As `execve(2)`.
unsafe fn real_execve(path: *const c_char, argv: Argv, envp: Argv) -> c_int {
    match table::real().execve {
        // SAFETY: forwarded unchanged.
        Some(f) => unsafe { f(path, argv, envp) },
        // SAFETY: the system call takes the same arguments.
        None => unsafe { libc::syscall(libc::SYS_execve, path, argv, envp) as c_int },
    }
}

// ---------------------------------------------------------------------------------------------
// The decision shared by every entry point.

/// Hands a guarded call to interlock: exec the interlock binary with the original argv and
/// `INTERLOCK_GUARD_EXEC=target`. Never returns: a failure blocks the program.
///
/// # Safety
/// `argv` and `envp` are NULL or NULL-terminated arrays of C strings.
unsafe fn reroute(target: &[u8], argv: Argv, envp: Argv) -> ! {
    let mut buf = EnvBuf::new();
    // SAFETY: forwarded from the caller.
    let Some(env) = (unsafe { buf.build(envp, Extra::Reroute(target)) }) else {
        block(target, b"the environment is too large for the exec guard");
    };
    let interlock = table::interlock();
    // SAFETY: interlock is a NUL-terminated path; argv and env are NULL-terminated.
    unsafe { real_execve(interlock.as_ptr(), argv, env) };
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
        // SAFETY: writing a valid buffer to fd 2; an error is ignored (nothing else to tell).
        let _ = unsafe { libc::write(2, part.as_ptr().cast(), part.len()) };
    }
    // SAFETY: _exit ends the process without running atexit handlers or flushing stdio,
    // which is what a vfork child must do.
    unsafe { libc::_exit(BLOCKED) }
}

/// `execve` for a path: guarded → interlock; anything else → `pass`, with the environment
/// carrying this library.
///
/// # Safety
/// `path` is a C string; `argv`/`envp` are NULL or NULL-terminated arrays of C strings.
unsafe fn exec_path(path: *const c_char, argv: Argv, envp: Argv, pass: impl FnOnce(Argv) -> c_int) -> c_int {
    if !table::ready() || path.is_null() {
        return pass(envp);
    }
    let mut target = PathBuf::new();
    if target.set_cstr(path)
        && let Some(id) = Identity::of_path(target.as_cstr())
    {
        match table::classify(target.as_bytes(), &id) {
            // SAFETY: forwarded from the caller.
            Verdict::Guard if table::handed_over() => return unsafe { pass_handed_over(envp, pass) },
            // SAFETY: forwarded from the caller.
            Verdict::Guard => unsafe { reroute(target.as_bytes(), argv, envp) },
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
unsafe fn pass_with_preload(envp: Argv, pass: impl FnOnce(Argv) -> c_int) -> c_int {
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
    let real = |env: Argv| match table::real().execvpe {
        // SAFETY: forwarded unchanged.
        Some(f) => unsafe { f(file, argv, env) },
        None => {
            // SAFETY: setting errno is always allowed.
            unsafe { *libc::__errno_location() = libc::ENOSYS };
            -1
        }
    };
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
    let real = |env: Argv| match table::real().execveat {
        // SAFETY: forwarded unchanged.
        Some(f) => unsafe { f(dirfd, path, argv, env, flags) },
        // SAFETY: the system call takes the same arguments.
        None => unsafe { libc::syscall(libc::SYS_execveat, dirfd, path, argv, env, flags) as c_int },
    };
    // SAFETY: forwarded unchanged.
    unsafe { exec_at(dirfd, path, flags, argv, envp, real) }
}

/// `fexecve(3)`, guarded: the file `fd` is open on is judged.
///
/// # Safety
/// As `fexecve(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fexecve(fd: c_int, argv: Argv, envp: Argv) -> c_int {
    let real = |env: Argv| match table::real().fexecve {
        // SAFETY: forwarded unchanged.
        Some(f) => unsafe { f(fd, argv, env) },
        // SAFETY: fexecve is execveat on the descriptor itself.
        None => unsafe { libc::syscall(libc::SYS_execveat, fd, c"".as_ptr(), argv, env, libc::AT_EMPTY_PATH) as c_int },
    };
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
    let rel = unsafe { core::ffi::CStr::from_ptr(path) }.to_bytes();
    if rel.first() == Some(&b'/') || (dirfd == libc::AT_FDCWD && !rel.is_empty()) {
        // An absolute path, or one relative to the working directory: as execve.
        // SAFETY: forwarded from the caller.
        return unsafe { exec_path(path, argv, envp, pass) };
    }
    let Some(id) = Identity::of_at(dirfd, path, flags) else {
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
    let real = table::real().posix_spawn;
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
    let real = table::real().posix_spawnp;
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
    let mut buf = EnvBuf::new();
    if table::ready()
        && let Some(judged) = judged
    {
        let mut target = PathBuf::new();
        if target.set_cstr(judged)
            && let Some(id) = Identity::of_path(target.as_cstr())
            && table::classify(target.as_bytes(), &id) == Verdict::Guard
        {
            // SAFETY: envp is NULL or a NULL-terminated array of C strings.
            let Some(env) = (unsafe { buf.build(envp.cast(), Extra::Reroute(target.as_bytes())) }) else {
                return libc::E2BIG;
            };
            let Some(spawn_interlock) = table::real().posix_spawn else { return libc::ENOSYS };
            // SAFETY: interlock is a NUL-terminated path; the rest is the caller's.
            return unsafe { spawn_interlock(pid, table::interlock().as_ptr(), actions, attr, argv, env.cast()) };
        }
    }
    // SAFETY: envp is NULL or a NULL-terminated array of C strings.
    let env = unsafe { buf.build(envp.cast(), Extra::None) }.unwrap_or(envp.cast());
    // SAFETY: forwarded unchanged apart from the environment.
    unsafe { pass(pid, asked, actions, attr, argv, env.cast()) }
}
