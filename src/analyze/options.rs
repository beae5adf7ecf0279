//! "Program X takes option Y": one shape for every command-line grammar interlock reads by
//! hand (curl, wget, HTTPie). A program's options are a table of rows — short letter, long
//! name, whether a value follows — and its parser asks the table, never a list of its own.
//! To teach interlock a new option, add its row (and, where it changes the request, the match
//! arm in that program's parser that reads it).

/// One option of a program's command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptSpec {
    /// The one-letter form (`-d`), if there is one.
    pub short: Option<char>,
    /// The long form without its dashes (`data`); empty when there is only a short form.
    pub long: &'static str,
    /// Whether a value follows (`-d VALUE`, `-dVALUE`, `--data VALUE`, `--data=VALUE`).
    pub value: bool,
}

impl OptSpec {
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

/// An option that takes a value.
pub(crate) const fn val(short: Option<char>, long: &'static str) -> OptSpec {
    OptSpec { short, long, value: true }
}

/// An option that takes no value.
pub(crate) const fn flag(short: Option<char>, long: &'static str) -> OptSpec {
    OptSpec { short, long, value: false }
}

/// A program's options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OptTable(pub &'static [OptSpec]);

impl OptTable {
    /// The option `-c`.
    pub(crate) fn short(&self, c: char) -> Option<&'static OptSpec> {
        self.0.iter().find(|o| o.short == Some(c))
    }

    /// The option `--name`, spelled out.
    pub(crate) fn long(&self, name: &str) -> Option<&'static OptSpec> {
        self.0.iter().find(|o| !o.long.is_empty() && o.long == name)
    }

    /// The option `--name` as typed: spelled out, or an unambiguous abbreviation (curl and
    /// wget accept those).
    pub(crate) fn resolve(&self, typed: &str) -> Option<&'static OptSpec> {
        if let Some(exact) = self.long(typed) {
            return Some(exact);
        }
        let mut hits = self.0.iter().filter(|o| !typed.is_empty() && o.long.starts_with(typed));
        match (hits.next(), hits.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: OptTable = OptTable(&[val(Some('d'), "data"), flag(Some('s'), "silent"), val(None, "data-raw")]);

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
