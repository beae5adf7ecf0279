//! Loading rule files: built-in, system and user, with errors that say file:line:column.
//!
//! Invariant: a malformed file is reported and skipped; it never takes the built-in rules
//! down with it. Loading for one program parses only the built-in files that name it and
//! compiles nothing: regexes are compiled on first use (see `matcher`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::builtin;
use super::cache;
use super::matcher::{CompileError, Compiled};
use super::model::{Action, OneOrMany, ProgramSpec, RuleFile, RuleSpec};
use crate::paths;

/// Where a rule came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    System,
    User,
    /// `.interlock/rules/` of the project the command runs in: additive only.
    Project,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Builtin => "built-in",
            Origin::System => "system",
            Origin::User => "user",
            Origin::Project => "project",
        }
    }
}

/// A rule file that could not be used, or a rule in it that could not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct LoadError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One loaded rule, with where it came from.
#[derive(Debug)]
pub struct Rule {
    pub spec: RuleSpec,
    pub origin: Origin,
    pub file: String,
    pub line: usize,
    compiled: OnceLock<Result<Compiled, CompileError>>,
}

impl Rule {
    /// The rule's matcher, compiled on first use.
    pub fn compiled(&self) -> Result<&Compiled, &CompileError> {
        self.compiled.get_or_init(|| Compiled::new(&self.spec)).as_ref()
    }

    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    pub fn applies_to(&self, program: &str) -> bool {
        self.spec.program.as_slice().iter().any(|p| p == program)
    }
}

/// The rules in force, and what went wrong loading them.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub programs: Vec<ProgramSpec>,
    pub errors: Vec<LoadError>,
    /// Rules that would loosen protection and are not in force (see `is_loosening`).
    pub ignored: Vec<Rule>,
    /// Allow rules a human accepted: a match turns the strictest `confirm` into allow.
    pub allows: Vec<Rule>,
    /// Rule ids switched off by files a human accepted.
    pub disabled: Vec<String>,
    /// Which accepted file switched each of `disabled` off: (rule id, file).
    pub disabled_by: Vec<(String, String)>,
    /// What was left out of a file without making it an error (a project's `disable`).
    pub warnings: Vec<String>,
    /// Files with loosening content nobody accepted yet: (file, digest, disable list).
    pub pending: Vec<Pending>,
}

/// A rule file that would loosen protection and waits for `interlock rules accept`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub file: String,
    pub digest: String,
    pub allow_rules: Vec<String>,
    pub disable: Vec<String>,
}

impl RuleSet {
    /// The rules that apply to `program`: only the built-in files that name it are parsed.
    pub fn for_program(program: &str) -> RuleSet {
        let mut set = RuleSet::default();
        if let Some(json) = builtin::chunk_for(program) {
            set.add_chunk(json, program);
        }
        set.add_dirs(Some(program));
        set
    }

    /// A program's built-in rules, pre-parsed at build time (see build.rs). They are the
    /// same files `builtin()` parses, validated by the test suite.
    fn add_chunk(&mut self, json: &str, program: &str) {
        match serde_json::from_str::<interlock_rulefile::Chunk<ProgramSpec, RuleSpec>>(json) {
            Ok(chunk) => {
                self.programs.extend(chunk.program);
                for r in chunk.rule {
                    self.rules.push(Rule {
                        spec: r.spec,
                        origin: Origin::Builtin,
                        file: r.file,
                        line: r.line,
                        compiled: OnceLock::new(),
                    });
                }
            }
            Err(e) => {
                // Cannot happen for a binary whose tests passed; fall back to the TOML.
                self.errors.push(LoadError {
                    file: "built-in rules".into(),
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                });
                for &i in builtin::files_for(program) {
                    let (name, text) = builtin::FILES[i];
                    self.add_text(Origin::Builtin, name, text, Some(program));
                }
            }
        }
    }

    /// Every rule from every source.
    pub fn all() -> RuleSet {
        let mut set = RuleSet::builtin();
        set.add_dirs(None);
        set
    }

    /// Only the built-in rules.
    pub fn builtin() -> RuleSet {
        let mut set = RuleSet::default();
        for (name, text) in builtin::FILES {
            set.add_text(Origin::Builtin, name, text, None);
        }
        set
    }

