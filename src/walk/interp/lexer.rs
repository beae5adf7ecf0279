//! The string literals of interpreter code, in each language's own forms, and the list
//! punctuation around them (enough to see `["psql", "-c", "…"]`).
//!
//! Not a parser: comments are skipped, strings are decoded the common C way, everything else
//! is `Other`. The forms: quotes of every language; Python triple quotes and f-strings
//! (`{{` is `{`); JS template literals; Ruby `%q{…}`/`%Q(…)`/`%{…}` and heredocs (`<<~SQL`);
//! Perl `q{…}`/`qq{…}` and heredocs; PHP heredocs and nowdocs (`<<<'EOT'`); Lua long
//! brackets (`[[…]]`, `[==[…]==]`).

use crate::analyze::spec::Language;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Str(String),
    Open,
    Close,
    Comma,
    Other,
}

/// The string literals and list punctuation of `code`.
pub(super) fn tokens(code: &str, lang: Language) -> Vec<Tok> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if let Some((text, end)) = special_string(b, i, lang) {
            out.push(Tok::Str(text));
            i = end;
            continue;
        }
        let c = b[i];
        match c {
            b'#' if matches!(
                lang,
                Language::Python | Language::Ruby | Language::Perl | Language::Php | Language::Awk
            ) =>
            {
                i = line_end(b, i);
            }
            b'-' if lang == Language::Lua && b.get(i + 1) == Some(&b'-') => i = line_end(b, i),
            b'/' if c_like(lang) && b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if c_like(lang) && b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'\'' | b'"' | b'`' => {
                let triple = lang == Language::Python && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                let (mut text, end) = if triple { literal(b, i + 3, &[c, c, c]) } else { literal(b, i + 1, &[c]) };
                if lang == Language::Python && is_f_string(b, i) {
                    text = text.replace("{{", "{").replace("}}", "}");
                }
                out.push(Tok::Str(text));
                i = end;
                continue;
            }
            b'[' | b'(' => out.push(Tok::Open),
            b']' | b')' => out.push(Tok::Close),
            b',' => out.push(Tok::Comma),
            c if c.is_ascii_whitespace() => {}
            _ => {
                if !matches!(out.last(), Some(Tok::Other)) {
                    out.push(Tok::Other);
                }
            }
        }
        i += 1;
    }
    out
}

fn c_like(lang: Language) -> bool {
    matches!(lang, Language::Javascript | Language::Deno | Language::Php)
}

fn line_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] != b'\n' {
        i += 1;
    }
    i
}

/// Whether the quote at `at` opens a Python f-string (`f"…"`, `rf'…'`, `F"""…"""`).
fn is_f_string(b: &[u8], at: usize) -> bool {
    let mut j = at;
    while j > 0 && b[j - 1].is_ascii_alphabetic() {
        j -= 1;
    }
    let prefix = &b[j..at];
    prefix.len() <= 2 && prefix.iter().any(|c| c.eq_ignore_ascii_case(&b'f'))
}

/// A string form of the language other than plain quotes, starting at `i`: its text and
/// the index after it.
fn special_string(b: &[u8], i: usize, lang: Language) -> Option<(String, usize)> {
    let word_before = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'$');
    match lang {
        Language::Lua if b[i] == b'[' => {
            let eq = b[i + 1..].iter().take_while(|&&c| c == b'=').count();
            (b.get(i + 1 + eq) == Some(&b'[')).then(|| {
                let close: Vec<u8> = std::iter::once(b']').chain(std::iter::repeat_n(b'=', eq)).chain([b']']).collect();
                raw_until(b, i + 2 + eq, &close)
            })
        }
        Language::Ruby if b[i] == b'%' && !word_before && !after_operand(b, i) => {
            let (kind, open_at) = match b.get(i + 1) {
                Some(b'q' | b'Q' | b'w' | b'W' | b'i' | b'I') => (b[i + 1], i + 2),
                _ => (b'Q', i + 1),
            };
            let open = *b.get(open_at)?;
            if !b"{([<|!/^".contains(&open) || kind == b'i' || kind == b'I' {
                return None;
            }
            Some(delimited(b, open_at))
        }
        Language::Perl if matches!(b[i], b'q') && !word_before => {
            let open_at = if b.get(i + 1) == Some(&b'q') { i + 2 } else { i + 1 };
            let open = *b.get(open_at)?;
            b"{([<|!/#".contains(&open).then(|| delimited(b, open_at))
        }
        Language::Ruby | Language::Perl | Language::Php if b[i..].starts_with(b"<<") => heredoc(b, i, lang),
        _ => None,
    }
}

/// Whether the character before `i` (spaces skipped) ends an operand, so `%` there is the
/// modulo operator (`a % b`), not a Ruby string.
fn after_operand(b: &[u8], i: usize) -> bool {
    let mut j = i;
    while j > 0 && b[j - 1] == b' ' {
        j -= 1;
    }
    j > 0 && (b[j - 1].is_ascii_alphanumeric() || matches!(b[j - 1], b')' | b']' | b'}' | b'_'))
}

/// `%q{…}`, `q(…)`: the text between an opening delimiter at `open_at` and its close
/// (bracket pairs nest).
fn delimited(b: &[u8], open_at: usize) -> (String, usize) {
    let open = b[open_at];
    let close = match open {
        b'{' => b'}',
        b'(' => b')',
        b'[' => b']',
        b'<' => b'>',
        c => c,
    };
    let mut depth = 0usize;
    let mut i = open_at + 1;
    let start = i;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            c if c == close && depth == 0 => return (String::from_utf8_lossy(&b[start..i]).into_owned(), i + 1),
            c if c == close => depth -= 1,
            c if c == open && open != close => depth += 1,
            _ => {}
        }
        i += 1;
    }
    (String::from_utf8_lossy(&b[start..]).into_owned(), b.len())
}

