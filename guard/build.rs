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
        // Code and read-only data in one segment: one mapping fewer per process start (GNU
        // ld: `-z noseparate-code`; LLD, rustc's linker on x86_64 Linux: `--no-rosegment`).
        println!("cargo::rustc-cdylib-link-arg=-Wl,-z,noseparate-code");
        // Calls between the library's own exported functions (`execl` → `execve`) bound when
        // linking, not looked up by the loader at every process start.
        println!("cargo::rustc-cdylib-link-arg=-Wl,-Bsymbolic-functions");
        if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64") {
            println!("cargo::rustc-cdylib-link-arg=-Wl,--no-rosegment");
            // The writable segment starts on a page of its own in the file, so the GOT, the
            // state and the first kilobytes of the table share its first page (`Image`).
            println!("cargo::rustc-cdylib-link-arg=-Wl,-z,separate-loadable-segments");
        }
    }
}
