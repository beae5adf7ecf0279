//! Redaction and escaping: the one place text is made safe before it leaves interlock
//! (terminal, log, hook replies, `explain`).
//!
//! Secrets keep a short prefix so a human can recognise which credential it was, never
//! enough to use it. Untrusted text shown to a human has control, bidi and zero-width
//! characters escaped so nothing can disguise what runs.

use std::sync::LazyLock;

use regex::Regex;

/// How many characters of a secret stay visible.
const KEEP: usize = 4;

/// Headers whose values are credentials.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "apikey",
    "project-access-token",
    "x-auth-token",
    "x-access-token",
    "private-token",
    "x-vault-token",
];

/// `secret…` → `secr…[redacted]`.
pub(crate) fn mask(secret: &str) -> String {
    let keep: String = secret.chars().take(if secret.chars().count() > 8 { KEEP } else { 0 }).collect();
    format!("{keep}…[redacted]")
}

/// Words every secret-looking name contains; a name with none of them is not a secret, and
/// no regex needs compiling to say so (the shim's hot path).
const SECRET_WORDS: &[&str] =
    &["token", "secret", "pass", "pwd", "key", "sig", "auth", "credential", "session", "access_token", "x-amz"];

fn mentions_secret_word(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether a variable, parameter or flag name names a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    if !mentions_secret_word(name) {
        return false;
    }
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        crate::static_regex(
            r"(?i)(^|[_.-])(token|secret|password|passwd|pwd|pass|api[_-]?key|apikey|key|sig|signature|auth|credentials?|private[_-]?key|access[_-]?key|session)([_.-]|$)|(password|passwd|token|secret|apikey)$|^(access_token|client_secret|x-amz-signature|x-amz-credential)$",
        )
    });
    RE.is_match(name)
}

/// Redact one header line `Name: value`.
pub(crate) fn header(line: &str) -> String {
    let Some((name, value)) = line.split_once(':') else {
        return line.to_string();
    };
    let lower = name.trim().to_ascii_lowercase();
    if SECRET_HEADERS.contains(&lower.as_str()) || is_secret_name(&lower) {
        let value = value.trim();
        let shown = match value.split_once(' ') {
            Some((scheme, cred))
                if ["bearer", "basic", "token", "bot"].contains(&scheme.to_ascii_lowercase().as_str()) =>
            {
                format!("{scheme} {}", mask(cred))
            }
            _ => mask(value),
        };
        return format!("{name}: {shown}");
    }
    text(line)
}

/// Redact secrets anywhere in free text: URL userinfo passwords, token-like query parameters,
/// `NAME=value` assignments with secret names, bearer tokens, conninfo passwords and
/// well-known token formats.
pub(crate) fn text(input: &str) -> String {
    static USERINFO: LazyLock<Regex> =
        LazyLock::new(|| crate::static_regex(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*):([^@\s/]+)@"));
    static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
        crate::static_regex(r#"(?i)(^|[\s?&;,'"{(])(-{0,2}[a-z0-9_.-]+"?)(\s*[=:]\s*)("?)([^\s&;,'"})/][^\s&;,'"})]*)"#)
    });
    static BEARER: LazyLock<Regex> =
        LazyLock::new(|| crate::static_regex(r"(?i)\b(bearer|token)\s+([A-Za-z0-9._~+/=-]{8,})"));
    static FORMATS: LazyLock<Regex> = LazyLock::new(|| {
        crate::static_regex(concat!(
            r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{16,}|xox[abposr]-[A-Za-z0-9-]{10,}",
            r"|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|glpat-[A-Za-z0-9_-]{16,}|npm_[A-Za-z0-9]{30,}",
            r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})\b"
        ))
    });
    // Each pattern runs (and is compiled) only when the text holds a literal it needs.
    let mut out = std::borrow::Cow::Borrowed(input);
    if out.contains("://") && out.contains('@') {
        let replaced =
            USERINFO.replace_all(&out, |c: &regex::Captures| format!("{}:{}@", &c[1], mask(&c[2]))).into_owned();
        out = std::borrow::Cow::Owned(replaced);
    }
    let lower = out.to_ascii_lowercase();
    if lower.contains("bearer") || lower.contains("token") {
        let replaced =
            BEARER.replace_all(&out, |c: &regex::Captures| format!("{} {}", &c[1], mask(&c[2]))).into_owned();
        out = std::borrow::Cow::Owned(replaced);
    }
    if (out.contains('=') || out.contains(':')) && mentions_secret_word(&out) {
        let replaced = ASSIGN
            .replace_all(&out, |c: &regex::Captures| {
                let name = c[2].trim_start_matches('-').trim_end_matches('"');
                if is_secret_name(name) && !c[5].contains("…[redacted]") {
                    format!("{}{}{}{}{}", &c[1], &c[2], &c[3], &c[4], mask(&c[5]))
                } else {
                    c[0].to_string()
                }
            })
            .into_owned();
        out = std::borrow::Cow::Owned(replaced);
    }
    const TOKEN_PREFIXES: &[&str] = &["gh", "github_pat_", "sk-", "xox", "AKIA", "AIza", "glpat-", "npm_", "eyJ"];
    if TOKEN_PREFIXES.iter().any(|p| out.contains(p)) {
        let replaced = FORMATS.replace_all(&out, |c: &regex::Captures| mask(&c[1])).into_owned();
        out = std::borrow::Cow::Owned(replaced);
    }
    out.into_owned()
}

