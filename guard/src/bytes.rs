//! Byte-string helpers for the hot paths, written out so they compile to loops rather than to
//! calls of libc's `strlen`/`bcmp`: a process start that touches one more libc page pays a
//! page fault for it (see `sys`).

use core::ffi::c_char;

/// The bytes of a C string, without its NUL.
///
/// # Safety
/// `p` points at a NUL-terminated string that outlives the returned slice.
#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) unsafe fn cstr<'a>(p: *const c_char) -> &'a [u8] {
    let mut n = 0;
    // SAFETY: reading up to the NUL the caller promises.
    while unsafe { core::ptr::read_volatile(p.add(n)) } != 0 {
        n += 1;
    }
    // SAFETY: `n` bytes were just read.
    unsafe { core::slice::from_raw_parts(p.cast::<u8>(), n) }
}

#[unsafe(link_section = ".text.hot.interlock_guard")]
pub(crate) fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        // SAFETY: i < len of both.
        if unsafe { core::ptr::read_volatile(a.as_ptr().add(i)) != *b.as_ptr().add(i) } {
            return false;
        }
        i += 1;
    }
    true
}
