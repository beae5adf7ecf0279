//! The state directory's private files: mode-0700 directories, atomically written 0600
//! files, and the HMAC key beside them that seals what interlock keeps there (approvals,
//! grants, the accepted-rules list, the rule cache). The rule layer and the approval layer
//! both build on this module; neither depends on the other for it.
//!
//! Invariants: the key is created once (a racing process's key wins), is at least 32 bytes,
//! and a reader that finds none gets none — `Keyed::existing` never creates anything.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Why the state directory could not be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StateError {
    #[error("no state directory (no home directory?)")]
    NoStateDir,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The state directory with its HMAC key.
pub(crate) struct Keyed {
    state: PathBuf,
    key: Vec<u8>,
}

pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Create a directory (and parents) readable only by the user.
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Write `bytes` to `path` atomically with mode 0600.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)
}

pub(crate) fn random_bytes(n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf)
}

impl Keyed {
    /// The key in the state directory, created on first use.
    pub(crate) fn open() -> Result<Keyed, StateError> {
        let state = crate::paths::state_dir().ok_or(StateError::NoStateDir)?;
        Ok(Keyed::open_in(&state)?)
    }

    /// The key if it already exists; never creates anything (for readers such as `check`).
    pub(crate) fn existing() -> Option<Keyed> {
        let state = crate::paths::state_dir()?;
        let key = fs::read(state.join("approval.key")).ok().filter(|k| k.len() >= 32)?;
        Some(Keyed { state, key })
    }

    pub(crate) fn open_in(state: &Path) -> std::io::Result<Keyed> {
        private_dir(state)?;
        let key_path = state.join("approval.key");
        let key = match fs::read(&key_path) {
            Ok(k) if k.len() >= 32 => k,
            _ => {
                let k = random_bytes(32)?;
                // create_new: if another process wins the race, use its key.
                match OpenOptions::new().write(true).create_new(true).mode(0o600).open(&key_path) {
                    Ok(mut f) => {
                        f.write_all(&k)?;
                        k
                    }
                    Err(_) => fs::read(&key_path)?,
                }
            }
        };
        Ok(Keyed { state: state.to_path_buf(), key })
    }

    /// A directory in the state directory (created, 0700).
    pub(crate) fn sibling_dir(&self, name: &str) -> std::io::Result<PathBuf> {
        let d = self.state.join(name);
        private_dir(&d)?;
        Ok(d)
    }

    /// HMAC-SHA256 of `data` with the key, hex.
    pub(crate) fn mac(&self, data: &[u8]) -> String {
        // HMAC accepts keys of any length; this cannot fail.
        #[allow(clippy::expect_used)]
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(data);
        hex(&mac.finalize().into_bytes())
    }

    /// The fingerprint of a call: its exact argv bytes and cwd.
    pub(crate) fn fingerprint(&self, argv: &[std::ffi::OsString], cwd: &Path) -> String {
        let mut data = Vec::new();
        for a in argv {
            data.extend_from_slice(&(a.len() as u64).to_le_bytes());
            data.extend_from_slice(a.as_bytes());
        }
        data.extend_from_slice(b"\0cwd\0");
        data.extend_from_slice(cwd.as_os_str().as_bytes());
        self.mac(&data)
    }
}

/// Digests of loosening rule files a human accepted, sealed like the requests.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Accepted {
    digests: Vec<String>,
    mac: String,
}

impl Keyed {
    fn accepted_path(&self) -> PathBuf {
        self.state.join("accepted-rules.json")
    }

    /// The rule-file digests a human accepted (an edited list counts as none).
    pub(crate) fn accepted_digests(&self) -> Vec<String> {
        let Ok(bytes) = fs::read(self.accepted_path()) else { return Vec::new() };
        let Ok(acc) = serde_json::from_slice::<Accepted>(&bytes) else { return Vec::new() };
        if self.mac(acc.digests.join("\n").as_bytes()) != acc.mac {
            return Vec::new();
        }
        acc.digests
    }

    /// Record that a human accepted a rule file with this digest.
    pub(crate) fn accept_digest(&self, digest: &str) -> std::io::Result<()> {
        let mut digests = self.accepted_digests();
        if !digests.iter().any(|d| d == digest) {
            digests.push(digest.to_string());
        }
        let mac = self.mac(digests.join("\n").as_bytes());
        let bytes =
            serde_json::to_vec_pretty(&Accepted { digests, mac }).map_err(|e| std::io::Error::other(e.to_string()))?;
        write_private(&self.accepted_path(), &bytes)?;
        Ok(())
    }
}

/// SHA-256 of a rule file's text, hex.
pub(crate) fn digest(text: &str) -> String {
    use sha2::Digest;
    hex(&Sha256::digest(text.as_bytes()))
}
