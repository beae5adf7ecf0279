//! The floor for a shim: a minimal Rust program that does nothing but exec its arguments.
//! Built by bench/run.sh; a shim cannot cost less than this.
use std::os::unix::process::CommandExt;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else { std::process::exit(2) };
    let err = std::process::Command::new(program).args(args).exec();
    eprintln!("floor: {err}");
    std::process::exit(127);
}
