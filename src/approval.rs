//! One-time approvals a human gives with `interlock approve CODE`, and an agent cannot.
//!
//! A blocked call gets a short code. The request is stored in the state directory (mode
//! 0600) sealed with an HMAC whose key lives beside it, so an edited file is rejected. The
//! call itself is stored only as a keyed fingerprint of its exact argv bytes and cwd — never
//! the raw arguments, which may carry secrets — plus the redacted command line for display.
//! An approval grants one run of exactly that argv in that directory within ten minutes;
//! taking it removes the file, so it is spent even if two processes race for it.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::state::{Keyed, now, private_dir, random_bytes, write_private};

/// How long an approval stays valid after the human gives it.
pub(crate) const APPROVAL_WINDOW_SECS: u64 = 600;
/// How long a request waits for a human before it is dropped.
pub(crate) const REQUEST_LIFETIME_SECS: u64 = 24 * 3600;
/// Code letters: no 0/O, 1/I/L look-alikes.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A request waiting for (or holding) a human's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Request {
    pub code: String,
    /// HMAC of the exact argv bytes and cwd.
    pub fingerprint: String,
    pub program: String,
    /// Redacted and escaped, for display only.
    pub command: String,
    pub cwd: String,
    pub reasons: Vec<String>,
    pub what: Option<String>,
    /// What the human must type to approve.
    pub confirm_word: String,
    pub created: u64,
    pub approved_until: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Sealed {
    request: Request,
    mac: String,
}

/// Why an approval could not be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApprovalError {
    #[error("no state directory (no home directory?)")]
    NoStateDir,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("no pending request with code {0} (it may have expired, been used, or never existed)")]
    Unknown(String),
    #[error("the request {0} has been tampered with; it was not approved")]
    Tampered(String),
    #[error("the request {0} has expired; run the command again to get a new code")]
    Expired(String),
}

/// The pending and approved requests, sealed with the state directory's key.
pub(crate) struct Store {
    dir: PathBuf,
    keyed: Keyed,
}

/// The key's operations (`mac`, `fingerprint`, accepted rule digests) on an approval store.
impl std::ops::Deref for Store {
    type Target = Keyed;
    fn deref(&self) -> &Keyed {
        &self.keyed
    }
}

