//! Words as the shell builds them: `sh -c` arguments, `for` globs, and the three quoting
//! styles (bare, double, ANSI-C `$'…'`).

use std::path::Path;

use tree_sitter::Node;

use super::Walker;

pub(super) enum ShellArgs {
    Script(String),
    File(String),
    Stdin,
    Dynamic,
}

/// What `sh [options] …` runs: `-c SCRIPT`, a script file, or its stdin.
pub(super) fn shell_dash_c(args: &[String]) -> ShellArgs {
    let mut i = 0;
    let mut dash_c = false;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            if a[1..].contains('c') {
                dash_c = true;
            }
            if a == "-o" || a == "-O" {
                i += 1;
            }
            i += 1;
            continue;
        }
        if a.starts_with("--") {
            i += 1;
            continue;
        }
        break;
    }
    match (dash_c, args.get(i)) {
        (true, Some(s)) if s.contains('$') && !s.contains(' ') => ShellArgs::Dynamic,
        (true, Some(s)) => ShellArgs::Script(s.clone()),
        (true, None) => ShellArgs::Stdin,
        (false, Some(f)) => ShellArgs::File(f.clone()),
        (false, None) => ShellArgs::Stdin,
    }
}

/// Expand a glob the way bash does for a `for` list, for patterns whose wildcards are in the
/// last path component: the matching names (not hidden ones unless the pattern starts with
/// `.`), sorted; the pattern itself when nothing matches. `None` past `MAX` matches.
pub(super) fn glob(cwd: &Path, pattern: &str) -> Option<Vec<String>> {
    const MAX: usize = 64;
    let (dir, file) = pattern.rsplit_once('/').map_or(("", pattern), |(d, f)| (d, f));
    if dir.contains(['*', '?', '[']) {
        return None;
    }
    let base = if dir.is_empty() {
        cwd.to_path_buf()
    } else if pattern.starts_with('/') {
        Path::new(dir).to_path_buf()
    } else {
        cwd.join(dir)
    };
    let matcher = wildcard(file)?;
    let Ok(entries) = std::fs::read_dir(&base) else { return Some(vec![pattern.to_string()]) };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| (!n.starts_with('.') || file.starts_with('.')) && matcher.is_match(n))
        .map(|n| if dir.is_empty() && !pattern.starts_with('/') { n } else { format!("{dir}/{n}") })
        .collect();
    if names.len() > MAX {
        return None;
    }
    names.sort();
    if names.is_empty() {
        names.push(pattern.to_string());
    }
    Some(names)
}

