//! The few system calls the guard makes on its hot paths, made directly.
//!
//! Why not libc's wrappers: every libc page a process start touches for the first time is a
//! page fault, and the guard runs in every process start of the tree; the wrappers also set
//! `errno`, which an unguarded exec must see unchanged. Each function returns the kernel's
//! result: a value, or a negative errno.

use core::ffi::{CStr, c_char, c_int, c_long};

use crate::table::Argv;

/// One system call with up to six arguments.
///
/// # Safety
/// As the system call `nr` with these arguments.
#[inline(always)]
unsafe fn syscall6(nr: c_long, a: usize, b: usize, c: usize, d: usize, e: usize, f: usize) -> isize {
    #[cfg(target_arch = "x86_64")]
    {
        let ret: isize;
        // SAFETY: the x86-64 Linux system call convention; rcx and r11 are clobbered.
        unsafe {
            core::arch::asm!(
                "syscall",
                inlateout("rax") nr as isize => ret,
                in("rdi") a, in("rsi") b, in("rdx") c, in("r10") d, in("r8") e, in("r9") f,
                lateout("rcx") _, lateout("r11") _,
                options(nostack),
            );
        }
        ret
    }
    #[cfg(target_arch = "aarch64")]
    {
        let ret: isize;
        // SAFETY: the AArch64 Linux system call convention.
        unsafe {
            core::arch::asm!(
                "svc 0",
                in("x8") nr,
                inlateout("x0") a as isize => ret,
                in("x1") b, in("x2") c, in("x3") d, in("x4") e, in("x5") f,
                options(nostack),
            );
        }
        ret
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        // SAFETY: as above.
        unsafe {
            let saved = *libc::__errno_location();
            let r = libc::syscall(nr, a, b, c, d, e, f);
            let r = if r == -1 { -(*libc::__errno_location() as isize) } else { r as isize };
            *libc::__errno_location() = saved;
            r
        }
    }
}

/// One system call with up to four arguments (the other registers are passed as zero, which
/// system calls of fewer arguments ignore).
///
/// # Safety
/// As the system call `nr` with these arguments.
#[inline(always)]
unsafe fn syscall4(nr: c_long, a: usize, b: usize, c: usize, d: usize) -> isize {
    // SAFETY: forwarded.
    unsafe { syscall6(nr, a, b, c, d, 0, 0) }
}

pub(crate) fn openat_read(dirfd: c_int, path: &CStr) -> isize {
    // SAFETY: a C string; the kernel copies it.
    unsafe {
        syscall4(
            libc::SYS_openat,
            dirfd as usize,
            path.as_ptr() as usize,
            (libc::O_RDONLY | libc::O_CLOEXEC) as usize,
            0,
        )
    }
}

/// The size of the open file `fd`.
pub(crate) fn file_size(fd: c_int) -> Option<usize> {
    let mut st = core::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: an empty path with AT_EMPTY_PATH names `fd`; room for a `struct stat`.
    let ret = unsafe { fstatat(fd, c"".as_ptr(), st.as_mut_ptr(), libc::AT_EMPTY_PATH) };
    if ret != 0 {
        return None;
    }
    // SAFETY: the kernel filled it.
    usize::try_from(unsafe { st.assume_init() }.st_size).ok()
}

/// Maps `len` bytes of the open file `fd` read-only and private, for the life of the process.
pub(crate) fn map_read(fd: c_int, len: usize) -> Option<*const u8> {
    // SAFETY: a new mapping the kernel places; nothing else is touched.
    let p = unsafe {
        syscall6(libc::SYS_mmap, 0, len, libc::PROT_READ as usize, libc::MAP_PRIVATE as usize, fd as usize, 0)
    };
    // A negative errno is in the last page of the address space, never a mapping.
    (!(-4095..0).contains(&p)).then_some(p as *const u8)
}

pub(crate) fn close(fd: c_int) {
    // SAFETY: closing a descriptor this module opened.
    let _ = unsafe { syscall4(libc::SYS_close, fd as usize, 0, 0, 0) };
}

/// `fstatat(dirfd, path, st, flags)`.
///
/// # Safety
/// `path` is a C string.
pub(crate) unsafe fn fstatat(dirfd: c_int, path: *const core::ffi::c_char, st: *mut libc::stat, flags: c_int) -> isize {
    // SAFETY: a C string and room for a `struct stat` (the kernel's layout on these targets).
    unsafe { syscall4(libc::SYS_newfstatat, dirfd as usize, path as usize, st as usize, flags as usize) }
}

pub(crate) fn readlink(path: &CStr, buf: &mut [core::mem::MaybeUninit<u8>]) -> isize {
    // SAFETY: a C string and a buffer we own, its length.
    unsafe {
        syscall4(
            libc::SYS_readlinkat,
            libc::AT_FDCWD as usize,
            path.as_ptr() as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    }
}

pub(crate) fn executable(path: &CStr) -> bool {
    // SAFETY: a C string.
    unsafe {
        syscall4(libc::SYS_faccessat, libc::AT_FDCWD as usize, path.as_ptr() as usize, libc::X_OK as usize, 0) == 0
    }
}

/// `execve(2)`. Returns only on failure, with the negative errno.
///
/// # Safety
/// As `execve(2)`.
pub(crate) unsafe fn execve(path: *const c_char, argv: Argv, envp: Argv) -> isize {
    // SAFETY: forwarded.
    unsafe { syscall4(libc::SYS_execve, path as usize, argv as usize, envp as usize, 0) }
}

/// `execveat(2)`. Returns only on failure, with the negative errno.
///
/// # Safety
/// As `execveat(2)`.
pub(crate) unsafe fn execveat(dirfd: c_int, path: *const c_char, argv: Argv, envp: Argv, flags: c_int) -> isize {
    // SAFETY: forwarded.
    unsafe {
        syscall6(libc::SYS_execveat, dirfd as usize, path as usize, argv as usize, envp as usize, flags as usize, 0)
    }
}

/// A failed call's result the way libc reports it: errno set, -1 returned.
#[cold]
pub(crate) fn fail(ret: isize) -> c_int {
    // SAFETY: setting this thread's errno.
    unsafe { *libc::__errno_location() = ret.unsigned_abs() as c_int };
    -1
}

pub(crate) fn getpid() -> libc::pid_t {
    // SAFETY: no arguments, no failure.
    unsafe { syscall4(libc::SYS_getpid, 0, 0, 0, 0) as libc::pid_t }
}

pub(crate) fn write_stderr(bytes: &[u8]) {
    // SAFETY: a buffer we own, its length; an error is ignored (nothing else to tell).
    let _ = unsafe { syscall4(libc::SYS_write, 2, bytes.as_ptr() as usize, bytes.len(), 0) };
}

pub(crate) fn exit(code: c_int) -> ! {
    loop {
        // SAFETY: exit_group ends the process; it does not return.
        let _ = unsafe { syscall4(libc::SYS_exit_group, code as usize, 0, 0, 0) };
    }
}