/// Normalise a code as a human may type it: case, dashes and spaces do not matter.
pub(crate) fn normalize(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

impl Store {
    /// The store in the state directory, creating it and its key on first use.
    pub(crate) fn open() -> Result<Store, ApprovalError> {
        let state = crate::paths::state_dir().ok_or(ApprovalError::NoStateDir)?;
        Store::open_in(&state)
    }

    pub(crate) fn open_in(state: &Path) -> Result<Store, ApprovalError> {
        let keyed = Keyed::open_in(state)?;
        let dir = state.join("approvals");
        private_dir(&dir)?;
        Ok(Store { dir, keyed })
    }

    fn path(&self, code: &str) -> PathBuf {
        self.dir.join(format!("{code}.json"))
    }

    fn save(&self, request: &Request) -> Result<(), ApprovalError> {
        let body = serde_json::to_vec(request).map_err(|e| std::io::Error::other(e.to_string()))?;
        let sealed = Sealed { request: request.clone(), mac: self.mac(&body) };
        let bytes = serde_json::to_vec_pretty(&sealed).map_err(|e| std::io::Error::other(e.to_string()))?;
        write_private(&self.path(&request.code), &bytes)?;
        Ok(())
    }

    fn read(&self, path: &Path) -> Result<Request, ApprovalError> {
        let code = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = fs::read(path).map_err(|_| ApprovalError::Unknown(code.clone()))?;
        let sealed: Sealed = serde_json::from_slice(&bytes).map_err(|_| ApprovalError::Tampered(code.clone()))?;
        let body = serde_json::to_vec(&sealed.request).map_err(|e| std::io::Error::other(e.to_string()))?;
        if self.mac(&body) != sealed.mac || sealed.request.code != code {
            return Err(ApprovalError::Tampered(code));
        }
        Ok(sealed.request)
    }

    fn all(&self) -> Vec<(PathBuf, Result<Request, ApprovalError>)> {
        let Ok(entries) = fs::read_dir(&self.dir) else { return Vec::new() };
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| {
                let r = self.read(&p);
                (p, r)
            })
            .collect()
    }

    /// A code for this blocked call: the pending one for the same call, or a new one.
    pub(crate) fn request(&self, mut request: Request) -> Result<String, ApprovalError> {
        let t = now();
        for (path, r) in self.all() {
            match r {
                Ok(old) if old.created + REQUEST_LIFETIME_SECS < t => {
                    let _ = fs::remove_file(path);
                }
                Ok(old) if old.fingerprint == request.fingerprint && old.approved_until.is_none() => {
                    return Ok(old.code);
                }
                _ => {}
            }
        }
        let random = random_bytes(8)?;
        request.code = random.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
        request.created = t;
        request.approved_until = None;
        self.save(&request)?;
        Ok(request.code)
    }

    /// The request behind `code`, verified.
    pub(crate) fn load(&self, code: &str) -> Result<Request, ApprovalError> {
        let code = normalize(code);
        if code.is_empty() {
            return Err(ApprovalError::Unknown(code));
        }
        let r = self.read(&self.path(&code))?;
        if r.created + REQUEST_LIFETIME_SECS < now() {
            return Err(ApprovalError::Expired(code));
        }
        Ok(r)
    }

    /// Record the human's approval: one run within the window.
    pub(crate) fn approve(&self, mut request: Request) -> Result<u64, ApprovalError> {
        let until = now() + APPROVAL_WINDOW_SECS;
        request.approved_until = Some(until);
        self.save(&request)?;
        Ok(until)
    }

    /// Take (and spend) an approval for the call with `fingerprint`, if one is in force.
    pub(crate) fn take(&self, fingerprint: &str) -> Option<Request> {
        let t = now();
        for (path, r) in self.all() {
            let Ok(req) = r else { continue };
            if req.fingerprint != fingerprint || req.approved_until.is_none_or(|u| u < t) {
                continue;
            }
            // Renaming is atomic: only one process can spend it.
            let spent = path.with_extension(format!("spent{}", std::process::id()));
            if fs::rename(&path, &spent).is_ok() {
                let _ = fs::remove_file(&spent);
                return Some(req);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(store: &Store, argv: &[&str]) -> Request {
        let argv: Vec<std::ffi::OsString> = argv.iter().map(Into::into).collect();
        Request {
            code: String::new(),
            fingerprint: store.fingerprint(&argv, Path::new("/w")),
            program: "psql".into(),
            command: "psql -c 'DROP TABLE x'".into(),
            cwd: "/w".into(),
            reasons: vec!["sql.drop".into()],
            what: None,
            confirm_word: "yes".into(),
            created: 0,
            approved_until: None,
        }
    }

    #[test]
    fn one_run_then_spent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let req = sample(&store, &["psql", "-c", "DROP TABLE x"]);
        let fp = req.fingerprint.clone();
        let code = store.request(req.clone()).unwrap();
        assert_eq!(code.len(), 8);
        assert_eq!(store.request(req).unwrap(), code, "the same call reuses its code");
        assert!(store.take(&fp).is_none(), "not approved yet");
        let loaded = store.load(&code.to_lowercase()).unwrap();
        store.approve(loaded).unwrap();
        assert!(store.take(&sample(&store, &["psql", "-c", "DROP TABLE y"]).fingerprint).is_none());
        assert!(store.take(&fp).is_some());
        assert!(store.take(&fp).is_none(), "spent");
    }

    #[test]
    fn tampering_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let code = store.request(sample(&store, &["psql"])).unwrap();
        let path = dir.path().join("approvals").join(format!("{code}.json"));
        let text = fs::read_to_string(&path).unwrap().replace("\"psql\"", "\"curl\"");
        fs::write(&path, text).unwrap();
        assert!(matches!(store.load(&code), Err(ApprovalError::Tampered(_))));
        use std::os::unix::fs::PermissionsExt;
        let key_mode = fs::metadata(dir.path().join("approval.key")).unwrap().permissions().mode() & 0o777;
        assert_eq!(key_mode, 0o600);
    }

    #[test]
    fn fingerprints_are_exact() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let a = store.fingerprint(&["a b".into()], Path::new("/x"));
        let b = store.fingerprint(&["a".into(), "b".into()], Path::new("/x"));
        let c = store.fingerprint(&["a b".into()], Path::new("/y"));
        assert!(a != b && a != c);
    }
}