/// Shell wildcard match of a whole name: `*`, `?`, `[abc]`/`[a-z]`/`[!x]`. A compiled
/// `globset` matcher, linear in the name whatever the pattern (a backtracking matcher is
/// exponential in the stars: `*a*a*a*a*a*a*b` against a long name). None when the pattern
/// does not compile.
pub(super) fn wildcard(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .empty_alternates(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

pub(super) fn unescape_bare(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| matches!(n, '"' | '\\' | '$' | '`' | '\n')) {
            let n = chars.next().unwrap_or('\\');
            if n != '\n' {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The text of `$'…'` as bash decodes it: `\n`, `\xHH`, `\NNN` (octal), `\uHHHH`,
/// `\UHHHHHHHH`, `\cX` and the other C escapes.
pub(super) fn unescape_ansi_c(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let digits = |chars: &mut std::iter::Peekable<std::str::Chars>, radix: u32, max: usize| -> Option<u32> {
        let d: String = std::iter::from_fn(|| chars.next_if(|c| c.is_digit(radix))).take(max).collect();
        u32::from_str_radix(&d, radix).ok()
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next() {
            Some('n') => Some('\n'),
            Some('t') => Some('\t'),
            Some('r') => Some('\r'),
            Some('a') => Some('\u{7}'),
            Some('b') => Some('\u{8}'),
            Some('e' | 'E') => Some('\u{1b}'),
            Some('f') => Some('\u{c}'),
            Some('v') => Some('\u{b}'),
            Some('x') => digits(&mut chars, 16, 2).and_then(char::from_u32),
            Some('u') => digits(&mut chars, 16, 4).and_then(char::from_u32),
            Some('U') => digits(&mut chars, 16, 8).and_then(char::from_u32),
            Some('c') => chars.next().map(|x| char::from((x as u8) & 0x1f)),
            Some(o @ '0'..='7') => {
                let mut v = o.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.next_if(|c| c.is_digit(8)) {
                        Some(d) => v = v * 8 + d.to_digit(8).unwrap_or(0),
                        None => break,
                    }
                }
                char::from_u32(v & 0xff)
            }
            Some(other) => Some(other),
            None => None,
        };
        out.extend(decoded);
    }
    out
}

pub(super) fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    crate::redact::escape(&s)
}

/// A word's value: the literal text, and whether part of it is only known at run time.
pub(super) struct Word {
    pub(super) text: String,
    pub(super) dynamic: bool,
}

impl Walker<'_> {
    /// `$NAME` / `${NAME}` / `${NAME:-default}`: the value the string gave NAME earlier,
    /// else only known at run time.
    pub(super) fn expansion(&self, node: Node) -> Word {
        let raw = self.text(node);
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        let plain = node.kind() == "simple_expansion"
            || (children.len() == 1 && raw.starts_with("${") && !raw.starts_with("${#") && !raw.starts_with("${!"));
        let name = children.iter().find(|c| c.kind() == "variable_name").map(|c| self.text(*c));
        match (plain, name.as_ref().and_then(|n| self.vars.get(n))) {
            (true, Some(Some(value))) => Word { text: value.clone(), dynamic: false },
            // `${IFS}` not set by the string is the shell's default: it splits words
            // (`rm${IFS}-rf${IFS}/`).
            (true, None) if name.as_deref() == Some("IFS") => Word { text: " ".into(), dynamic: false },
            _ => Word { text: raw, dynamic: true },
        }
    }

    /// Whether a word is (or holds) an unquoted expansion, which the shell splits into
    /// words on IFS: `$CMD`, `rm${IFS}-rf`.
    pub(super) fn splits(&self, node: Node) -> bool {
        match node.kind() {
            "simple_expansion" | "expansion" => true,
            "concatenation" => {
                let mut cursor = node.walk();
                node.named_children(&mut cursor).any(|c| matches!(c.kind(), "simple_expansion" | "expansion"))
            }
            _ => false,
        }
    }

    pub(super) fn word(&self, node: Node) -> Word {
        match node.kind() {
            "word" | "number" => Word { text: unescape_bare(&self.text(node)), dynamic: false },
            "raw_string" => {
                let t = self.text(node);
                Word { text: t.trim_start_matches('\'').trim_end_matches('\'').to_string(), dynamic: false }
            }
            "ansi_c_string" => {
                let t = self.text(node);
                let inner = t.strip_prefix("$'").and_then(|s| s.strip_suffix('\'')).unwrap_or(&t);
                Word { text: unescape_ansi_c(inner), dynamic: false }
            }
            "string" => {
                // Literal pieces and expansions in order; `$NAME` set earlier in the string is
                // its value, anything else is only known at run time.
                let mut text = String::new();
                let mut dynamic = false;
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "string_content" {
                        text.push_str(&unescape_double(&self.text(child)));
                    } else {
                        let w = self.word(child);
                        text.push_str(&w.text);
                        dynamic |= w.dynamic;
                    }
                }
                Word { text, dynamic }
            }
            "simple_expansion" | "expansion" => self.expansion(node),
            // `$(echo ls)`, `` `printf x` ``: what a literal echo or printf prints, without its
            // trailing newlines, is known now.
            "command_substitution" => {
                let mut cursor = node.walk();
                let inner: Vec<Node> = node.named_children(&mut cursor).collect();
                match inner.as_slice() {
                    [command] => match self.produced(*command, *command) {
                        Some(bytes) => Word {
                            text: String::from_utf8_lossy(&bytes).trim_end_matches('\n').to_string(),
                            dynamic: false,
                        },
                        None => Word { text: self.text(node), dynamic: true },
                    },
                    _ => Word { text: self.text(node), dynamic: true },
                }
            }
            "concatenation" => {
                let mut text = String::new();
                let mut dynamic = false;
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    let w = self.word(child);
                    text.push_str(&w.text);
                    dynamic |= w.dynamic;
                }
                Word { text, dynamic }
            }
            _ => Word { text: self.text(node), dynamic: true },
        }
    }
}
