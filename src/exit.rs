//! The exit statuses interlock itself chooses. A real program's status is its own.

/// `interlock check`: the call would be allowed.
pub(crate) const ALLOW: u8 = 0;
/// `interlock check`: the call needs a human (confirm) or is refused (deny).
pub(crate) const NEEDS_HUMAN: u8 = 1;
/// Usage or internal error.
pub(crate) const ERROR: u8 = 2;
/// A shim call was blocked: declined, denied, or no terminal to ask on.
pub(crate) const BLOCKED: u8 = 77;
/// The real program exists but cannot be executed (as a shell reports it).
pub(crate) const NOT_EXECUTABLE: u8 = 126;
/// The real program was not found (as a shell reports it).
pub(crate) const NOT_FOUND: u8 = 127;
