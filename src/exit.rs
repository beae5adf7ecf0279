//! The exit statuses interlock itself chooses. A real program's status is its own.

/// `interlock check`: the call would be allowed.
pub const ALLOW: u8 = 0;
/// `interlock check`: the call needs a human (confirm) or is refused (deny).
pub const NEEDS_HUMAN: u8 = 1;
/// Usage or internal error.
pub const ERROR: u8 = 2;
/// A shim call was blocked: declined, denied, or no terminal to ask on.
pub const BLOCKED: u8 = 77;
/// The real program exists but cannot be executed (as a shell reports it).
pub const NOT_EXECUTABLE: u8 = 126;
/// The real program was not found (as a shell reports it).
pub const NOT_FOUND: u8 = 127;