    fn add_dirs(&mut self, program: Option<&str>) {
        let mut dirs = vec![
            (Origin::System, Some(PathBuf::from(paths::SYSTEM_RULES_DIR))),
            (Origin::User, paths::user_rules_dir()),
        ];
        // Found once per process: the walk up the tree is the same for every program a hook
        // string runs (the hook moves to the event's directory before it judges anything).
        static PROJECT: OnceLock<Vec<PathBuf>> = OnceLock::new();
        let project =
            PROJECT.get_or_init(|| std::env::current_dir().map(|cwd| project_rule_dirs(&cwd)).unwrap_or_default());
        dirs.extend(project.iter().map(|d| (Origin::Project, Some(d.clone()))));
        for (origin, dir) in dirs {
            let Some(dir) = dir else { continue };
            match program {
                Some(p) => self.add_dir_for_program(origin, &dir, p),
                None => self.add_dir(origin, &dir, None),
            }
        }
    }

    /// Add a rule already parsed (from the cache).
    fn push_rule(&mut self, spec: RuleSpec, origin: Origin, file: String, line: usize) {
        self.rules.push(Rule { spec, origin, file, line, compiled: OnceLock::new() });
    }

    /// The rules of `dir` for `program`, through the cache when it is current. Decisions stay
    /// here: a file that loosens protection or does not load is never cached (it is parsed on
    /// every call, so acceptance and its errors always apply), and an allow rule is never
    /// taken from the cache.
    fn add_dir_for_program(&mut self, origin: Origin, dir: &Path, program: &str) {
        let Some(files) = cache::files(dir) else { return };
        if files.is_empty() {
            return;
        }
        if let Some(cached) = cache::read(dir, &files, program) {
            for name in &cached.uncached {
                self.add_file(origin, &dir.join(name), Some(program));
            }
            self.programs.extend(cached.programs);
            for (spec, file, line) in cached.rules {
                if spec.action != Action::Allow && spec.program.as_slice().iter().any(|p| p == program) {
                    self.push_rule(spec, origin, file, line);
                }
            }
            return;
        }
        // Parse everything once, keep this program's part, and rewrite the cache.
        let mut programs = Vec::new();
        let mut rules: Vec<(RuleSpec, String, usize)> = Vec::new();
        let mut uncached = Vec::new();
        for f in &files {
            let path = dir.join(&f.name);
            let mut one = RuleSet::default();
            one.add_file(origin, &path, None);
            let cacheable = one.errors.is_empty()
                && one.pending.is_empty()
                && one.ignored.is_empty()
                && one.allows.is_empty()
                && one.disabled.is_empty()
                && one.warnings.is_empty();
            if !cacheable {
                uncached.push(f.name.clone());
                self.add_file(origin, &path, Some(program));
                continue;
            }
            programs.extend(one.programs);
            rules.extend(one.rules.into_iter().map(|r| (r.spec, r.file, r.line)));
        }
        self.programs.extend(programs.iter().filter(|p| p.name == program).cloned());
        for (spec, file, line) in &rules {
            if spec.program.as_slice().iter().any(|p| p == program) {
                self.push_rule(spec.clone(), origin, file.clone(), *line);
            }
        }
        cache::write(dir, files, uncached, &programs, &rules);
    }

    /// Rule files (`*.toml`) in `dir`, in name order. A missing directory is not an error.
    pub fn add_dir(&mut self, origin: Origin, dir: &Path, program: Option<&str>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for path in files {
            self.add_file(origin, &path, program);
        }
    }