/// Redact an argv for display: header values after `-H`, values of secret-named flags
/// (`--token X`, `--password=X`, `-u user:pass`), and everything `text` knows.
pub(crate) fn argv(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut next_is: Option<&str> = None;
    for arg in args {
        match next_is.take() {
            Some("header") => {
                out.push(header(arg));
                continue;
            }
            Some("secret") => {
                out.push(mask(arg));
                continue;
            }
            Some("userpass") => {
                out.push(userpass(arg));
                continue;
            }
            _ => {}
        }
        let flag = arg.split_once('=').map_or(arg.as_str(), |(f, _)| f);
        let bare = flag.trim_start_matches('-');
        if arg == "-H" || arg == "--header" || arg == "--proxy-header" {
            next_is = Some("header");
            out.push(arg.clone());
        } else if arg == "-u" || arg == "--user" || arg == "-U" || arg == "--proxy-user" {
            next_is = Some("userpass");
            out.push(arg.clone());
        } else if arg.starts_with("-") && is_secret_name(bare) {
            if let Some((f, v)) = arg.split_once('=') {
                out.push(format!("{f}={}", mask(v)));
            } else {
                next_is = Some("secret");
                out.push(arg.clone());
            }
        } else if let Some(rest) = arg.strip_prefix("-H").filter(|r| r.contains(':')) {
            out.push(format!("-H{}", header(rest)));
        } else {
            out.push(text(arg));
        }
    }
    out
}

fn userpass(arg: &str) -> String {
    match arg.split_once(':') {
        Some((user, pass)) => format!("{user}:{}", mask(pass)),
        None => arg.to_string(),
    }
}

/// Facts for display: header values, secret-named flag values and secrets in any text
/// (URLs, bodies, targets, statements) redacted.
pub(crate) fn facts(f: &crate::facts::Facts) -> crate::facts::Facts {
    let mut out = f.clone();
    for req in &mut out.requests {
        req.url = text(&req.url);
        req.query = req.query.as_deref().map(text);
        req.body = req.body.as_deref().map(text);
        for (name, value) in &mut req.headers {
            let line = header(&format!("{name}: {value}"));
            *value = line.split_once(": ").map_or(line.clone(), |(_, v)| v.to_string());
        }
    }
    for (flag, value) in &mut out.flag_values {
        *value =
            if is_secret_name(flag.trim_start_matches('-')) || matches!(flag.as_str(), "-u" | "--user" | "-a" | "-p") {
                mask(value)
            } else {
                text(value)
            };
    }
    for list in [&mut out.command, &mut out.targets, &mut out.unknown, &mut out.notes] {
        for item in list.iter_mut() {
            *item = text(item);
        }
    }
    for st in &mut out.statements {
        st.text = text(&st.text);
    }
    for field in &mut out.graphql {
        for (_, v) in &mut field.args {
            *v = text(v);
        }
    }
    out
}

/// A command line for display: redacted, shell-quoted, and escaped.
pub(crate) fn command_line(args: &[String]) -> String {
    escape(&shell_words::join(argv(args)))
}

