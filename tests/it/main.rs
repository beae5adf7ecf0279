//! The integration tests: one binary, one module per area, helpers in `common` compiled once.
//! They run the built `interlock` (and, for the exec guard, the release library) against real
//! programs: see the README's test section.

// Tests fail by panicking; their helpers are this test crate's own.
#![allow(clippy::expect_used, clippy::unwrap_used, unreachable_pub)]

mod common;

mod agents;
mod audit;
mod cli;
mod corpus;
mod e2e;
#[cfg(target_os = "linux")]
mod guard;
mod hooks;
mod see_through;
mod shim;
mod terminal;