    /// One rule file from disk.
    pub fn add_file(&mut self, origin: Origin, path: &Path, program: Option<&str>) {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => self.add_text(origin, &name, &text, program),
            Err(e) => {
                self.errors.push(LoadError { file: name, line: 0, column: 0, message: format!("cannot read: {e}") })
            }
        }
    }

    /// Parse `text` as rule file `name`, keeping the rules for `program` (all when `None`).
    pub fn add_text(&mut self, origin: Origin, name: &str, text: &str, program: Option<&str>) {
        let mut file: RuleFile = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
                self.errors.push(LoadError { file: name.into(), line, column, message: e.message().to_string() });
                return;
            }
        };
        expand_aliases(&mut file);
        if origin == Origin::Project {
            self.only_additive(name, &mut file);
        }
        let loosens = origin != Origin::Builtin
            && (!file.disable.is_empty() || file.rule.iter().any(|r| r.get_ref().action == Action::Allow));
        // A project's allow rules are never in force and never wait for acceptance.
        let accepted = loosens && origin != Origin::Project && {
            let digest = crate::state::digest(text);
            let ok = accepted_digests().contains(&digest);
            if !ok {
                self.pending.push(Pending {
                    file: name.into(),
                    digest,
                    allow_rules: file
                        .rule
                        .iter()
                        .map(|r| r.get_ref())
                        .filter(|r| r.action == Action::Allow)
                        .map(|r| r.id.clone())
                        .collect(),
                    disable: file.disable.clone(),
                });
            }
            ok
        };
        if accepted {
            self.disabled.extend(file.disable.iter().cloned());
            self.disabled_by.extend(file.disable.iter().map(|id| (id.clone(), name.to_string())));
        }
        let wanted = |names: &[String]| program.is_none_or(|p| names.iter().any(|n| n == p));
        for spec in file.program {
            if wanted(std::slice::from_ref(&spec.name)) {
                self.programs.push(spec);
            }
        }
        for spanned in file.rule {
            // The span of an array-of-tables entry starts at its `[[rule]]` header.
            let line = line_col(text, spanned.span().start).0;
            let mut spec = spanned.into_inner();
            if !wanted(spec.program.as_slice()) {
                continue;
            }
            // A file's own named patterns are expanded here (the built-in ones when a regex is
            // compiled), so the file's rules keep working wherever they are cached.
            let own = own_patterns(&mut spec, &file.pattern);
            if let Some(message) = own.err().or_else(|| semantic_error(&spec)) {
                self.errors.push(LoadError { file: name.into(), line, column: 1, message });
                continue;
            }
            let rule = Rule { spec, origin, file: name.into(), line, compiled: OnceLock::new() };
            match (is_loosening(&rule), accepted) {
                (false, _) => self.rules.push(rule),
                (true, true) => self.allows.push(rule),
                (true, false) => self.ignored.push(rule),
            }
        }
    }

    /// A project's rule file may only add protection: its `disable` list and the tables it
    /// writes for programs interlock already reads are dropped with a warning (its allow rules
    /// are never accepted: `rules accept` takes user and system files only).
    fn only_additive(&mut self, name: &str, file: &mut RuleFile) {
        if !file.disable.is_empty() {
            self.warnings.push(format!(
                "{name}: `disable` ignored: a project's rules can only add protection ({})",
                file.disable.join(", ")
            ));
            file.disable.clear();
        }
        let (built_in, own): (Vec<ProgramSpec>, Vec<ProgramSpec>) =
            std::mem::take(&mut file.program).into_iter().partition(|p| builtin::chunk_for(&p.name).is_some());
        for p in &built_in {
            self.warnings.push(format!(
                "{name}: [[program]] {} ignored: a project cannot change how interlock reads a program it knows",
                p.name
            ));
        }
        file.program = own;
    }

    /// The rules in force for `program` (switched-off ones excluded).
    pub fn rules_for<'a>(&'a self, program: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.applies_to(program) && !self.disabled.contains(&r.spec.id))
    }

    /// How the argv analyzer reads `program`, if any rule file describes it.
    pub fn program(&self, program: &str) -> Option<&ProgramSpec> {
        self.programs.iter().find(|p| p.name == program)
    }

    /// Every program that gets a shim, sorted, without repeats: those a rule names, and
    /// those whose table says so (`ProgramSpec::shimmed`: a CLI's description, or a wrapper
    /// that reaches another user, host or container) — except those whose table says
    /// `shim = false` (`sed`, `tee`: run in every script's loops; the hook and `check` judge
    /// them).
    pub fn shimmed_names(&self) -> Vec<String> {
        let unshimmed: Vec<&str> =
            self.programs.iter().filter(|p| p.shim == Some(false)).map(|p| p.name.as_str()).collect();
        let mut names: Vec<String> = self
            .programs
            .iter()
            .filter(|p| p.shimmed())
            .map(|p| p.name.clone())
            .chain(self.rules.iter().flat_map(|r| r.spec.program.as_slice().iter().cloned()))
            .filter(|n| !unshimmed.contains(&n.as_str()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Compile every rule, reporting those that do not compile (used by `rules test` and
    /// `doctor`; the shim compiles lazily).
    pub fn compile_errors(&self) -> Vec<LoadError> {
        self.rules
            .iter()
            .filter_map(|r| {
                Compiled::check(&r.spec).err().map(|e| LoadError {
                    file: r.file.clone(),
                    line: r.line,
                    column: 1,
                    message: format!("rule {}: {e}", r.spec.id),
                })
            })
            .collect()
    }
}

/// `[[program]] aliases`: each alias gets the program's table, and every rule of the file
/// that names the program names its aliases too. A rule's `@group` names become the group's
/// programs first. (build.rs does the same for the built-in
/// files; `prebuilt_chunks_equal_the_parsed_files` checks they agree.)
fn expand_aliases(file: &mut RuleFile) {
    let aliases: Vec<(String, Vec<String>)> =
        file.program.iter().filter(|p| !p.aliases.is_empty()).map(|p| (p.name.clone(), p.aliases.clone())).collect();
    for (name, alts) in &aliases {
        let Some(spec) = file.program.iter().find(|p| p.name == *name).cloned() else { continue };
        for alt in alts {
            file.program.push(ProgramSpec { name: alt.clone(), aliases: Vec::new(), ..spec.clone() });
        }
    }
    let own_groups = std::mem::take(&mut file.group);
    // A group the file defines itself (`[[group]]`) first, then the built-in ones.
    let group =
        |name: &str| {
            own_groups.iter().find(|g| g.name == name).map(|g| g.programs.clone()).or_else(|| {
                super::groups::members(&format!("@{name}")).map(|m| m.iter().map(|p| p.to_string()).collect())
            })
        };
    for rule in &mut file.rule {
        let rule = rule.get_mut();
        // An unknown group is left as written, for `semantic_error` to report.
        if let Ok(names) = interlock_rulefile::expand_programs(rule.program.as_slice(), group, &aliases)
            && names != rule.program.as_slice()
        {
            rule.program = OneOrMany::Many(names);
        }
    }
}

/// Expand the patterns a file defines itself (and the built-in ones) in `spec`'s regexes.
fn own_patterns(spec: &mut RuleSpec, own: &[super::model::PatternSpec]) -> Result<(), String> {
    if own.is_empty() {
        return Ok(());
    }
    let id = spec.id.clone();
    for (field, regex) in spec.regexes_mut() {
        if let Some(r) = regex {
            *r = super::patterns::expand(r, own).map_err(|e| format!("rule {id}: {field}: {e}"))?;
        }
    }
    Ok(())
}

/// The project rule directories for a command run in `cwd`: `.interlock/rules` in `cwd` and
/// each directory above it, up to the repository root (the first directory holding `.git`);
/// outside a repository, only `cwd`'s own.
pub(crate) fn project_rule_dirs(cwd: &Path) -> Vec<PathBuf> {
    // One pass up the tree (a shim pays for it on every call): a few `stat`s.
    let mut found = Vec::new();
    for dir in cwd.ancestors() {
        let rules = dir.join(".interlock/rules");
        if rules.is_dir() {
            found.push(rules);
        }
        if dir.join(".git").exists() {
            return found;
        }
    }
    let own = cwd.join(".interlock/rules");
    found.retain(|d| *d == own);
    found
}

/// A rule that loosens protection: it allows something. Only a human may put such a rule in
/// force (`interlock rules accept`); until then it is kept aside, never applied.
fn is_loosening(rule: &Rule) -> bool {
    rule.spec.action == Action::Allow
}

/// Digests of rule files a human accepted; read only when a file wants to loosen.
fn accepted_digests() -> Vec<String> {
    crate::state::Keyed::existing().map(|s| s.accepted_digests()).unwrap_or_default()
}

/// Checks serde cannot express.
fn semantic_error(spec: &RuleSpec) -> Option<String> {
    if spec.id.trim().is_empty() {
        return Some("rule without an id".into());
    }
    if spec.reason.trim().is_empty() {
        return Some(format!("rule {}: a reason is required", spec.id));
    }
    if spec.program.as_slice().is_empty() {
        return Some(format!("rule {}: names no program", spec.id));
    }
    // A group name is left as written only when no file defines it.
    if let Some(group) = spec.program.as_slice().iter().find(|p| p.starts_with('@')) {
        let known: Vec<String> = super::groups::names().collect();
        return Some(format!("rule {}: names an unknown group {group} (known: {})", spec.id, known.join(", ")));
    }
    if spec.must_match.is_empty() || spec.not_match.is_empty() {
        return Some(format!(
            "rule {}: needs at least one `match` and one `not_match` example (rules carry their evidence)",
            spec.id
        ));
    }
    None
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_located_at_its_table_header() {
        let rule = |id: &str| {
            format!(
                "[[rule]]\n# a comment\nid = \"{id}\"\nprogram = \"tool\"\ncommand = [\"purge\"]\naction = \"confirm\"\nseverity = \"high\"\nreason = \"r\"\nmatch = [\"tool purge\"]\nnot_match = [\"tool list\"]\n"
            )
        };
        let text = format!("# rules\n\n{}\n\n{}", rule("a"), rule("b"));
        let mut set = RuleSet::default();
        set.add_text(Origin::User, "t.toml", &text, None);
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        let lines: Vec<usize> = set.rules.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 15]);
    }

    #[test]
    fn a_group_names_its_programs_and_an_unknown_one_is_an_error() {
        let rule = |id: &str, program: &str| {
            format!(
                "[[rule]]\nid = \"{id}\"\nprogram = {program}\ncommand = [\"purge\"]\naction = \"confirm\"\nseverity = \"high\"\nreason = \"r\"\nmatch = [\"wget purge\"]\nnot_match = [\"wget list\"]\n"
            )
        };
        let text = format!("{}\n{}", rule("a", "[\"@http-clients\", \"gh\"]"), rule("b", "\"@nope\""));
        let mut set = RuleSet::default();
        set.add_text(Origin::User, "g.toml", &text, None);
        let names = set.rules[0].spec.program.as_slice().to_vec();
        assert_eq!(names, ["curl", "wget", "http", "https", "xh", "xhs", "gh"]);
        assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
        assert!(set.errors[0].message.contains("unknown group @nope"), "{}", set.errors[0].message);
        assert_eq!(set.errors[0].line, 11);
    }

    /// A user file may define named patterns of its own (`[[pattern]]`) beside the built-in
    /// ones; an unknown name is an error at the rule's line.
    #[test]
    fn a_file_defines_its_own_patterns() {
        let rule = |id: &str, not_arg: &str| {
            format!(
                "[[rule]]\nid = \"{id}\"\nprogram = \"acme\"\ncommand = [\"purge\"]\nnot_arg = '{not_arg}'\naction = \"confirm\"\nseverity = \"high\"\nreason = \"r\"\nmatch = [\"acme purge prod\"]\nnot_match = [\"acme purge scratch-1\"]\n"
            )
        };
        let text = format!(
            "[[pattern]]\nname = \"scratch\"\nregex = 'scratch-\\d+'\n\n{}\n{}",
            rule("a", "^({scratch}|{build_outputs})$"),
            rule("b", "^{nope}$")
        );
        let mut set = RuleSet::default();
        set.add_text(Origin::User, "p.toml", &text, None);
        assert_eq!(set.rules.len(), 1, "{:?}", set.errors);
        let not_arg = set.rules[0].spec.not_arg.clone().unwrap_or_default();
        assert!(not_arg.starts_with("^((?:scratch-\\d+)|(?:node_modules|"), "{not_arg}");
        assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
        assert!(set.errors[0].message.contains("unknown pattern {nope}"), "{}", set.errors[0].message);
        assert_eq!(set.errors[0].line, 16);
    }

    /// Every built-in `[[program]]` table carries its own tests (`reads`), as every rule
    /// carries examples.
    #[test]
    fn every_builtin_program_table_says_how_it_reads() {
        let set = RuleSet::builtin();
        let bare: Vec<&str> = set.programs.iter().filter(|p| p.reads.is_empty()).map(|p| p.name.as_str()).collect();
        assert!(bare.is_empty(), "[[program]] tables without `reads`: {bare:?}");
    }

    /// A user file may define groups of its own (`[[group]]`), beside the built-in ones.
    #[test]
    fn a_file_defines_its_own_groups() {
        let text = "[[group]]\nname = \"ours\"\nprograms = [\"acme\", \"acmectl\"]\n\n[[rule]]\nid = \"a\"\nprogram = [\"@ours\", \"@http-clients\"]\ncommand = [\"purge\"]\naction = \"confirm\"\nseverity = \"high\"\nreason = \"r\"\nmatch = [\"acme purge\"]\nnot_match = [\"acme list\"]\n";
        let mut set = RuleSet::default();
        set.add_text(Origin::User, "g.toml", text, None);
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        let names = set.rules[0].spec.program.as_slice().to_vec();
        assert_eq!(names, ["acme", "acmectl", "curl", "wget", "http", "https", "xh", "xhs"]);
    }

    #[test]
    fn an_unknown_statement_kind_fails_at_load_with_its_line() {
        let text = "[[rule]]\nid = \"a\"\nprogram = \"psql\"\nstatement = [\"dorp\"]\naction = \"confirm\"\nseverity = \"high\"\nreason = \"r\"\nmatch = [\"psql -c 'DROP TABLE t'\"]\nnot_match = [\"psql -l\"]\n";
        let mut set = RuleSet::default();
        set.add_text(Origin::User, "k.toml", text, None);
        assert!(set.rules.is_empty());
        assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
        assert_eq!((set.errors[0].file.as_str(), set.errors[0].line), ("k.toml", 4));
        assert!(set.errors[0].message.contains("dorp"), "{}", set.errors[0].message);
    }

    #[test]
    fn unknown_field_is_reported_with_line_and_column() {
        let mut set = RuleSet::default();
        let text = "[[rule]]\nid = \"x\"\nprogram = \"curl\"\npatern = \"y\"\n";
        set.add_text(Origin::User, "user.toml", text, None);
        assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
        let e = &set.errors[0];
        assert_eq!((e.file.as_str(), e.line), ("user.toml", 4));
        assert!(e.message.contains("patern"), "{}", e.message);
    }

    #[test]
    fn malformed_user_file_keeps_builtins() {
        let mut set = RuleSet::builtin();
        let before = set.rules.len();
        set.add_text(Origin::User, "bad.toml", "[[rule]\n", None);
        assert_eq!(set.rules.len(), before);
        assert_eq!(set.errors.len(), 1);
        assert!(before > 0);
    }

    #[test]
    fn rule_without_examples_is_refused() {
        let mut set = RuleSet::default();
        let text =
            "[[rule]]\nid = \"x\"\nprogram = \"curl\"\naction = \"confirm\"\nseverity = \"high\"\nreason = \"r\"\n";
        set.add_text(Origin::User, "u.toml", text, None);
        assert!(set.rules.is_empty());
        assert!(set.errors[0].message.contains("match"), "{}", set.errors[0]);
        assert_eq!(set.errors[0].line, 1);
    }

    #[test]
    fn allow_rules_are_set_aside() {
        let mut set = RuleSet::default();
        let text = "[[rule]]\nid = \"x\"\nprogram = \"curl\"\naction = \"allow\"\nseverity = \"low\"\nreason = \"r\"\nmatch = [\"curl a\"]\nnot_match = [\"curl b\"]\n";
        set.add_text(Origin::User, "u.toml", text, None);
        assert!(set.rules.is_empty());
        assert_eq!(set.ignored.len(), 1);
    }

    #[test]
    fn prebuilt_chunks_equal_the_parsed_files() {
        for program in builtin::PROGRAMS.iter().map(|(name, _)| *name) {
            let fast = RuleSet::for_program(program);
            let mut slow = RuleSet::default();
            for &i in builtin::files_for(program) {
                let (name, text) = builtin::FILES[i];
                slow.add_text(Origin::Builtin, name, text, Some(program));
            }
            assert!(fast.errors.is_empty(), "{program}: {:?}", fast.errors);
            let ids = |s: &RuleSet| {
                s.rules.iter().map(|r| format!("{}@{}:{}", r.spec.id, r.file, r.line)).collect::<Vec<_>>()
            };
            assert_eq!(ids(&fast), ids(&slow), "{program}");
            assert_eq!(fast.programs.len(), slow.programs.len(), "{program}");
        }
    }

    #[test]
    fn builtin_index_names_only_files_for_the_program() {
        let set = RuleSet::for_program("railway");
        assert!(set.rules.iter().all(|r| r.applies_to("railway")));
        assert!(!set.rules.is_empty());
        assert!(RuleSet::for_program("no-such-program").rules.is_empty());
    }
}