/// Escape characters that could disguise text on a terminal: C0/C1 controls (newlines
/// included), DEL, bidi overrides and isolates, zero-width characters, and other invisible
/// formatting characters.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let cp = c as u32;
        let hidden = c.is_control()
            || matches!(cp, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x00AD | 0x061C | 0x180E);
        if hidden {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                _ if cp <= 0xFF => out.push_str(&format!("\\x{cp:02x}")),
                _ => out.push_str(&format!("\\u{{{cp:04x}}}")),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `text`, cut to `max` characters with a note of how much was left out.
pub(crate) fn capped(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    format!("{head}… ({} more characters)", count - max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_secret(out: &str, secret: &str) {
        assert!(!out.contains(secret), "secret leaked: {out}");
        assert!(out.contains("[redacted]"), "nothing redacted: {out}");
    }

    #[test]
    fn headers() {
        for (line, secret) in [
            ("Authorization: Bearer abcdef0123456789SECRET", "0123456789SECRET"),
            ("authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
            ("Proxy-Authorization: Basic Zm9vOmJhcg==", "Zm9vOmJhcg=="),
            ("Cookie: session=SECRETSESSIONVALUE", "SECRETSESSIONVALUE"),
            ("X-API-Key: k_live_SECRET123456", "SECRET123456"),
            ("Project-Access-Token: 4f2a9c1e-SECRET-TOKEN", "SECRET-TOKEN"),
            ("X-Custom-Token: SECRETCUSTOMVALUE", "SECRETCUSTOMVALUE"),
        ] {
            no_secret(&header(line), secret);
        }
        assert_eq!(header("Content-Type: application/json"), "Content-Type: application/json");
    }

    #[test]
    fn free_text() {
        for (t, secret) in [
            ("postgres://admin:hunter2secret@db.prod:5432/app", "hunter2secret"),
            ("https://api.example.com/x?access_token=SECRETQUERY1&page=2", "SECRETQUERY1"),
            ("https://x.test/?api_key=SECRETQUERY2", "SECRETQUERY2"),
            ("https://x.test/?sig=SECRETSIGNATURE", "SECRETSIGNATURE"),
            ("host=db.prod dbname=app password=SECRETPASSWORD1", "SECRETPASSWORD1"),
            ("RAILWAY_TOKEN=SECRETRAILWAYTOKEN psql", "SECRETRAILWAYTOKEN"),
            ("PGPASSWORD=SECRETPGPASSWORD psql", "SECRETPGPASSWORD"),
            ("Bearer SECRETBEARERTOKEN", "SECRETBEARERTOKEN"),
            ("token ghp_abcdefghijklmnopqrstuvwxyz0123", "ghp_abcdefghijklmnopqrstuvwxyz0123"),
            ("use sk-live0123456789abcdefSECRET", "0123456789abcdefSECRET"),
            ("AKIAIOSFODNN7EXAMPLE is the key", "AKIAIOSFODNN7EXAMPLE"),
            ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SECRETSIGNATUREPART", "SECRETSIGNATUREPART"),
        ] {
            no_secret(&text(t), secret);
        }
    }

    #[test]
    fn harmless_text_is_untouched() {
        for t in [
            "mutation { volumeDelete(volumeId: \"3d2c4a1e-8a0b-4d5e-9f00-112233445566\") }",
            "DROP TABLE users;",
            "https://backboard.railway.com/graphql/v2",
            "--keyboard=us",
        ] {
            assert_eq!(text(t), t);
        }
    }

    #[test]
    fn argv_flags() {
        let args: Vec<String> = [
            "curl",
            "-H",
            "Authorization: Bearer SECRETA123456",
            "-u",
            "me:SECRETB123",
            "--token",
            "SECRETC123456",
            "--password=SECRETD123456",
            "-HX-Api-Key: SECRETE123456",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let out = argv(&args).join(" ");
        for s in ["SECRETA123456", "SECRETB123", "SECRETC123456", "SECRETD123456", "SECRETE123456"] {
            assert!(!out.contains(s), "{s} leaked: {out}");
        }
        assert!(out.starts_with("curl -H"));
    }

    #[test]
    fn escapes_what_could_disguise() {
        assert_eq!(escape("a\nb"), "a\\nb");
        assert_eq!(escape("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(escape("zero\u{200B}width"), "zero\\u{200b}width");
        assert_eq!(escape("\x1b[2J"), "\\x1b[2J");
        assert_eq!(escape("plain ünïcode"), "plain ünïcode");
    }
}
