//! Classifying one candidate statement: sqlparser's tokens in, statement kinds out —
//! what a DROP, TRUNCATE, DELETE or UPDATE destroys, whether a WHERE clause is real, what a
//! function or procedure body will run when it is called.

use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Token, Tokenizer};

use super::{Dialect, Scanner};
use crate::facts::{Statement, StatementKind};
/// A statement shortened for humans.
pub(super) fn excerpt(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 160 {
        format!("{}…", one_line.chars().take(160).collect::<String>())
    } else {
        one_line
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Classified {
    pub(super) statements: Vec<Statement>,
    pub(super) unknown: Vec<String>,
    pub(super) copy_from_stdin: bool,
}

/// The words, strings and symbols of a statement (whitespace dropped); `None` when the
/// tokenizer cannot read it.
pub(super) fn tokens(dialect: Dialect, text: &str) -> Option<Vec<Tok>> {
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
pub(super) fn untokenize(tokens: &[Tok]) -> String {
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

pub(super) fn is_kw(t: Option<&Tok>, k: &str) -> bool {
    matches!(t, Some(Tok::Word(w, false, _)) if w == k)
}

/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE name … AS $$body$$` (or a MySQL `BEGIN … END`
/// body) and `PREPARE name AS statement`: the name (upper case) and what running it does.
pub(super) fn definition(dialect: Dialect, words: &[Tok]) -> Option<(String, Classified)> {
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
pub(super) fn temp_table(words: &[Tok]) -> Option<String> {
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
pub(super) fn dropped_tables(words: &[Tok]) -> Vec<String> {
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
pub(super) fn classify(dialect: Dialect, text: &str, truncated: bool) -> Classified {
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
pub(super) enum Tok {
    /// Upper-cased value, quoted?, raw value.
    Word(String, bool, String),
    Body(String),
    Str(String),
    Other(String),
}

/// No WHERE, or a WHERE that is always true (`WHERE true`, `WHERE 1=1`).
pub(super) fn where_is_trivial(words: &[Tok]) -> bool {
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
pub(super) const PLPGSQL_BREAKS: &[&str] = &["BEGIN", "DECLARE", "THEN", "ELSE", "ELSIF", "LOOP", "EXCEPTION", "END"];

/// A PL/pgSQL body run by `DO`: its statements run, and `EXECUTE` runs SQL built at run time.
pub(super) fn plpgsql(body: &str, out: &mut Classified) {
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
