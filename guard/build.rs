//! Compiles the variadic exec entry points (`execl`, `execlp`, `execle`), which stable Rust
//! cannot define, on Linux only.

fn main() {
    println!("cargo::rerun-if-changed=src/variadic.c");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        cc::Build::new().file("src/variadic.c").compile("variadic");
    }
}