/// The text up to `close`, undecoded (Lua long brackets).
fn raw_until(b: &[u8], start: usize, close: &[u8]) -> (String, usize) {
    let end = b[start..].windows(close.len()).position(|w| w == close).map_or(b.len(), |p| start + p);
    (String::from_utf8_lossy(&b[start..end]).into_owned(), (end + close.len()).min(b.len()))
}

/// A heredoc: Ruby `<<~SQL`/`<<-SQL`/`<<SQL`/`<<'SQL'`, Perl `<<"EOF"`/`<<~EOF`, PHP
/// `<<<EOT`/`<<<'EOT'`. Its body is the lines after the current one up to the terminator.
fn heredoc(b: &[u8], i: usize, lang: Language) -> Option<(String, usize)> {
    let mut j = i + 2;
    if lang == Language::Php {
        if b.get(j) != Some(&b'<') {
            return None;
        }
        j += 1;
        while b.get(j) == Some(&b' ') {
            j += 1;
        }
    } else if matches!(b.get(j), Some(b'~' | b'-')) {
        j += 1;
    }
    if matches!(b.get(j), Some(b'\'' | b'"')) {
        j += 1;
    }
    let start = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    let tag = &b[start..j];
    // An upper-case word: `<<SQL`. A lower-case one after `<<` is a shift or append (`a << b`).
    if tag.is_empty() || !tag[0].is_ascii_uppercase() {
        return None;
    }
    let body_start = line_end(b, j) + 1;
    let mut line = body_start;
    while line < b.len() {
        let end = line_end(b, line);
        let text = &b[line..end];
        let trimmed: &[u8] = text.trim_ascii();
        if trimmed == tag || (lang == Language::Php && trimmed.strip_suffix(b";") == Some(tag)) {
            // (The rest of the opening line, `<<~SQL)`, is skipped with the body.)
            return Some((String::from_utf8_lossy(&b[body_start.min(line)..line]).into_owned(), end));
        }
        line = end + 1;
    }
    None
}

/// Read a literal starting at `start` up to `close`; returns its decoded text and the index
/// after the closing quote.
pub(super) fn literal(b: &[u8], start: usize, close: &[u8]) -> (String, usize) {
    let mut out: Vec<u8> = Vec::new();
    let mut i = start;
    while i < b.len() {
        if b[i..].starts_with(close) {
            return (String::from_utf8_lossy(&out).into_owned(), i + close.len());
        }
        if b[i] == b'\\' && i + 1 < b.len() {
            let e = b[i + 1];
            i += 2;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'0' => out.push(0),
                b'x' => {
                    let hex = std::str::from_utf8(b.get(i..i + 2).unwrap_or_default()).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(v) => {
                            out.push(v);
                            i += 2;
                        }
                        Err(_) => out.push(b'x'),
                    }
                }
                b'u' => {
                    let hex = std::str::from_utf8(b.get(i..i + 4).unwrap_or_default()).unwrap_or("");
                    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) => {
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            i += 4;
                        }
                        None => out.push(b'u'),
                    }
                }
                other => out.push(other),
            }
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    (String::from_utf8_lossy(&out).into_owned(), b.len())
}

/// The string literals of `code`, in order.
pub(super) fn strings(tokens: &[Tok]) -> Vec<&str> {
    tokens.iter().filter_map(|t| if let Tok::Str(s) = t { Some(s.as_str()) } else { None }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(lang: Language, code: &str) -> Vec<String> {
        strings(&tokens(code, lang)).into_iter().map(str::to_string).collect()
    }

    #[test]
    fn each_languages_string_forms() {
        assert_eq!(strs(Language::Python, "x = f'mutation {{ a(id: \"{v}\") }}'"), ["mutation { a(id: \"{v}\") }"]);
        assert_eq!(strs(Language::Python, "q = \"\"\"DROP TABLE t\"\"\" # 'no'"), ["DROP TABLE t"]);
        assert_eq!(strs(Language::Javascript, "const q = `DROP ${t}` // 'no'"), ["DROP ${t}"]);
        assert_eq!(strs(Language::Ruby, "db.exec(%q{DROP TABLE t}); a % b; x = %Q(y)"), ["DROP TABLE t", "y"]);
        assert_eq!(strs(Language::Ruby, "db.exec(<<~SQL)\n  DROP TABLE t\nSQL\nputs 'x'"), ["  DROP TABLE t\n", "x"]);
        assert_eq!(strs(Language::Ruby, "a << b; c"), Vec::<String>::new());
        assert_eq!(strs(Language::Perl, "$dbh->do(q{DROP TABLE t}); print qq(x)"), ["DROP TABLE t", "x"]);
        assert_eq!(strs(Language::Perl, "my $q = <<'EOF';\nDROP TABLE t\nEOF\n"), ["DROP TABLE t\n"]);
        assert_eq!(strs(Language::Php, "$q = <<<'EOT'\nDROP TABLE t\nEOT;\n"), ["DROP TABLE t\n"]);
        assert_eq!(strs(Language::Lua, "q = [[DROP TABLE t]] -- 'no'\nr = [==[x]]y]==]"), ["DROP TABLE t", "x]]y"]);
    }
}
