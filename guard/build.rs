//! Compiles the variadic exec entry points (`execl`, `execlp`, `execle`), which stable Rust
//! cannot define, and links the library lean, on Linux only.

fn main() {
    println!("cargo::rerun-if-changed=src/variadic.c");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        cc::Build::new().file("src/variadic.c").compile("variadic");
        // No C start files: the library has no destructors, and crtbegin's would touch a page
        // of its own at every process exit. Everything writable on one page (no RELRO split),
        // which the loader touches anyway while relocating: the guard's state, written at
        // every process start, then costs no page fault of its own.
        println!("cargo::rustc-cdylib-link-arg=-nostartfiles");
        println!("cargo::rustc-cdylib-link-arg=-Wl,-z,norelro");
        // Code and read-only data in one segment: one mapping fewer per process start.
        println!("cargo::rustc-cdylib-link-arg=-Wl,-z,noseparate-code");
    }
}
