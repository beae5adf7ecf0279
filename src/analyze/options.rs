//! "Program X takes option Y": one shape for every command-line grammar interlock reads by
//! hand — curl, wget, HTTPie (`analyze/http/`) and the wrappers that run other commands
//! (`hook/wrappers.rs`: sudo, env, ssh, kubectl exec, …). A program's options are a table of
//! rows — short letter, long name, whether a value follows, what it means — and its parser
//! asks the table, never a list of its own. To teach interlock a new option, add its row (and, where it
//! changes what the call does, the match arm that reads it). The rule files' `[[program]]`
//! tables say the same in TOML (`options = [{ short, long, value, role, meaning }]`,
//! `analyze/spec.rs`) for the shared argv analyzer.

/// One option of a program's command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptSpec {
    /// The one-letter form (`-d`), if there is one.
    pub short: Option<char>,
    /// The long form without its dashes (`data`); empty when there is only a short form.
    pub long: &'static str,
    /// Whether a value follows (`-d VALUE`, `-dVALUE`, `--data VALUE`, `--data=VALUE`).
    pub value: bool,
    /// What the option does to the call, for the rows the parser acts on (empty for rows
    /// listed only so that their values are skipped).
    pub meaning: &'static str,
}

impl OptSpec {
    /// The row with its meaning: `val(Some('X'), "request").means("the request method")`.
    pub(crate) const fn means(self, meaning: &'static str) -> OptSpec {
        OptSpec { meaning, ..self }
    }

    /// This option's value as written: `inline` (`--name=v`, `-nv`), else the next word of
    /// `args` (consumed: `*next` moves past it); None for an option without a value.
    pub(crate) fn take_value(&self, inline: Option<String>, args: &[String], next: &mut usize) -> Option<String> {
        if !self.value {
            return None;
        }
        inline.or_else(|| {
            let v = args.get(*next).cloned();
            *next += 1;
            v
        })
    }
}

/// An option table written in place: `opt_table![val(Some('u'), "user"), …]` (the rows
/// become a constant, as a table must be).
macro_rules! opt_table {
    ($($row:expr),* $(,)?) => {{
        const ROWS: &[$crate::analyze::options::OptSpec] = &[$($row),*];
        $crate::analyze::options::OptTable::new(ROWS)
    }};
}
pub(crate) use opt_table;

/// An option that takes a value.
pub(crate) const fn val(short: Option<char>, long: &'static str) -> OptSpec {
    OptSpec { short, long, value: true, meaning: "" }
}

/// An option that takes no value.
pub(crate) const fn flag(short: Option<char>, long: &'static str) -> OptSpec {
    OptSpec { short, long, value: false, meaning: "" }
}

/// A program's options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OptTable {
    rows: &'static [OptSpec],
    /// Long options are written with one dash (`-tags`, Go's flag package).
    single_dash: bool,
}

/// One option as written: its name (`-u`, `--user`) and its value, when it takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Opt {
    pub name: String,
    pub value: Option<String>,
}

/// Options read up to the first operand (POSIX order) or `--`.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub opts: Vec<Opt>,
    /// Index of the first operand (or of the end).
    pub rest: usize,
}

impl Parsed {
    /// Whether one of `names` (as written: `-u`, `--user`) was given.
    pub(crate) fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|o| names.contains(&o.name.as_str()))
    }

    /// The value of the last of `names` given.
    pub(crate) fn value(&self, names: &[&str]) -> Option<&str> {
        self.opts.iter().rev().find(|o| names.contains(&o.name.as_str())).and_then(|o| o.value.as_deref())
    }
}

impl OptTable {
    /// No options take a value.
    pub(crate) const NONE: OptTable = OptTable::new(&[]);

    /// A table of GNU-style options (`-x`, `--long`).
    pub(crate) const fn new(rows: &'static [OptSpec]) -> OptTable {
        OptTable { rows, single_dash: false }
    }

    /// A table whose long options take one dash (`-tags value`).
    #[cfg(test)]
    pub(crate) const fn single_dash(rows: &'static [OptSpec]) -> OptTable {
        OptTable { rows, single_dash: true }
    }

    /// The option `-c`.
    pub(crate) fn short(&self, c: char) -> Option<&'static OptSpec> {
        self.rows.iter().find(|o| o.short == Some(c))
    }

    /// The option `--name`, spelled out.
    pub(crate) fn long(&self, name: &str) -> Option<&'static OptSpec> {
        self.rows.iter().find(|o| !o.long.is_empty() && o.long == name)
    }

    /// The option `--name` as typed: spelled out, or an unambiguous abbreviation (curl and
    /// wget accept those).
    pub(crate) fn resolve(&self, typed: &str) -> Option<&'static OptSpec> {
        if let Some(exact) = self.long(typed) {
            return Some(exact);
        }
        let mut hits = self.rows.iter().filter(|o| !typed.is_empty() && o.long.starts_with(typed));
        match (hits.next(), hits.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

/// Where the rows of an option grammar come from: a Rust table (`OptTable`) or a program's
/// `[[program]]` rows at one subcommand path (`ProgramSpec::at`). One parser reads both.
pub(crate) trait Grammar {
    /// Whether the option `-c` takes a value; None when the grammar does not know it.
    fn short_takes_value(&self, c: char) -> Option<bool>;
    /// Whether the option `--name` takes a value; None when the grammar does not know it.
    fn long_takes_value(&self, name: &str) -> Option<bool>;
    /// Whether long options are written with one dash (`-tags value`).
    fn single_dash(&self) -> bool {
        false
    }

    /// Read options from the start of `args`, stopping at the first operand or after `--`.
    fn parse(&self, args: &[String]) -> Parsed {
        let mut out = Parsed::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                i += 1;
                break;
            }
            if !a.starts_with('-') || a == "-" {
                break;
            }
            i += 1 + read_one(self, a, args.get(i + 1), &mut out.opts);
        }
        out.rest = i.min(args.len());
        out
    }

    /// Read options anywhere among the operands (GNU `getopt` permutation, oclif): returns
    /// the options, the operands in order, and the words after `--` (kept as operands).
    fn parse_permuted(&self, args: &[String]) -> (Parsed, Vec<String>) {
        let mut out = Parsed::default();
        let mut operands = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                operands.extend(args[i + 1..].iter().cloned());
                break;
            }
            if !a.starts_with('-') || a == "-" {
                operands.push(a.clone());
                i += 1;
                continue;
            }
            i += 1 + read_one(self, a, args.get(i + 1), &mut out.opts);
        }
        out.rest = args.len();
        (out, operands)
    }
}

