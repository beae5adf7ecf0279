//! The `interlock` executable: everything lives in the library; this file only hands the
//! process' arguments over and turns the outcome into an exit status.

fn main() -> std::process::ExitCode {
    interlock::run(std::env::args_os().collect())
}
