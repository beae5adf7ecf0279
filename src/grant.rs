//! One confirmation, not two: the hand-off from an agent's own approval dialog to the shim.
//!
//! When Claude Code's hook answers `ask`, Claude Code shows its dialog; if the human says Yes,
//! the command runs and would reach the shim, which has no terminal there and would block it
//! again. So the hook issues a *grant* with its `ask`: a random token, handed to the command
//! through `updatedInput` (`export INTERLOCK_GRANT=<token>; <command>`), which Claude Code runs
//! only after the human's Yes. The shim honours the token for exactly the calls the hook
//! judged — each bound argv in that cwd, once — within `LIFETIME_SECS`.
//!
//! What an agent cannot do with it: the token is never stored, only its keyed MAC (the file
//! name) and the keyed fingerprints of the bound calls, so a grant cannot be listed or read
//! back from the state directory into a new call; a token names only the calls the human saw
//! in the dialog, runs each once, and expires. What it can: read the token back from its
//! session transcript (Claude Code stores the hook's answer there) and, within the lifetime,
//! run one of those same calls that the Yes did not spend. The README's threat analysis says
//! more. A grant is never issued when no human can answer (Claude Code's `-p` mode).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::approval::Store;

/// The environment variable that carries a grant to the shim.
pub(crate) const VAR: &str = "INTERLOCK_GRANT";
/// How long a grant waits for the human's answer and the run.
pub(crate) const LIFETIME_SECS: u64 = 900;

#[derive(Debug, Serialize, Deserialize)]
struct Grant {
    created: u64,
    /// Keyed fingerprints of the calls it covers, one entry per allowed run.
    calls: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Sealed {
    grant: Grant,
    mac: String,
}

fn path(store: &Store, token: &str) -> std::io::Result<PathBuf> {
    let name = store.mac(format!("grant\0{token}").as_bytes());
    Ok(store.sibling_dir("grants")?.join(format!("{name}.json")))
}

fn seal(store: &Store, grant: Grant) -> std::io::Result<Vec<u8>> {
    let body = serde_json::to_vec(&grant).map_err(std::io::Error::other)?;
    let mac = store.mac(&body);
    serde_json::to_vec(&Sealed { grant, mac }).map_err(std::io::Error::other)
}

fn unseal(store: &Store, bytes: &[u8]) -> Option<Grant> {
    let sealed: Sealed = serde_json::from_slice(bytes).ok()?;
    let body = serde_json::to_vec(&sealed.grant).ok()?;
    (store.mac(&body) == sealed.mac).then_some(sealed.grant)
}

/// Issue a grant for `calls` (each an argv run in `cwd`); the token to hand over.
pub(crate) fn issue(store: &Store, calls: &[Vec<OsString>], cwd: &Path) -> std::io::Result<String> {
    let token = crate::state::hex(&crate::state::random_bytes(16)?);
    let grant =
        Grant { created: crate::state::now(), calls: calls.iter().map(|argv| store.fingerprint(argv, cwd)).collect() };
    crate::state::write_private(&path(store, &token)?, &seal(store, grant)?)?;
    sweep(store);
    Ok(token)
}

/// Spend one run of the call (`argv` in `cwd`) from the grant `token`, if it covers it.
pub(crate) fn redeem(store: &Store, token: &str, argv: &[OsString], cwd: &Path) -> bool {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let Ok(file) = path(store, token) else { return false };
    // Claim the file by renaming it: of two processes racing for the same grant, one wins.
    let claimed = file.with_extension(format!("claim{}", std::process::id()));
    if std::fs::rename(&file, &claimed).is_err() {
        return false;
    }
    let grant = std::fs::read(&claimed).ok().and_then(|b| unseal(store, &b));
    let _ = std::fs::remove_file(&claimed);
    let Some(mut grant) = grant else { return false };
    if grant.created + LIFETIME_SECS < crate::state::now() {
        return false;
    }
    let fingerprint = store.fingerprint(argv, cwd);
    let Some(i) = grant.calls.iter().position(|c| *c == fingerprint) else {
        // Not this call: put the grant back for the calls it does cover.
        let _ = seal(store, grant).and_then(|b| crate::state::write_private(&file, &b));
        return false;
    };
    grant.calls.remove(i);
    if !grant.calls.is_empty() {
        let _ = seal(store, grant).and_then(|b| crate::state::write_private(&file, &b));
    }
    true
}

/// Remove expired grants.
fn sweep(store: &Store) {
    let Ok(dir) = store.sibling_dir("grants") else { return };
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let t = crate::state::now();
    for e in entries.filter_map(Result::ok) {
        let stale =
            std::fs::read(e.path()).ok().and_then(|b| unseal(store, &b)).is_none_or(|g| g.created + LIFETIME_SECS < t);
        if stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_grant_runs_each_bound_call_once_and_nothing_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in(dir.path()).expect("store");
        let drop_a = argv(&["psql", "-c", "DROP TABLE a"]);
        let drop_b = argv(&["psql", "-c", "DROP TABLE b"]);
        let cwd = Path::new("/srv/app");
        let token = issue(&store, &[drop_a.clone(), drop_b.clone()], cwd).expect("issue");
        assert!(!redeem(&store, &token, &argv(&["psql", "-c", "DROP TABLE c"]), cwd), "an unbound call");
        assert!(!redeem(&store, &token, &drop_a, Path::new("/elsewhere")), "another directory");
        assert!(!redeem(&store, &"0".repeat(32), &drop_a, cwd), "a made-up token");
        assert!(redeem(&store, &token, &drop_a, cwd));
        assert!(!redeem(&store, &token, &drop_a, cwd), "spent");
        assert!(redeem(&store, &token, &drop_b, cwd));
        assert!(!redeem(&store, &token, &drop_b, cwd), "spent");
        // The state directory never holds the token itself.
        let grants = store.sibling_dir("grants").expect("dir");
        for e in std::fs::read_dir(grants).expect("read").filter_map(Result::ok) {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            assert!(!text.contains(&token) && !e.file_name().to_string_lossy().contains(&token));
        }
    }

    #[test]
    fn an_edited_or_expired_grant_is_worthless() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_in(dir.path()).expect("store");
        let call = argv(&["railway", "volume", "delete"]);
        let cwd = Path::new("/w");
        let token = issue(&store, std::slice::from_ref(&call), cwd).expect("issue");
        let file = path(&store, &token).expect("path");
        let text = std::fs::read_to_string(&file).expect("read");
        let old = text.replacen("\"created\":", "\"created\":1", 1);
        std::fs::write(&file, old).expect("write");
        assert!(!redeem(&store, &token, &call, cwd), "tampered");
        let token = issue(&store, std::slice::from_ref(&call), cwd).expect("issue");
        let file = path(&store, &token).expect("path");
        let expired =
            Grant { created: crate::state::now() - LIFETIME_SECS - 1, calls: vec![store.fingerprint(&call, cwd)] };
        std::fs::write(&file, seal(&store, expired).expect("seal")).expect("write");
        assert!(!redeem(&store, &token, &call, cwd), "expired");
    }
}