impl OptTable {
    /// `Grammar::parse`, without the trait in scope.
    pub(crate) fn parse(&self, args: &[String]) -> Parsed {
        <Self as Grammar>::parse(self, args)
    }

    /// `Grammar::parse_permuted`, without the trait in scope.
    pub(crate) fn parse_permuted(&self, args: &[String]) -> (Parsed, Vec<String>) {
        <Self as Grammar>::parse_permuted(self, args)
    }
}

impl Grammar for OptTable {
    fn short_takes_value(&self, c: char) -> Option<bool> {
        self.short(c).map(|o| o.value)
    }

    fn long_takes_value(&self, name: &str) -> Option<bool> {
        self.long(name).map(|o| o.value)
    }

    fn single_dash(&self) -> bool {
        self.single_dash
    }
}

/// Read one option word (`a`), with `next` the word after it; returns how many extra words
/// it consumed (0 or 1). `--long=value` is understood for every long option.
fn read_one<G: Grammar + ?Sized>(g: &G, a: &str, next: Option<&String>, opts: &mut Vec<Opt>) -> usize {
    let long = a.strip_prefix("--").or_else(|| a.strip_prefix('-').filter(|_| g.single_dash()));
    if let Some(long) = long {
        if let Some((name, value)) = long.split_once('=') {
            let dashes = &a[..a.len() - long.len()];
            opts.push(Opt { name: format!("{dashes}{name}"), value: Some(value.to_string()) });
            return 0;
        }
        match g.long_takes_value(long) {
            Some(true) => {
                opts.push(Opt { name: a.to_string(), value: next.cloned() });
                return 1;
            }
            Some(false) => {
                opts.push(Opt { name: a.to_string(), value: None });
                return 0;
            }
            // An unknown single-dash word is a short cluster after all.
            None if a.starts_with("--") || !g.single_dash() => {
                opts.push(Opt { name: a.to_string(), value: None });
                return 0;
            }
            None => {}
        }
    }
    // A short cluster: the first letter that takes a value eats the rest of the word, or the
    // next word when nothing is left (`-iu postgres`, `-upostgres`).
    let letters = &a[1..];
    for (pos, c) in letters.char_indices() {
        if g.short_takes_value(c) == Some(true) {
            let rest = &letters[pos + c.len_utf8()..];
            if rest.is_empty() {
                opts.push(Opt { name: format!("-{c}"), value: next.cloned() });
                return 1;
            }
            opts.push(Opt { name: format!("-{c}"), value: Some(rest.to_string()) });
            return 0;
        }
        opts.push(Opt { name: format!("-{c}"), value: None });
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: OptTable = OptTable::new(&[val(Some('d'), "data"), flag(Some('s'), "silent"), val(None, "data-raw")]);

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parse_stops_at_the_first_operand_and_clusters_take_the_rest() {
        let p = T.parse(&words("-sdx --data-raw y --data=z op -d w"));
        assert_eq!(p.value(&["-d"]), Some("x"));
        assert_eq!(p.value(&["--data-raw"]), Some("y"));
        assert_eq!(p.value(&["--data"]), Some("z"));
        assert!(p.has(&["-s"]));
        assert_eq!(p.rest, 4);
        let (p, operands) = T.parse_permuted(&words("op1 -d v op2 -- -s"));
        assert_eq!(p.value(&["-d"]), Some("v"));
        assert_eq!(operands, words("op1 op2 -s"));
    }

    #[test]
    fn single_dash_long_options() {
        const GO: OptTable = OptTable::single_dash(&[val(None, "tags"), val(None, "o")]);
        let p = GO.parse(&words("-tags netgo -o=bin ./cmd/x arg"));
        assert_eq!(p.value(&["-tags"]), Some("netgo"));
        assert_eq!(p.value(&["-o"]), Some("bin"));
        assert_eq!(p.rest, 3);
    }

    #[test]
    fn lookups() {
        assert_eq!(T.short('d').map(|o| o.long), Some("data"));
        assert_eq!(T.long("silent").map(|o| o.value), Some(false));
        assert!(T.short('d').is_some_and(|o| o.value) && T.long("data-raw").is_some_and(|o| o.value));
        // `--data` is exact even though `data-raw` starts with it; `--sil` is unambiguous.
        assert_eq!(T.resolve("data").map(|o| o.long), Some("data"));
        assert_eq!(T.resolve("sil").map(|o| o.long), Some("silent"));
        assert_eq!(T.resolve("da"), None);
        assert_eq!(T.resolve(""), None);
    }
}
