//! The `interlock` command line against the built binary: `check` (contract), `shims`,
//! `doctor`, `rules`, and install.sh.

use std::process::Command;

use crate::common::*;

#[test]
fn check_allows_benign_and_flags_destructive() {
    let s = Sandbox::new();
    let out = s.interlock(&["check", "--", "railway", "status"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "allow\n");

    let out = s.interlock(&["check", "--", "railway", "volume", "delete", "--volume", "pgdata", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    let line = stdout(&out);
    assert!(line.starts_with("confirm: railway.volume.delete (critical): "), "{line}");
    assert_eq!(line.lines().count(), 1);
}

#[test]
fn check_json_contract() {
    let s = Sandbox::new();
    let out = s.interlock(&["check", "--json", "--", "railway", "-e", "production", "volume", "rm", "-v", "pgdata"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["decision"], "confirm");
    let m = &v["matches"][0];
    assert_eq!(m["rule"], "railway.volume.delete");
    assert_eq!(m["severity"], "critical");
    assert!(m["reason"].as_str().expect("reason").contains("production"));

    let out = s.interlock(&["check", "--json", "--", "railway", "logs"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["decision"], "allow");
    assert_eq!(v["matches"], serde_json::json!([]));
}

#[test]
fn check_usage_errors_exit_2() {
    let s = Sandbox::new();
    for args in [&["check"][..], &["check", "--bogus", "--", "x"][..], &["no-such-command"][..]] {
        let out = s.interlock(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn check_never_runs_or_logs() {
    let s = Sandbox::new();
    s.recorder("real", "railway");
    let out = s.interlock(&["check", "--", "railway", "status"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(s.runs(), 0);
    assert!(!s.home().join(".local/state/interlock").exists(), "check wrote state");
}

#[test]
fn check_uses_the_basename_of_a_path() {
    let s = Sandbox::new();
    let out = s.interlock(&["check", "--", "/usr/local/bin/railway", "volume", "delete", "--volume", "x"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn unknown_programs_are_allowed() {
    let s = Sandbox::new();
    let out = s.interlock(&["check", "--", "frobnicate", "--delete-everything"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn shims_install_is_idempotent_and_careful() {
    let s = Sandbox::new();
    let dir = s.path("my-shims");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("railway"), "not ours").expect("write");
    let d = dir.to_str().expect("utf-8");

    let out = s.interlock(&["shims", "install", "--dir", d]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("not created by interlock"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.join("railway")).expect("read"), "not ours");

    std::fs::remove_file(dir.join("railway")).expect("rm");
    let out = s.interlock(&["shims", "install", "--dir", d]);
    assert!(out.status.success());
    let link = std::fs::read_link(dir.join("railway")).expect("a symlink");
    assert_eq!(link, std::fs::canonicalize(BIN).expect("bin"));
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing();
    let out = s.interlock(&["shims", "install", "--dir", d]);
    assert!(stdout(&out).contains("0 created"), "{}", stdout(&out));
    assert_eq!(listing(), before);

    // A stale link of ours (a program no rule names any more) is removed; a foreign one is not.
    std::os::unix::fs::symlink(BIN, dir.join("retired")).expect("symlink");
    std::os::unix::fs::symlink(BIN, dir.join("foreign")).expect("symlink");
    let manifest = dir.join(".interlock-shims");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    text.push_str("retired\n");
    std::fs::write(&manifest, text).expect("write");
    s.interlock(&["shims", "install", "--dir", d]);
    assert!(!dir.join("retired").exists());
    assert!(std::fs::symlink_metadata(dir.join("foreign")).is_ok());

    let out = s.interlock(&["shims", "list", "--dir", d]);
    assert!(stdout(&out).contains("railway"), "{}", stdout(&out));

    let out = s.interlock(&["shims", "remove", "--dir", d]);
    assert!(out.status.success());
    assert!(!dir.join("railway").exists());
    assert!(std::fs::symlink_metadata(dir.join("foreign")).is_ok(), "foreign file removed");
}

#[test]
fn shims_refuse_shared_bin_directories() {
    let s = Sandbox::new();
    let bin = s.home().join(".local/bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let out = s.interlock(&["shims", "install", "--dir", bin.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("every shell uses"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&bin).expect("dir").count(), 0);
}

#[test]
fn default_shims_dir_and_doctor() {
    let s = Sandbox::new();
    let shims = s.home().join(".local/share/interlock/shims");
    let out = s.interlock(&["shims", "install"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(shims.join("railway").exists());

    // Not on PATH: doctor says so and fails.
    let out = s.interlock(&["doctor"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("not on PATH"), "{}", stdout(&out));

    // First on PATH: active.
    s.recorder("real", "railway");
    let path = format!("{}:{}:/usr/bin:/bin", shims.display(), s.path("real").display());
    let out = s.cmd(BIN, &[]).env("PATH", &path).arg("doctor").output().expect("doctor");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // One screen: a summary line for the programs; each one with --verbose.
    assert!(stdout(&out).lines().count() <= 40, "{}", stdout(&out));
    assert!(!stdout(&out).contains("railway      ->"), "{}", stdout(&out));
    let out = s.cmd(BIN, &[]).env("PATH", &path).args(["doctor", "--verbose"]).output().expect("doctor");
    assert!(
        stdout(&out).contains(&format!("railway      -> {}", s.path("real/railway").display())),
        "{}",
        stdout(&out)
    );

    // A real railway before the shims: unguarded.
    let path = format!("{}:{}:/usr/bin:/bin", s.path("real").display(), shims.display());
    let out = s.cmd(BIN, &[]).env("PATH", &path).arg("doctor").output().expect("doctor");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("UNGUARDED"), "{}", stdout(&out));
}

#[test]
fn rules_test_passes_for_builtins_and_reports_bad_files() {
    let s = Sandbox::new();
    let out = s.interlock(&["rules", "test"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("0 problems"));

    let rules_dir = s.home().join(".config/interlock/rules");
    std::fs::create_dir_all(&rules_dir).expect("mkdir");
    std::fs::write(rules_dir.join("mine.toml"), "[[rule]]\nid = \"x\"\nprogram = \"railway\"\npatern = 1\n")
        .expect("write");
    let out = s.interlock(&["rules", "test"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("mine.toml:4:1: unknown field `patern`"), "{}", stdout(&out));
    // the built-in rules still apply
    let out = s.interlock(&["check", "--", "railway", "volume", "delete", "--volume", "x"]);
    assert_eq!(out.status.code(), Some(1));
    // A statement kind no analyzer produces is a mistake, named where it is written.
    std::fs::write(
        rules_dir.join("mine.toml"),
        "[[rule]]\nid = \"x\"\nprogram = \"psql\"\nstatement = [\"dropp\"]\naction = \"confirm\"\nseverity = \"high\"\nreason = \"r\"\nmatch = [\"psql -c 'DROP TABLE t'\"]\nnot_match = [\"psql -c 'SELECT 1'\"]\n",
    )
    .expect("write");
    let out = s.interlock(&["rules", "test"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("mine.toml:4:"), "{}", stdout(&out));
    assert!(stdout(&out).contains("unknown variant `dropp`"), "{}", stdout(&out));
}

/// What users of a CLI expect: completions, a manual page, and a version naming the commit.
#[test]
fn completions_man_page_and_version() {
    let s = Sandbox::new();
    for (shell, marker) in [("bash", "_interlock()"), ("zsh", "#compdef interlock"), ("fish", "complete -c interlock")]
    {
        let out = s.interlock(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(stdout(&out).contains(marker), "{shell}: {}", stdout(&out));
        assert!(stdout(&out).contains("setup"), "{shell}: the subcommands are listed");
    }
    let man = s.interlock(&["man"]);
    assert!(man.status.success());
    assert!(stdout(&man).contains(".TH interlock 1"), "{}", stdout(&man));
    assert!(stdout(&man).contains("check"), "the subcommands are in the page");
    let version = stdout(&s.interlock(&["--version"]));
    assert!(version.starts_with(&format!("interlock {}", env!("CARGO_PKG_VERSION"))), "{version}");
    if std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.git")).exists() {
        assert!(version.contains(" ("), "built in a git checkout, the version names the commit: {version}");
    }
}

/// `rules list` shows what is in force (regression, issue 25: a `disable`-only file appeared
/// nowhere, an unaccepted allow rule looked like any other).
#[test]
fn rules_list_says_what_is_in_force() {
    let s = Sandbox::new();
    let dir = s.home().join(".config/interlock/rules");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("quiet.toml"), "disable = [\"git.push.force\"]\n").expect("write");
    std::fs::write(
        dir.join("allow.toml"),
        "[[rule]]\nid = \"me.allow\"\nprogram = \"railway\"\ncommand = [\"down\"]\naction = \"allow\"\nseverity = \"low\"\nreason = \"r\"\nmatch = [\"railway down\"]\nnot_match = [\"railway up\"]\n",
    )
    .expect("write");
    let out = s.interlock(&["rules", "list"]);
    let text = stdout(&out);
    assert!(text.lines().any(|l| l.starts_with("git.push.force") && l.contains("in force")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("me.allow") && l.contains("ignored")), "{text}");
    assert!(text.contains("pending:") && text.contains("disable git.push.force"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&s.interlock(&["rules", "list", "--json"]))).expect("json");
    assert_eq!(json["schema"], 1);
    assert!(json["pending"].as_array().expect("pending").iter().any(|p| p["disable"][0] == "git.push.force"));
}

/// Project rules (`.interlock/rules/` up to the repository root) add protection in that
/// project and nowhere else; a project cannot loosen: its `disable` and allow rules change
/// nothing, and it cannot redefine how a program interlock knows is read.
#[test]
fn project_rules_only_add_protection() {
    let s = Sandbox::new();
    let repo = s.path("work/shop");
    let sub = repo.join("deploy");
    std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
    std::fs::create_dir_all(repo.join(".interlock/rules")).expect("mkdir");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::write(
        repo.join(".interlock/rules/team.toml"),
        r#"
disable = ["git.push.force"]

[[program]]
name = "git"
options = [{ long = "force", value = true }]

[[rule]]
id = "shop.deploy-prod"
program = "make"
command = ["deploy-prod"]
action = "confirm"
severity = "high"
reason = "deploys to production"
match = ["make deploy-prod"]
not_match = ["make test"]

[[rule]]
id = "shop.allow-reset"
program = "git"
command = ["reset"]
action = "allow"
severity = "low"
reason = "we reset freely"
match = ["git reset --hard"]
not_match = ["git status"]
"#,
    )
    .expect("write");
    let check = |dir: &std::path::Path, words: &[&str]| {
        let out = s.cmd(BIN, &["shims", "real"]).current_dir(dir).arg("check").arg("--").args(words).output();
        stdout(&out.expect("check")).trim().to_string()
    };
    // In force in the project, from a subdirectory too; not elsewhere.
    assert!(check(&repo, &["make", "deploy-prod"]).starts_with("confirm: shop.deploy-prod"));
    assert!(check(&sub, &["make", "deploy-prod"]).starts_with("confirm: shop.deploy-prod"));
    assert_eq!(check(&s.path("work"), &["make", "deploy-prod"]), "allow");
    // Nothing loosened: the built-in rules still ask, and git is read as before.
    assert!(check(&repo, &["git", "push", "--force", "origin", "main"]).starts_with("confirm: git.push.force"));
    assert!(
        check(&repo, &["git", "reset", "--hard"]).starts_with("confirm:"),
        "{}",
        check(&repo, &["git", "reset", "--hard"])
    );
    let list = s.cmd(BIN, &["shims", "real"]).current_dir(&repo).args(["rules", "list"]).output().expect("list");
    assert!(
        stdout(&list).lines().any(|l| l.starts_with("shop.allow-reset") && l.contains("ignored")),
        "{}",
        stdout(&list)
    );
    assert!(stdout(&list).lines().any(|l| l.starts_with("shop.deploy-prod") && l.contains("project")));
    assert!(stderr(&list).contains("`disable` ignored"), "{}", stderr(&list));
    // The hook judges with the rules of the directory the event names.
    let out = hook(&s, "claude", &claude_event_in("make deploy-prod", &sub));
    assert_eq!(claude_decision(&out), "ask", "{}", stdout(&out));
    let out = hook(&s, "claude", &claude_event_in("make deploy-prod", &s.path("work")));
    assert!(out.stdout.is_empty(), "no objection outside the project: {}", stdout(&out));
}

#[test]
fn explain_json_has_a_schema_and_says_why() {
    let s = Sandbox::new();
    let out = s.interlock(&["explain", "--json", "--", "railway", "-e", "production", "volume", "rm", "-v", "pg"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON object");
    assert_eq!(v["schema"], 1);
    assert_eq!(v["decision"], "confirm");
    assert_eq!(v["matches"][0]["rule"], "railway.volume.delete");
    assert_eq!(v["facts"]["targets"][0], "production");
    assert!(v["options"].as_array().expect("options").iter().any(|o| o["option"] == "-e"), "{v}");
}

#[test]
fn user_rules_add_protection() {
    let s = Sandbox::new();
    let rules_dir = s.home().join(".config/interlock/rules");
    std::fs::create_dir_all(&rules_dir).expect("mkdir");
    std::fs::write(
        rules_dir.join("deploy.toml"),
        r#"
[[rule]]
id = "me.railway.redeploy"
program = "railway"
command = ["redeploy"]
action = "deny"
severity = "medium"
reason = "we never redeploy by hand"
match = ["railway redeploy"]
not_match = ["railway up"]
"#,
    )
    .expect("write");
    let out = s.interlock(&["check", "--", "railway", "redeploy", "-y"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("deny: me.railway.redeploy"), "{}", stdout(&out));
    let out = s.interlock(&["rules", "test"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

/// A user's `[[program]]` table for an in-house wrapper is a built-in's equal: `rules test`
/// checks its `reads`, `check`, the hook and the shim follow what it runs, and `shims install`
/// puts a shim in front of it (the README's example, verbatim).
#[test]
fn a_user_wrapper_table_is_followed_every_way_in() {
    let s = Sandbox::new();
    let rules_dir = s.home().join(".config/interlock/rules");
    std::fs::create_dir_all(&rules_dir).expect("mkdir");
    std::fs::write(
        rules_dir.join("vault.toml"),
        r#"
[[program]]
name = "with-vault"                      # with-vault --role prod -- psql -c '…'
options = [{ long = "role", value = true, meaning = "the Vault role whose secrets it exports" }]
runs = [{ after = "--", note = "runs with the Vault role's secrets in its environment" }]
shim = true
reads = [{ args = "--role prod -- dropdb shop", runs = "dropdb shop" }]
"#,
    )
    .expect("write");
    let out = s.interlock(&["rules", "test"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let out = s.interlock(&["check", "--", "with-vault", "--role", "prod", "--", "dropdb", "shop"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("confirm: postgres.dropdb"), "{}", stdout(&out));
    let out = s.interlock(&["check", "--", "with-vault", "--role", "prod", "--", "ls"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = hook(&s, "claude", &claude_event_in("with-vault --role prod -- dropdb shop", &s.path("work")));
    assert_eq!(claude_decision(&out), "ask");
    // The shim: installed for the table, and blocking what the wrapper runs.
    let out = s.interlock(&["shims", "install", "--dir", &s.path("shims").display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(s.path("shims/with-vault").exists(), "no shim for the user's wrapper");
    s.recorder("real", "with-vault");
    let out =
        s.cmd(s.path("shims/with-vault"), &["shims", "real"]).args(["--role", "prod", "--", "dropdb", "shop"]).output();
    let out = out.expect("run the shim");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert_eq!(s.runs(), 0, "the wrapper ran");
    let out = s.cmd(s.path("shims/with-vault"), &["shims", "real"]).args(["--role", "prod", "--", "ls"]).output();
    assert_eq!(out.expect("run the shim").status.code(), Some(0));
    assert_eq!(s.runs(), 1);
}

#[test]
fn install_sh_twice_then_uninstall() {
    let s = Sandbox::new();
    let repo = env!("CARGO_MANIFEST_DIR");
    let bin_dir = s.path("bin");
    let run = |arg: Option<&str>| {
        let mut c = Command::new("sh");
        c.arg(format!("{repo}/install.sh"))
            .args(arg)
            .env("HOME", s.home())
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .env_remove("XDG_BIN_HOME")
            .env("INTERLOCK_INSTALL_DIR", &bin_dir)
            .env("INTERLOCK_PREBUILT", prebuilt());
        c.output().expect("install.sh")
    };
    let data = s.home().join(".local/share/interlock");
    for _ in 0..2 {
        let out = run(None);
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        assert!(stdout(&out).contains("activate.sh"), "{}", stdout(&out));
        // A fresh HOME's bin directory is not on PATH: the installer says so, and how to fix it.
        assert!(stdout(&out).contains(&format!("{} is not on your PATH", bin_dir.display())), "{}", stdout(&out));
        assert!(bin_dir.join("interlock").is_file());
        assert!(data.join("shims/railway").exists());
        assert!(data.join("libinterlock_guard.so").is_file());
        assert!(data.join("guard.table").is_file());
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            ". {}/activate.sh; . {}/activate.sh; echo \"$PATH\"; echo \"$LD_PRELOAD\"",
            data.display(),
            data.display()
        ))
        .env("HOME", s.home())
        .env_remove("XDG_DATA_HOME")
        .env("PATH", "/usr/bin:/bin")
        .env("LD_PRELOAD", "")
        .output()
        .expect("sh");
    // Activation puts the shims first and the exec guard in LD_PRELOAD, once each.
    let expected =
        format!("{}:/usr/bin:/bin\n{}\n", data.join("shims").display(), data.join("libinterlock_guard.so").display());
    assert_eq!(stdout(&out), expected);

    // An agent wired by the installed binary: its settings file, as the user had it before.
    let claude = s.home().join(".claude/settings.json");
    std::fs::create_dir_all(claude.parent().expect("dir")).expect("mkdir");
    let mine = "{\n  \"model\": \"opus\",\n    \"env\": { \"FOO\": \"1\" }\n}\n";
    std::fs::write(&claude, mine).expect("write");
    let installed = |args: &[&str]| {
        Command::new(bin_dir.join("interlock"))
            .args(args)
            .env("HOME", s.home())
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .output()
            .expect("interlock")
    };
    assert!(installed(&["setup", "claude"]).status.success());
    assert!(installed(&["setup", "codex"]).status.success());
    assert!(std::fs::read_to_string(&claude).expect("read").contains("interlock"));

    let out = run(Some("--uninstall"));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    // Regression (issue 25): uninstall left the agent running a deleted hook binary.
    assert_eq!(std::fs::read_to_string(&claude).expect("read"), mine, "claude's settings not restored");
    assert!(!claude.with_file_name("settings.json.interlock-backup").exists());
    for created in [".codex/hooks.json", ".codex/config.toml", ".gemini/settings.json", ".cursor/hooks.json"] {
        assert!(!s.home().join(created).exists(), "left {created} behind");
    }
    assert!(!bin_dir.join("interlock").exists());
    assert!(!data.exists(), "left behind: {:?}", std::fs::read_dir(&data).map(|d| d.count()));
    assert!(bin_dir.exists(), "removed a directory it did not create");
}

#[test]
fn user_rule_cache_follows_edits_and_cannot_loosen() {
    let s = Sandbox::new();
    let dir = s.home().join(".config/interlock/rules");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let rule = |cmd: &str| {
        format!(
            "[[rule]]\nid = \"me.{cmd}\"\nprogram = \"mytool\"\ncommand = [\"{cmd}\"]\naction = \"confirm\"\nseverity = \"medium\"\nreason = \"r\"\nmatch = [\"mytool {cmd}\"]\nnot_match = [\"mytool list\"]\n"
        )
    };
    std::fs::write(dir.join("a.toml"), rule("purge")).expect("write");
    std::fs::write(dir.join("b.toml"), rule("wipe")).expect("write");
    let code = |args: &[&str]| s.cmd("mytool", &["shims", "real"]).args(args).output().expect("run").status.code();
    s.shim("mytool");
    s.script("real", "mytool", "#!/bin/sh\nexit 0\n");
    for _ in 0..2 {
        assert_eq!(code(&["purge"]), Some(77));
        assert_eq!(code(&["wipe"]), Some(77));
        assert_eq!(code(&["list"]), Some(0));
    }
    let cache = s.home().join(".local/state/interlock/rule-cache");
    assert!(cache.exists(), "the cache was written");
    // An edit is seen at once.
    std::fs::write(dir.join("a.toml"), rule("erase")).expect("write");
    assert_eq!(code(&["purge"]), Some(0));
    assert_eq!(code(&["erase"]), Some(77));
    // A tampered cache is not used: the rule files are parsed again.
    for entry in walk_files(&cache) {
        if entry.file_name().is_some_and(|n| n == "mytool.json") {
            let text = std::fs::read_to_string(&entry).expect("read").replace("\"confirm\"", "\"allow\"");
            std::fs::write(&entry, text).expect("write");
        }
    }
    assert_eq!(code(&["erase"]), Some(77), "an edited cache stood in for the rule files");
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk_files(&p)) } else { out.push(p) }
    }
    out
}

/// A user's `[[program]]` table: option rows (read the same from the file and from the
/// per-program cache), their meanings in `explain`, and `reads` checked by `rules test`.
#[test]
fn user_program_tables_take_option_rows() {
    let s = Sandbox::new();
    let rules_dir = s.home().join(".config/interlock/rules");
    std::fs::create_dir_all(&rules_dir).expect("mkdir");
    let table = |expected: &str| {
        format!(
            r#"
[[program]]
name = "acme"
options = [
  {{ short = "e", long = "env", role = "target", meaning = "the environment acme acts on" }},
  {{ short = "c", long = "config", value = true }},
]
reads = [{{ args = "-c acme.toml --env prod db drop main", command = "{expected}", targets = ["prod"] }}]

[[rule]]
id = "me.acme.db-drop"
program = "acme"
command = ["db", "drop"]
action = "confirm"
severity = "high"
reason = "drops an acme database"
match = ["acme -c x.toml db drop main", "acme --env=prod db drop main"]
not_match = ["acme db list", "acme -c db drop"]
"#
        )
    };
    std::fs::write(rules_dir.join("acme.toml"), table("db drop main")).expect("write");
    let out = s.interlock(&["rules", "test"]);
    assert!(out.status.success(), "{}", stdout(&out));
    for _ in 0..2 {
        // The second run reads the per-program cache the first one wrote.
        let out =
            s.interlock(&["check", "--json", "--", "acme", "-c", "acme.toml", "-e", "prod", "db", "drop", "main"]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["matches"][0]["rule"], "me.acme.db-drop");
    }
    let out = s.interlock(&["explain", "--", "acme", "--env", "prod", "db", "drop", "x"]);
    assert!(stdout(&out).contains("option:   --env: the environment acme acts on"), "{}", stdout(&out));

    std::fs::write(rules_dir.join("acme.toml"), table("db drop")).expect("write");
    let out = s.interlock(&["rules", "test"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("[[program]] acme: reads the command as `db drop main`, not `db drop`"),
        "{}",
        stdout(&out)
    );

    std::fs::write(rules_dir.join("acme.toml"), "[[program]]\nname = \"acme\"\noptions = [{ long = \"--env\" }]\n")
        .expect("write");
    let out = s.interlock(&["rules", "test"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("acme.toml:3:"), "{}", stdout(&out));
    assert!(stdout(&out).contains("without dashes"), "{}", stdout(&out));
}

/// A loopback port whose listener is a tunnel program (here a process named `kubectl`) is
/// remote at run time: a DELETE to it asks. The same request to a port a dev server listens
/// on passes.
#[cfg(target_os = "linux")]
#[test]
fn a_loopback_port_held_by_a_tunnel_is_remote() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("tempdir");
    let listen = |name: &str| {
        let bin = dir.path().join(name);
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/listener.c");
        let status = Command::new("cc").arg("-O2").arg("-o").arg(&bin).arg(&src).status().expect("cc");
        assert!(status.success());
        let mut child = Command::new(&bin).stdout(std::process::Stdio::piped()).spawn().expect("listener");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("port");
        (child, line.trim().to_string())
    };
    let check = |port: &str| {
        let url = format!("http://127.0.0.1:{port}/v1/items/1");
        let out = Command::new(BIN).args(["check", "--", "curl", "-X", "DELETE", &url]).output().expect("check");
        stdout(&out)
    };
    let (mut tunnel, port) = listen("kubectl");
    let verdict = check(&port);
    tunnel.kill().ok();
    tunnel.wait().ok();
    assert!(verdict.starts_with("confirm: http.delete.remote"), "{verdict}");
    let (mut dev, port) = listen("devserver");
    let verdict = check(&port);
    dev.kill().ok();
    dev.wait().ok();
    assert!(verdict.starts_with("allow"), "{verdict}");
}
