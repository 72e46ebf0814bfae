//! The tamper-evident audit trail (docs/audit.md).
//!
//! Every audit entry is chained: it carries a contiguous sequence number `seq`, the hash of the
//! entry before it (`prev_hash`, 64 zeros for the first) and its own `hash`, the SHA-256 of its
//! canonical form, the compact JSON array
//! `[seq, at, actor_id, actor_name, action, entity_type, entity_id, detail, prev_hash]`.
//! A write transaction queues its audit records and chains them just before it commits: it
//! locks the one-row chain head (`audit_head`), inserts the entries and moves the head. So
//! concurrent transactions chain one after another, the head is held only for the insert and
//! the commit, and a transaction that rolls back takes its sequence numbers with it.
//!
//! A hash chain shows a change only to someone holding a later hash that was kept elsewhere:
//! whoever can write the database can also recompute every hash after the entry they changed.
//! Checkpoints close that gap. A checkpoint is an Ed25519 signature over the head
//! (seq, hash, at, key id) by a key kept outside the database, and verification trusts only
//! the keys it is given, never the public key stored next to a checkpoint.
//!
//! [`ChainVerifier`] checks a stream of entries in seq order (from the database or from an
//! export file), names the first entry that was altered, inserted or removed, and then checks
//! the checkpoints against the hashes it saw.

use crate::{AuditRecord, Error, Result, Store, ts};
use base64::Engine;
use citygov_domain::{LocalTime, Problem};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::BTreeMap;

/// `prev_hash` of the first entry, and the hash of the empty chain (seq 0).
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The first element of a checkpoint's signed message: a signature over a checkpoint cannot
/// be taken for a signature over anything else.
pub const CHECKPOINT_CONTEXT: &str = "citygov-audit-checkpoint/1";
/// The `format` of an export document.
pub const EXPORT_FORMAT: &str = "citygov-audit-export/1";

/// Entries chained per statement when writing and when chaining old rows.
const CHUNK: usize = 1000;

/// The hash of one entry: SHA-256 (hex) of the compact JSON array of its fields and the hash of
/// the entry before it. `detail` is hashed as the JSON text it is stored as.
pub fn entry_hash(
    seq: i64,
    at: &str,
    actor_id: Option<&str>,
    actor_name: &str,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let canonical = serde_json::to_vec(&(
        seq,
        at,
        actor_id,
        actor_name,
        action,
        entity_type,
        entity_id,
        detail,
        prev_hash,
    ))
    .expect("strings and numbers serialize");
    hex::encode(Sha256::digest(&canonical))
}

/// One chained audit entry, as stored and as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainEntry {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// The detail as stored: JSON text, hashed as the string it is.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl ChainEntry {
    /// The hash this entry should have, with its own seq and prev_hash.
    pub fn computed_hash(&self) -> String {
        self.hash_with_seq(self.seq)
    }

    fn hash_with_seq(&self, seq: i64) -> String {
        entry_hash(
            seq,
            &self.at,
            self.actor_id.as_deref(),
            &self.actor_name,
            &self.action,
            &self.entity_type,
            &self.entity_id,
            &self.detail,
            &self.prev_hash,
        )
    }

    fn from_row(r: &sqlx::any::AnyRow) -> Result<ChainEntry> {
        Ok(ChainEntry {
            seq: r.try_get("seq")?,
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            actor_name: r.try_get("actor_name")?,
            action: r.try_get("action")?,
            entity_type: r.try_get("entity_type")?,
            entity_id: r.try_get("entity_id")?,
            detail: r.try_get("detail")?,
            prev_hash: r.try_get::<Option<String>, _>("prev_hash")?.unwrap_or_default(),
            hash: r.try_get::<Option<String>, _>("hash")?.unwrap_or_default(),
        })
    }
}

const ENTRY_COLUMNS: &str =
    "id, seq, at, actor_id, actor_name, action, entity_type, entity_id, detail, prev_hash, hash";

// ---------------------------------------------------------------------------------------------
// Keys and checkpoints

/// Outside input that cannot be read (a key, a key file, an export document); the message says
/// what is wrong and where.
#[derive(Debug, thiserror::Error)]
#[error("{message_vi} / {message_en}")]
pub struct InputError {
    pub message_vi: String,
    pub message_en: String,
}

fn input_error(vi: impl Into<String>, en: impl Into<String>) -> InputError {
    InputError {
        message_vi: vi.into(),
        message_en: en.into(),
    }
}

/// The id of a public key: the first 16 hex digits of the SHA-256 of its 32 bytes.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))[..16].to_string()
}

/// A public key from its 64 hex digits.
pub fn parse_public_key(text: &str) -> std::result::Result<VerifyingKey, InputError> {
    let t = text.trim();
    let bytes: [u8; 32] = hex::decode(t).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| {
        input_error(
            format!("«{t}» không phải khóa công khai Ed25519 (64 chữ số hex)."),
            format!("“{t}” is not an Ed25519 public key (64 hex digits)."),
        )
    })?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| {
        input_error(
            format!("«{t}» không phải khóa công khai Ed25519 hợp lệ."),
            format!("“{t}” is not a valid Ed25519 public key."),
        )
    })
}

/// The key that signs checkpoints. Its seed never leaves this type except through
/// [`AuditSigner::seed_hex`], for writing a new key file.
pub struct AuditSigner {
    key: SigningKey,
    key_id: String,
}

impl std::fmt::Debug for AuditSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSigner")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl AuditSigner {
    pub fn from_seed(seed: [u8; 32]) -> AuditSigner {
        let key = SigningKey::from_bytes(&seed);
        let key_id = key_id(&key.verifying_key());
        AuditSigner { key, key_id }
    }

    /// A new random key.
    pub fn generate() -> AuditSigner {
        use rand::RngCore;
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        AuditSigner::from_seed(seed)
    }

    /// A key from its text (a key file or the configuration): the 32-byte seed as hex (64 digits)
    /// or base64.
    pub fn parse(text: &str) -> std::result::Result<AuditSigner, InputError> {
        let t = text.trim();
        let bytes = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(t).ok()
        } else {
            base64::engine::general_purpose::STANDARD.decode(t).ok()
        };
        let seed: [u8; 32] = bytes.and_then(|b| b.try_into().ok()).ok_or_else(|| {
            input_error(
                "Khóa ký phải là đúng 32 byte hạt giống Ed25519, dạng hex (64 chữ số) hoặc base64.",
                "The signing key must be exactly the 32-byte Ed25519 seed, as hex (64 digits) or base64.",
            )
        })?;
        Ok(AuditSigner::from_seed(seed))
    }

    /// The seed as hex, for writing a key file.
    pub fn seed_hex(&self) -> String {
        hex::encode(self.key.to_bytes())
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn public_key_hex(&self) -> String {
        hex::encode(self.key.verifying_key().as_bytes())
    }

    /// Sign the head (seq, hash) at a time.
    pub fn sign(&self, seq: i64, hash: &str, at: &str) -> Checkpoint {
        let signature = self.key.sign(&checkpoint_message(seq, hash, at, &self.key_id));
        Checkpoint {
            id: None,
            seq,
            hash: hash.to_string(),
            at: at.to_string(),
            key_id: self.key_id.clone(),
            public_key: self.public_key_hex(),
            signature: hex::encode(signature.to_bytes()),
        }
    }
}

/// The bytes a checkpoint's signature covers: the compact JSON array
/// `["citygov-audit-checkpoint/1", seq, hash, at, key_id]`.
pub fn checkpoint_message(seq: i64, hash: &str, at: &str, key_id: &str) -> Vec<u8> {
    serde_json::to_vec(&(CHECKPOINT_CONTEXT, seq, hash, at, key_id)).expect("strings and numbers serialize")
}

/// The public keys a verification trusts, by key id.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys {
    keys: BTreeMap<String, VerifyingKey>,
}

impl TrustedKeys {
    pub fn new() -> TrustedKeys {
        TrustedKeys::default()
    }

    /// Trust a key; returns its id.
    pub fn add(&mut self, key: VerifyingKey) -> String {
        let id = key_id(&key);
        self.keys.insert(id.clone(), key);
        id
    }

    /// Trust a key given as 64 hex digits; returns its id.
    pub fn add_hex(&mut self, text: &str) -> std::result::Result<String, InputError> {
        Ok(self.add(parse_public_key(text)?))
    }

    pub fn get(&self, key_id: &str) -> Option<&VerifyingKey> {
        self.keys.get(key_id)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The trusted keys as (key id, public key hex), by key id.
    pub fn list(&self) -> Vec<PublicKeyRef> {
        self.keys
            .iter()
            .map(|(id, k)| PublicKeyRef {
                key_id: id.clone(),
                public_key: hex::encode(k.as_bytes()),
            })
            .collect()
    }
}

/// A public key and its id, as listed in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeyRef {
    pub key_id: String,
    pub public_key: String,
}

/// A signed attestation of the chain's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Row id in `audit_checkpoints` (absent in export files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub seq: i64,
    pub hash: String,
    pub at: String,
    pub key_id: String,
    /// The signer's public key as stored with the checkpoint: informative only, never trusted.
    pub public_key: String,
    /// Ed25519 signature (hex) over [`checkpoint_message`].
    pub signature: String,
}

/// Why a checkpoint's signature is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureFault {
    /// The key id is not among the trusted keys.
    UntrustedKey,
    /// The signature does not verify with the trusted key of that id.
    BadSignature,
}

impl Checkpoint {
    /// Check the signature with the trusted key of the checkpoint's key id.
    pub fn check_signature(&self, trusted: &TrustedKeys) -> std::result::Result<(), SignatureFault> {
        let key = trusted.get(&self.key_id).ok_or(SignatureFault::UntrustedKey)?;
        let sig: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(SignatureFault::BadSignature)?;
        key.verify(
            &checkpoint_message(self.seq, &self.hash, &self.at, &self.key_id),
            &Signature::from_bytes(&sig),
        )
        .map_err(|_| SignatureFault::BadSignature)
    }

    fn from_row(r: &sqlx::any::AnyRow) -> Result<Checkpoint> {
        Ok(Checkpoint {
            id: Some(r.try_get("id")?),
            seq: r.try_get("seq")?,
            hash: r.try_get("hash")?,
            at: r.try_get("at")?,
            key_id: r.try_get("key_id")?,
            public_key: r.try_get("public_key")?,
            signature: r.try_get("signature")?,
        })
    }

    fn label(&self) -> String {
        match self.id {
            Some(id) => format!("#{id}"),
            None => format!("@{}", self.seq),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Verification

/// What a verification found wrong. Stable names (snake_case in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An entry's content or hash was changed.
    EntryAltered,
    /// An entry that the chain did not write: a duplicated seq, an entry the next one skips
    /// over, entries outside the chain (no seq) or after the recorded head.
    EntryInserted,
    /// Entries are missing: a gap in the seqs, renumbered entries, or a shorter chain than the
    /// head or a checkpoint records.
    EntryRemoved,
    /// A checkpoint's signature does not verify with the trusted key of its key id.
    CheckpointBadSignature,
    /// A checkpoint is signed by a key that is not trusted.
    CheckpointUntrustedKey,
    /// The chain's hash at a checkpoint's seq is not the one signed: some entry up to that seq
    /// was changed after the checkpoint (the whole chain after it was recomputed).
    CheckpointHashMismatch,
    /// The recorded head disagrees with the chain's last entry.
    HeadMismatch,
    /// An export: no verified checkpoint at or after the end of the range, so nothing binds
    /// the entries to the signed chain.
    RangeNotCovered,
}

/// One problem found, named for a person in Vietnamese and English.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// The entry named (for removed entries: the first missing seq).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
    /// Its row id in `audit_log`, when it is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The checkpoint at fault (row id), for checkpoint findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_id: Option<i64>,
    pub message_vi: String,
    pub message_en: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.message_vi, self.message_en)
    }
}

/// The result of a verification.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerifyReport {
    /// True when nothing was found.
    pub ok: bool,
    /// Entries read (with and without a seq).
    pub entries: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// The hash of the last entry.
    pub last_hash: Option<String>,
    pub checkpoints: u64,
    /// Checkpoints whose signature is valid with a trusted key and whose hash matches the chain.
    pub checkpoints_verified: u64,
    /// The highest seq attested by a verified checkpoint.
    pub covered_to: Option<i64>,
    /// Entries after `covered_to`: chained, but not yet protected by a signature against
    /// someone who recomputes the hashes.
    pub uncovered_entries: i64,
    /// Ids of the keys trusted.
    pub trusted_keys: Vec<String>,
    /// An export checked with the public keys listed in the file itself (no key was given):
    /// compare them with the keys the city publishes.
    #[serde(default)]
    pub keys_from_file: bool,
    /// What is wrong, the first entry at fault first.
    pub findings: Vec<Finding>,
}

fn finding(kind: FindingKind, seq: Option<i64>, id: Option<i64>, vi: String, en: String) -> Finding {
    Finding {
        kind,
        seq,
        id,
        checkpoint_id: None,
        message_vi: vi,
        message_en: en,
    }
}

fn id_note(id: Option<i64>) -> String {
    id.map(|i| format!(" (id {i})")).unwrap_or_default()
}

fn range(a: i64, b: i64) -> String {
    if a == b { a.to_string() } else { format!("{a}–{b}") }
}

/// Checks entries fed in seq order against each other, and then the checkpoints against the
/// hashes seen. Memory holds one hash per checkpoint seq, not the entries.
pub struct ChainVerifier {
    expected: i64,
    last_hash: String,
    last_id: Option<i64>,
    before_last_hash: Option<String>,
    broken: bool,
    entries: u64,
    first_seq: Option<i64>,
    last_seq: Option<i64>,
    last_stored_hash: Option<String>,
    /// For each checkpoint seq: the stored hash of the (first) entry with that seq.
    at_checkpoints: BTreeMap<i64, Option<String>>,
    findings: Vec<Finding>,
}

impl ChainVerifier {
    /// A verifier for a chain starting at `start_seq`, whose previous entry has `prev_hash`
    /// (seq 1 and [`GENESIS_HASH`] for a whole chain), and the seqs of the checkpoints to check.
    pub fn new(start_seq: i64, prev_hash: &str, checkpoint_seqs: impl IntoIterator<Item = i64>) -> ChainVerifier {
        let mut at_checkpoints: BTreeMap<i64, Option<String>> =
            checkpoint_seqs.into_iter().map(|s| (s, None)).collect();
        if let Some(h) = at_checkpoints.get_mut(&(start_seq - 1)) {
            *h = Some(prev_hash.to_string());
        }
        ChainVerifier {
            expected: start_seq,
            last_hash: prev_hash.to_string(),
            last_id: None,
            before_last_hash: None,
            broken: false,
            entries: 0,
            first_seq: None,
            last_seq: None,
            last_stored_hash: None,
            at_checkpoints,
            findings: Vec::new(),
        }
    }

    /// The next entry in seq order, with its row id when it comes from the database.
    pub fn push(&mut self, e: &ChainEntry, id: Option<i64>) {
        self.entries += 1;
        self.first_seq.get_or_insert(e.seq);
        if let Some(slot @ None) = self.at_checkpoints.get_mut(&e.seq) {
            *slot = Some(e.hash.clone());
        }
        let dup_of = (self.last_seq == Some(e.seq)).then_some(self.last_id).flatten();
        self.last_seq = Some(self.last_seq.map_or(e.seq, |s| s.max(e.seq)));
        self.last_stored_hash = Some(e.hash.clone());
        if self.broken {
            return;
        }
        let seq = e.seq;
        let fail = |v: &mut ChainVerifier, f: Finding| {
            v.findings.push(f);
            v.broken = true;
        };
        if seq < self.expected {
            let ids = match (dup_of, id) {
                (Some(a), Some(b)) => format!(" (id {a}, id {b})"),
                _ => String::new(),
            };
            return fail(
                self,
                finding(
                    FindingKind::EntryInserted,
                    Some(seq),
                    id,
                    format!("Số thứ tự {seq} có ở nhiều hơn một mục{ids}: có mục đã bị chèn thêm."),
                    format!("Seq {seq} is held by more than one entry{ids}: an entry was inserted."),
                ),
            );
        }
        if seq > self.expected {
            let missing = range(self.expected, seq - 1);
            return fail(
                self,
                finding(
                    FindingKind::EntryRemoved,
                    Some(self.expected),
                    None,
                    format!("Mục số {missing} đã bị xóa: dãy số thứ tự bị đứt trước mục số {seq}."),
                    format!("Entry seq {missing} was removed: the seqs have a gap before seq {seq}."),
                ),
            );
        }
        let content_ok = e.hash == e.computed_hash();
        if e.prev_hash == self.last_hash {
            if content_ok {
                self.before_last_hash = Some(std::mem::replace(&mut self.last_hash, e.hash.clone()));
                self.last_id = id;
                self.expected += 1;
                return;
            }
            let note = id_note(id);
            return fail(
                self,
                finding(
                    FindingKind::EntryAltered,
                    Some(seq),
                    id,
                    format!("Mục số {seq}{note} đã bị sửa: mã băm không khớp với nội dung."),
                    format!("Entry seq {seq}{note} was altered: its hash does not match its content."),
                ),
            );
        }
        // The link to the entry before is broken: find out which side is at fault.
        let prev = seq - 1;
        let has_prev = self.before_last_hash.is_some();
        if has_prev && Some(&e.prev_hash) == self.before_last_hash.as_ref() {
            // This entry links to the one before the previous: the previous one was slipped in.
            let note = id_note(self.last_id);
            fail(
                self,
                finding(
                    FindingKind::EntryInserted,
                    Some(prev),
                    self.last_id,
                    format!("Mục số {prev}{note} đã bị chèn vào: mục kế tiếp nối thẳng với mục trước nó."),
                    format!("Entry seq {prev}{note} was inserted: the next entry links to the one before it."),
                ),
            )
        } else if has_prev && content_ok {
            // This entry is intact, so the previous one's hash was recomputed after a change.
            let note = id_note(self.last_id);
            fail(
                self,
                finding(
                    FindingKind::EntryAltered,
                    Some(prev),
                    self.last_id,
                    format!("Mục số {prev}{note} đã bị sửa và tính lại mã băm: mục kế tiếp không còn nối với nó."),
                    format!(
                        "Entry seq {prev}{note} was altered and its hash recomputed: the next entry no longer links to it."
                    ),
                ),
            )
        } else if e.hash == e.hash_with_seq(seq + 1) {
            // The entry was numbered one higher when it was written: the one before was removed
            // and the rest renumbered.
            fail(
                self,
                finding(
                    FindingKind::EntryRemoved,
                    Some(seq),
                    None,
                    format!("Mục số {seq} đã bị xóa và các mục sau bị đánh số lại."),
                    format!("Entry seq {seq} was removed and the entries after it renumbered."),
                ),
            )
        } else {
            let note = id_note(id);
            fail(
                self,
                finding(
                    FindingKind::EntryAltered,
                    Some(seq),
                    id,
                    format!("Mục số {seq}{note} đã bị sửa: nó không còn nối với mục trước."),
                    format!("Entry seq {seq}{note} was altered: it no longer links to the entry before."),
                ),
            )
        }
    }

    /// Whether the chain broke (the first entry at fault is the first finding).
    pub fn broken(&self) -> bool {
        self.broken
    }

    /// The last seq seen and the stored hash of the last entry.
    pub fn last(&self) -> Option<(i64, &str)> {
        Some((self.last_seq?, self.last_stored_hash.as_deref()?))
    }

    /// Check the checkpoints against the hashes seen and the trusted keys.
    pub fn finish(self, checkpoints: &[Checkpoint], trusted: &TrustedKeys) -> VerifyReport {
        let mut findings = self.findings;
        let mut verified: Vec<i64> = Vec::new();
        let mut mismatched: Vec<(&Checkpoint, Finding)> = Vec::new();
        for c in checkpoints {
            let label = c.label();
            let mut f = match c.check_signature(trusted) {
                Err(SignatureFault::UntrustedKey) => Some(finding(
                    FindingKind::CheckpointUntrustedKey,
                    Some(c.seq),
                    None,
                    format!(
                        "Điểm kiểm tra {label} (số {}, {}) được ký bằng khóa {} không nằm trong danh sách khóa tin cậy.",
                        c.seq, c.at, c.key_id
                    ),
                    format!(
                        "Checkpoint {label} (seq {}, {}) is signed by key {}, which is not trusted.",
                        c.seq, c.at, c.key_id
                    ),
                )),
                Err(SignatureFault::BadSignature) => Some(finding(
                    FindingKind::CheckpointBadSignature,
                    Some(c.seq),
                    None,
                    format!(
                        "Chữ ký của điểm kiểm tra {label} (số {}, {}) không hợp lệ: đã bị giả mạo hoặc sửa.",
                        c.seq, c.at
                    ),
                    format!(
                        "Checkpoint {label} (seq {}, {}) has an invalid signature: forged or altered.",
                        c.seq, c.at
                    ),
                )),
                Ok(()) => None,
            };
            if f.is_none() {
                let end = self.last_seq.unwrap_or(self.expected - 1);
                match self.at_checkpoints.get(&c.seq) {
                    _ if c.seq > end => {
                        let missing = range(end + 1, c.seq);
                        f = Some(finding(
                            FindingKind::EntryRemoved,
                            Some(end + 1),
                            None,
                            format!(
                                "Điểm kiểm tra {label} ({}) xác nhận chuỗi đến số {}, nhưng nhật ký chỉ còn đến số {end}: mục số {missing} đã bị xóa.",
                                c.at, c.seq
                            ),
                            format!(
                                "Checkpoint {label} ({}) attests the chain to seq {}, but the log ends at seq {end}: entry seq {missing} was removed.",
                                c.at, c.seq
                            ),
                        ));
                    }
                    Some(Some(h)) if *h == c.hash => verified.push(c.seq),
                    _ => {
                        // Named once the verified checkpoints are known (the range at fault).
                        mismatched.push((
                            c,
                            finding(
                                FindingKind::CheckpointHashMismatch,
                                Some(c.seq),
                                None,
                                String::new(),
                                String::new(),
                            ),
                        ));
                    }
                }
            }
            if let Some(mut f) = f {
                f.checkpoint_id = c.id;
                findings.push(f);
            }
        }
        verified.sort_unstable();
        for (c, mut f) in mismatched {
            let label = c.label();
            let from = verified
                .iter()
                .rev()
                .find(|&&s| s < c.seq)
                .map_or(self.first_seq.unwrap_or(1), |s| s + 1);
            let r = range(from, c.seq);
            f.message_vi = format!(
                "Chuỗi tại số {} khác với mã băm đã ký ở điểm kiểm tra {label} ({}): một mục trong khoảng số {r} đã bị sửa, chèn hoặc xóa sau khi ký.",
                c.seq, c.at
            );
            f.message_en = format!(
                "The chain at seq {} differs from the hash signed by checkpoint {label} ({}): an entry in seq {r} was altered, inserted or removed after it was signed.",
                c.seq, c.at
            );
            f.checkpoint_id = c.id;
            findings.push(f);
        }
        let covered_to = verified.last().copied();
        let last = self.last_seq;
        VerifyReport {
            ok: findings.is_empty(),
            entries: self.entries,
            first_seq: self.first_seq,
            last_seq: last,
            last_hash: self.last_stored_hash,
            checkpoints: checkpoints.len() as u64,
            checkpoints_verified: verified.len() as u64,
            covered_to,
            uncovered_entries: match (last, covered_to) {
                (Some(l), Some(c)) => (l - c).max(0),
                (Some(l), None) => l - self.first_seq.unwrap_or(1) + 1,
                (None, _) => 0,
            },
            trusted_keys: trusted.list().into_iter().map(|k| k.key_id).collect(),
            keys_from_file: false,
            findings,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing the chain

/// Chain audit records onto the head and insert them: called by the write transaction just
/// before it commits. On PostgreSQL the head row is locked (`FOR UPDATE`) until the commit and
/// moved in the statement that inserts the last chunk; on SQLite the transaction already holds
/// the database's write lock.
pub(crate) async fn write_audits(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: &[(LocalTime, AuditRecord)],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let sqlite = tx.backend_name() == "SQLite";
    let head = sqlx::query(if sqlite {
        "SELECT seq, hash FROM audit_head WHERE id = 1"
    } else {
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
    })
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| Error::Internal(anyhow::anyhow!("the audit chain has no head (audit_head is empty)")))?;
    let mut seq: i64 = head.try_get("seq")?;
    let mut prev: String = head.try_get("hash")?;
    let chunks = rows.chunks(CHUNK).count();
    for (i, chunk) in rows.chunks(CHUNK).enumerate() {
        let mut entries = Vec::with_capacity(chunk.len());
        for (at, a) in chunk {
            seq += 1;
            let at = ts(at);
            let detail = a.detail.to_string();
            let hash = entry_hash(
                seq,
                &at,
                a.actor_id.as_deref(),
                &a.actor_name,
                &a.action,
                &a.entity_type,
                &a.entity_id,
                &detail,
                &prev,
            );
            entries.push((at, a, detail, std::mem::replace(&mut prev, hash.clone()), hash));
        }
        let last_chunk = i + 1 == chunks;
        let width = 10;
        let mut sql = String::new();
        if last_chunk && !sqlite {
            // The head moves in the same statement: one round trip more per transaction, the lock.
            let n = chunk.len() * width;
            sql.push_str(&format!(
                "WITH moved AS (UPDATE audit_head SET seq = ${}, hash = ${} WHERE id = 1) ",
                n + 1,
                n + 2
            ));
        }
        sql.push_str(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, detail, seq, prev_hash, hash) VALUES ",
        );
        sql.push_str(&crate::values_rows(tx, chunk.len(), width));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        let first_seq = seq - chunk.len() as i64 + 1;
        for (k, (at, a, detail, prev_hash, hash)) in entries.into_iter().enumerate() {
            q = q
                .bind(at)
                .bind(a.actor_id.clone())
                .bind(a.actor_name.clone())
                .bind(a.action.clone())
                .bind(a.entity_type.clone())
                .bind(a.entity_id.clone())
                .bind(detail)
                .bind(first_seq + k as i64)
                .bind(prev_hash)
                .bind(hash);
        }
        if last_chunk && !sqlite {
            q = q.bind(seq).bind(prev.clone());
        }
        q.execute(&mut **tx).await?;
    }
    if sqlite {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(prev)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn problem(code: &str, vi: impl Into<String>, en: impl Into<String>) -> Error {
    Error::invalid(Problem::new(code, vi, en))
}

impl Store {
    /// Create the chain head once, chaining (in id order) the audit rows written before the
    /// chain existed. Runs when the store opens; a no-op once the head exists, so rows that
    /// appear later without a seq stay outside the chain and are reported by verification.
    pub(crate) async fn ensure_audit_chain(&self) -> Result<()> {
        let exists = sqlx::query("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?
            .is_some();
        if exists {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let mut w = self.begin_write().await?;
        // Another process opening the same database at the same time waits here and then
        // finds the head made.
        let made = sqlx::query("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING")
            .bind(GENESIS_HASH)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if made == 0 {
            return Ok(());
        }
        // Chained entries without a head: the head row was deleted. Chaining again from seq 1
        // would collide with the entries there, and chaining the rows without a seq would take
        // forged rows into the chain; so the head is put back on the last chained entry, and
        // that repair is itself recorded in the trail (verification still checks every entry
        // and checkpoint).
        let last = sqlx::query("SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *w.tx)
            .await?;
        if let Some(last) = last {
            let (seq, hash): (i64, Option<String>) = (last.try_get("seq")?, last.try_get("hash")?);
            let hash = hash.unwrap_or_default();
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(hash.clone())
                .execute(&mut *w.tx)
                .await?;
            w.audit(
                citygov_domain::now_local(),
                AuditRecord {
                    actor_id: None,
                    actor_name: "system".into(),
                    action: "audit.head_restored".into(),
                    entity_type: "audit".into(),
                    entity_id: "audit_head".into(),
                    detail: serde_json::json!({ "seq": seq, "hash": hash }),
                },
            );
            w.commit().await?;
            tracing::warn!(
                seq,
                "đầu chuỗi nhật ký kiểm toán bị mất và đã được đặt lại; hãy chạy `citygov audit verify` / \
                 the audit chain head was missing and has been put back; run `citygov audit verify`"
            );
            return Ok(());
        }
        let (mut seq, mut prev, mut after) = (0i64, GENESIS_HASH.to_string(), i64::MIN);
        loop {
            let rows = sqlx::query(
                "SELECT id, at, actor_id, actor_name, action, entity_type, entity_id, detail FROM audit_log \
                 WHERE seq IS NULL AND id > $1 ORDER BY id LIMIT 5000",
            )
            .bind(after)
            .fetch_all(&mut *w.tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            for chunk in rows.chunks(CHUNK) {
                let mut sql = String::from(
                    "UPDATE audit_log SET seq = v.column2, prev_hash = v.column3, hash = v.column4 FROM (VALUES ",
                );
                sql.push_str(&crate::values_rows(&w.tx, chunk.len(), 4));
                sql.push_str(") AS v WHERE audit_log.id = v.column1");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for r in chunk {
                    seq += 1;
                    let actor_id: Option<String> = r.try_get("actor_id")?;
                    let hash = entry_hash(
                        seq,
                        &r.try_get::<String, _>("at")?,
                        actor_id.as_deref(),
                        &r.try_get::<String, _>("actor_name")?,
                        &r.try_get::<String, _>("action")?,
                        &r.try_get::<String, _>("entity_type")?,
                        &r.try_get::<String, _>("entity_id")?,
                        &r.try_get::<String, _>("detail")?,
                        &prev,
                    );
                    let prev_hash = std::mem::replace(&mut prev, hash.clone());
                    q = q.bind(r.try_get::<i64, _>("id")?).bind(seq).bind(prev_hash).bind(hash);
                }
                q.execute(&mut *w.tx).await?;
            }
        }
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(prev)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await?;
        if seq > 0 {
            tracing::info!(
                entries = seq,
                seconds = started.elapsed().as_secs_f64(),
                "đã nối chuỗi các mục nhật ký kiểm toán có sẵn / chained the existing audit entries"
            );
        }
        Ok(())
    }

    /// The chain's head: the last seq (0 for an empty chain) and its hash.
    pub async fn audit_head(&self) -> Result<(i64, String)> {
        let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok((r.try_get("seq")?, r.try_get("hash")?))
    }

    /// Every checkpoint, oldest first.
    pub async fn audit_checkpoints(&self) -> Result<Vec<Checkpoint>> {
        sqlx::query("SELECT id, seq, hash, at, key_id, public_key, signature FROM audit_checkpoints ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Checkpoint::from_row)
            .collect()
    }

    /// The latest checkpoint.
    pub async fn last_audit_checkpoint(&self) -> Result<Option<Checkpoint>> {
        sqlx::query(
            "SELECT id, seq, hash, at, key_id, public_key, signature FROM audit_checkpoints ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(Checkpoint::from_row)
        .transpose()
    }

    /// Sign the chain's current head and keep the checkpoint.
    ///
    /// The entries written since the latest checkpoint that verifies with `trusted` (or the
    /// signer's own key) are checked first: they must chain from its hash to the head. So a
    /// signature never covers a break, and a refusal (409) names the entry at fault.
    pub async fn write_audit_checkpoint(
        &self,
        signer: &AuditSigner,
        trusted: &TrustedKeys,
        now: LocalTime,
    ) -> Result<Checkpoint> {
        let mut trusted = trusted.clone();
        trusted.add(signer.verifying_key());
        let mut w = self.begin_write().await?;
        let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *w.tx)
            .await?;
        let (head_seq, head_hash): (i64, String) = (r.try_get("seq")?, r.try_get("hash")?);
        let anchor = sqlx::query(
            "SELECT id, seq, hash, at, key_id, public_key, signature FROM audit_checkpoints WHERE seq <= $1 ORDER BY seq DESC, id DESC",
        )
        .bind(head_seq)
        .fetch_all(&mut *w.tx)
        .await?
        .iter()
        .map(Checkpoint::from_row)
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .find(|c| c.check_signature(&trusted).is_ok());
        let (start, prev) = match &anchor {
            Some(c) if c.seq > 0 => {
                let stored: Option<String> = sqlx::query("SELECT hash FROM audit_log WHERE seq = $1")
                    .bind(c.seq)
                    .fetch_optional(&mut *w.tx)
                    .await?
                    .map(|r| r.try_get::<Option<String>, _>("hash"))
                    .transpose()?
                    .flatten();
                if stored.as_deref() != Some(c.hash.as_str()) {
                    return Err(Error::Conflict(Problem::new(
                        "audit_chain_broken",
                        format!(
                            "Không ký: chuỗi tại số {} khác với điểm kiểm tra {} đã ký; hãy chạy `citygov audit verify`.",
                            c.seq,
                            c.label()
                        ),
                        format!(
                            "Not signed: the chain at seq {} differs from signed checkpoint {}; run `citygov audit verify`.",
                            c.seq,
                            c.label()
                        ),
                    )));
                }
                (c.seq + 1, c.hash.clone())
            }
            _ => (1, GENESIS_HASH.to_string()),
        };
        let mut v = ChainVerifier::new(start, &prev, std::iter::empty());
        {
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq"
            )))
            .bind(start)
            .bind(head_seq)
            .fetch(&mut *w.tx);
            while let Some(r) = rows.try_next().await? {
                v.push(&ChainEntry::from_row(&r)?, Some(r.try_get("id")?));
                if v.broken() {
                    break;
                }
            }
        }
        let (last_seq, last_hash) = v.last().map_or((start - 1, prev.clone()), |(s, h)| (s, h.to_string()));
        let fault = if v.broken() {
            v.findings.first().cloned()
        } else if last_seq != head_seq || last_hash != head_hash {
            Some(finding(
                FindingKind::HeadMismatch,
                Some(head_seq),
                None,
                format!("Mục cuối của nhật ký (số {last_seq}) không khớp với đầu chuỗi (số {head_seq})."),
                format!("The log's last entry (seq {last_seq}) does not match the chain head (seq {head_seq})."),
            ))
        } else {
            None
        };
        if let Some(f) = fault {
            return Err(Error::Conflict(Problem::new(
                "audit_chain_broken",
                format!("Không ký điểm kiểm tra: {}", f.message_vi),
                format!("Checkpoint not signed: {}", f.message_en),
            )));
        }
        let mut c = signer.sign(head_seq, &head_hash, &ts(&now));
        let row = sqlx::query(
            "INSERT INTO audit_checkpoints (seq, hash, at, key_id, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(c.seq)
        .bind(c.hash.clone())
        .bind(c.at.clone())
        .bind(c.key_id.clone())
        .bind(c.public_key.clone())
        .bind(c.signature.clone())
        .fetch_one(&mut *w.tx)
        .await?;
        c.id = Some(row.try_get("id")?);
        w.commit().await?;
        Ok(c)
    }

    /// Sign a checkpoint when the chain has grown since the latest one (by any key); `None`
    /// when there is nothing new to sign. For the periodic job of `citygov serve`.
    pub async fn audit_checkpoint_if_moved(
        &self,
        signer: &AuditSigner,
        trusted: &TrustedKeys,
        now: LocalTime,
    ) -> Result<Option<Checkpoint>> {
        let (head, _) = self.audit_head().await?;
        let last = sqlx::query("SELECT MAX(seq) AS seq FROM audit_checkpoints")
            .fetch_one(&self.pool)
            .await?
            .try_get::<Option<i64>, _>("seq")?;
        if head == 0 || last.is_some_and(|s| s >= head) {
            return Ok(None);
        }
        self.write_audit_checkpoint(signer, trusted, now).await.map(Some)
    }

    /// A read transaction that sees one snapshot of the database for its whole life.
    async fn snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            // Deferred: the snapshot is taken by the first read (WAL).
            crate::Backend::Sqlite => self.pool.begin().await?,
            crate::Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        })
    }

    /// Verify the whole chain (streamed in seq order) and every checkpoint, on one snapshot.
    pub async fn verify_audit(&self, trusted: &TrustedKeys) -> Result<VerifyReport> {
        let mut tx = self.snapshot().await?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?;
        let checkpoints: Vec<Checkpoint> =
            sqlx::query("SELECT id, seq, hash, at, key_id, public_key, signature FROM audit_checkpoints ORDER BY id")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(Checkpoint::from_row)
                .collect::<Result<_>>()?;
        let outside = sqlx::query("SELECT COUNT(*) AS n, MIN(id) AS first FROM audit_log WHERE seq IS NULL")
            .fetch_one(&mut *tx)
            .await?;
        let (outside_n, outside_first): (i64, Option<i64>) = (outside.try_get("n")?, outside.try_get("first")?);
        let mut v = ChainVerifier::new(1, GENESIS_HASH, checkpoints.iter().map(|c| c.seq));
        {
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq IS NOT NULL ORDER BY seq"
            )))
            .fetch(&mut *tx);
            while let Some(r) = rows.try_next().await? {
                v.push(&ChainEntry::from_row(&r)?, Some(r.try_get("id")?));
            }
        }
        tx.rollback().await?;
        let (last_seq, last_hash) = v
            .last()
            .map_or((0, GENESIS_HASH.to_string()), |(s, h)| (s, h.to_string()));
        let chain_findings = usize::from(v.broken());
        let mut report = v.finish(&checkpoints, trusted);
        report.entries += outside_n as u64;
        // Entry findings first, in the order a reader follows the log: the chain's first break,
        // rows outside the chain, then the head.
        let mut extra = Vec::new();
        if outside_n > 0 {
            extra.push(finding(
                FindingKind::EntryInserted,
                None,
                outside_first,
                format!(
                    "{outside_n} mục không thuộc chuỗi (không có số thứ tự), mục đầu tiên id {}: đã bị chèn thẳng vào cơ sở dữ liệu.",
                    outside_first.unwrap_or_default()
                ),
                format!(
                    "{outside_n} entries are outside the chain (no seq), the first id {}: inserted directly into the database.",
                    outside_first.unwrap_or_default()
                ),
            ));
        }
        match head {
            None => extra.push(finding(
                FindingKind::HeadMismatch,
                None,
                None,
                "Không có đầu chuỗi (bảng audit_head trống).".into(),
                "The chain has no head (audit_head is empty).".into(),
            )),
            Some(h) => {
                let (hs, hh): (i64, String) = (h.try_get("seq")?, h.try_get("hash")?);
                if last_seq < hs {
                    let missing = range(last_seq + 1, hs);
                    extra.push(finding(
                        FindingKind::EntryRemoved,
                        Some(last_seq + 1),
                        None,
                        format!("Mục số {missing} đã bị xóa khỏi cuối nhật ký (đầu chuỗi ghi số {hs})."),
                        format!("Entry seq {missing} was removed from the end of the log (the head records seq {hs})."),
                    ));
                } else if last_seq > hs {
                    extra.push(finding(
                        FindingKind::EntryInserted,
                        Some(hs + 1),
                        None,
                        format!(
                            "Các mục từ số {} không được ghi qua đầu chuỗi (số {hs}): đã bị chèn thêm.",
                            hs + 1
                        ),
                        format!(
                            "The entries from seq {} were not written through the chain head (seq {hs}): inserted.",
                            hs + 1
                        ),
                    ));
                } else if last_hash != hh {
                    extra.push(finding(
                        FindingKind::HeadMismatch,
                        Some(hs),
                        None,
                        format!("Mã băm của mục cuối (số {hs}) khác với mã băm ghi ở đầu chuỗi: mục này đã bị sửa."),
                        format!("The hash of the last entry (seq {hs}) differs from the one the head records: it was altered."),
                    ));
                }
            }
        }
        report.findings.splice(chain_findings..chain_findings, extra);
        report.ok = report.findings.is_empty();
        Ok(report)
    }

    /// Write entries `from..=to` with their proofs as an export document (see docs/audit.md):
    /// the hash of the entry before the range, the entries, the entries after the range up to
    /// the first checkpoint at or after `to` that verifies with a trusted key, the checkpoints
    /// from `from` to that one, and the keys that signed them.
    pub async fn export_audit(
        &self,
        from: i64,
        to: i64,
        trusted: &TrustedKeys,
        now: LocalTime,
        out: &mut dyn std::io::Write,
    ) -> Result<ExportSummary> {
        if from < 1 || to < from {
            return Err(problem(
                "invalid_range",
                format!("Khoảng số thứ tự {from}–{to} không hợp lệ: cần 1 ≤ từ ≤ đến."),
                format!("The seq range {from}–{to} is not valid: 1 ≤ from ≤ to is needed."),
            ));
        }
        let mut tx = self.snapshot().await?;
        let head: i64 = sqlx::query("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?
            .try_get("seq")?;
        if to > head {
            return Err(problem(
                "invalid_range",
                format!("Nhật ký mới đến số {head}; không có mục số {to}."),
                format!("The log only goes to seq {head}; there is no entry seq {to}."),
            ));
        }
        let later: Vec<Checkpoint> = sqlx::query(
            "SELECT id, seq, hash, at, key_id, public_key, signature FROM audit_checkpoints WHERE seq >= $1 ORDER BY seq, id",
        )
        .bind(from)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(Checkpoint::from_row)
        .collect::<Result<_>>()?;
        let Some(cover) = later
            .iter()
            .find(|c| c.seq >= to && c.check_signature(trusted).is_ok())
            .map(|c| c.seq)
        else {
            return Err(Error::Conflict(Problem::new(
                "no_checkpoint",
                format!(
                    "Chưa có điểm kiểm tra ký số hợp lệ nào từ số {to} trở đi: hãy chạy `citygov audit checkpoint` rồi xuất lại."
                ),
                format!(
                    "No valid signed checkpoint covers seq {to} yet: run `citygov audit checkpoint`, then export again."
                ),
            )));
        };
        let checkpoints: Vec<Checkpoint> = later
            .into_iter()
            .filter(|c| c.seq <= cover)
            .map(|c| Checkpoint { id: None, ..c })
            .collect();
        let prev_hash = if from == 1 {
            GENESIS_HASH.to_string()
        } else {
            sqlx::query("SELECT hash FROM audit_log WHERE seq = $1")
                .bind(from - 1)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get::<Option<String>, _>("hash"))
                .transpose()?
                .flatten()
                .unwrap_or_default()
        };
        let keys: Vec<PublicKeyRef> = trusted
            .list()
            .into_iter()
            .filter(|k| checkpoints.iter().any(|c| c.key_id == k.key_id))
            .collect();
        let io = |e: std::io::Error| Error::Internal(anyhow::anyhow!("cannot write the export: {e}"));
        write!(
            out,
            "{{\n\"format\": {},\n\"exported_at\": {},\n\"hash_rule\": {},\n\"signature_rule\": {},\n\"from_seq\": {from},\n\"to_seq\": {to},\n\"prev_hash\": {},\n\"public_keys\": {},\n\"checkpoints\": [",
            json(EXPORT_FORMAT),
            json(&ts(&now)),
            json(HASH_RULE),
            json(SIGNATURE_RULE),
            json(&prev_hash),
            json(&keys),
        )
        .map_err(io)?;
        for (i, c) in checkpoints.iter().enumerate() {
            write!(out, "{}\n{}", if i > 0 { "," } else { "" }, json(c)).map_err(io)?;
        }
        write!(out, "\n],\n\"entries\": [").map_err(io)?;
        let mut summary = ExportSummary {
            entries: 0,
            proof_entries: 0,
            checkpoints: checkpoints.len() as u64,
            covered_by: cover,
        };
        {
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq"
            )))
            .bind(from)
            .bind(cover)
            .fetch(&mut *tx);
            let mut in_proof = false;
            let mut first = true;
            while let Some(r) = rows.try_next().await? {
                let e = ChainEntry::from_row(&r)?;
                if e.seq > to && !in_proof {
                    write!(out, "\n],\n\"proof_entries\": [").map_err(io)?;
                    in_proof = true;
                    first = true;
                }
                write!(out, "{}\n{}", if first { "" } else { "," }, json(&e)).map_err(io)?;
                first = false;
                if in_proof {
                    summary.proof_entries += 1;
                } else {
                    summary.entries += 1;
                }
            }
            if !in_proof {
                write!(out, "\n],\n\"proof_entries\": [").map_err(io)?;
            }
        }
        write!(out, "\n]\n}}\n").map_err(io)?;
        out.flush().map_err(io)?;
        tx.rollback().await?;
        Ok(summary)
    }
}

/// How the entry hash is computed, as written into export files.
pub const HASH_RULE: &str = "hash = lowercase hex SHA-256 of the UTF-8 compact JSON array [seq, at, actor_id, actor_name, action, entity_type, entity_id, detail, prev_hash]; prev_hash of seq 1 is 64 zeros";
/// How a checkpoint is signed, as written into export files.
pub const SIGNATURE_RULE: &str = "signature = hex Ed25519 signature by the key public_key over the UTF-8 compact JSON array [\"citygov-audit-checkpoint/1\", seq, hash, at, key_id]; key_id = first 16 hex digits of SHA-256 of the 32-byte public key";

/// Compact JSON of plain data (the export document is written piece by piece).
fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serializes")
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    /// Entries of the range.
    pub entries: u64,
    /// Entries after the range, up to the checkpoint that covers it.
    pub proof_entries: u64,
    pub checkpoints: u64,
    /// The seq of the checkpoint that covers the range.
    pub covered_by: i64,
}

/// An export document (docs/audit.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditExport {
    pub format: String,
    pub exported_at: String,
    #[serde(default)]
    pub hash_rule: String,
    #[serde(default)]
    pub signature_rule: String,
    pub from_seq: i64,
    pub to_seq: i64,
    /// The hash of entry `from_seq - 1` (64 zeros when the range starts at seq 1).
    pub prev_hash: String,
    pub public_keys: Vec<PublicKeyRef>,
    pub checkpoints: Vec<Checkpoint>,
    pub entries: Vec<ChainEntry>,
    /// Entries after the range up to the covering checkpoint: there only to link the range
    /// to the signed hash.
    #[serde(default)]
    pub proof_entries: Vec<ChainEntry>,
}

impl AuditExport {
    /// Read an export document; the error says where the text is wrong.
    pub fn parse(text: &str) -> std::result::Result<AuditExport, InputError> {
        let doc: AuditExport = serde_json::from_str(text).map_err(|e| {
            input_error(
                format!(
                    "Tệp xuất không đúng định dạng (dòng {}, cột {}): {e}",
                    e.line(),
                    e.column()
                ),
                format!(
                    "The export file is malformed (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        if doc.format != EXPORT_FORMAT {
            return Err(input_error(
                format!(
                    "Tệp không phải bản xuất nhật ký kiểm toán «{EXPORT_FORMAT}» (định dạng «{}»).",
                    doc.format
                ),
                format!(
                    "The file is not a “{EXPORT_FORMAT}” audit export (format “{}”).",
                    doc.format
                ),
            ));
        }
        Ok(doc)
    }

    /// Verify the document with no database: the entries chain from `prev_hash`, and a
    /// checkpoint signed by a trusted key covers the end of the range. Without keys given,
    /// the keys listed in the file are trusted (and the report says so).
    pub fn verify(&self, trusted: Option<&TrustedKeys>) -> VerifyReport {
        let mut from_file = TrustedKeys::new();
        let mut bad_keys = Vec::new();
        if trusted.is_none() {
            for k in &self.public_keys {
                match parse_public_key(&k.public_key) {
                    Ok(vk) if key_id(&vk) == k.key_id => {
                        from_file.add(vk);
                    }
                    _ => bad_keys.push(k.key_id.clone()),
                }
            }
        }
        let keys = trusted.unwrap_or(&from_file);
        let mut v = ChainVerifier::new(self.from_seq, &self.prev_hash, self.checkpoints.iter().map(|c| c.seq));
        for e in &self.entries {
            v.push(e, None);
        }
        let range_end = v.last().map(|(s, _)| s);
        for e in &self.proof_entries {
            v.push(e, None);
        }
        let mut report = v.finish(&self.checkpoints, keys);
        report.keys_from_file = trusted.is_none();
        let mut extra = Vec::new();
        if range_end != Some(self.to_seq) {
            let from = range_end.map_or(self.from_seq, |s| s + 1);
            let (vi, en) = if from <= self.to_seq {
                let missing = range(from, self.to_seq);
                (
                    format!(
                        "Tệp thiếu mục số {missing} của khoảng {}–{}.",
                        self.from_seq, self.to_seq
                    ),
                    format!(
                        "The file lacks entry seq {missing} of the range {}–{}.",
                        self.from_seq, self.to_seq
                    ),
                )
            } else {
                (
                    format!(
                        "Tệp có mục ngoài khoảng {}–{} trong danh sách entries.",
                        self.from_seq, self.to_seq
                    ),
                    format!(
                        "The file lists entries outside the range {}–{} in entries.",
                        self.from_seq, self.to_seq
                    ),
                )
            };
            extra.push(finding(FindingKind::EntryRemoved, Some(from), None, vi, en));
        }
        for k in bad_keys {
            extra.push(finding(
                FindingKind::CheckpointUntrustedKey,
                None,
                None,
                format!("Khóa công khai {k} trong tệp không hợp lệ hoặc không khớp với mã khóa."),
                format!("Public key {k} in the file is not valid or does not match its key id."),
            ));
        }
        if report.covered_to.is_none_or(|c| c < self.to_seq) {
            extra.push(finding(
                FindingKind::RangeNotCovered,
                Some(self.to_seq),
                None,
                format!(
                    "Không có điểm kiểm tra ký số hợp lệ nào từ số {} trở đi: không gì ràng buộc các mục này với chuỗi đã ký.",
                    self.to_seq
                ),
                format!(
                    "No valid signed checkpoint at or after seq {}: nothing binds these entries to the signed chain.",
                    self.to_seq
                ),
            ));
        }
        report.findings.extend(extra);
        report.ok = report.findings.is_empty();
        report
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the trail

/// Who an audit page is filtered on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorFilter {
    /// Entries written without an account (anonymous callers, the system).
    Anonymous,
    /// Entries of one account (its id).
    Account(String),
}

/// The filters and the position of one page of the audit trail ([`Store::audit_page`]).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<ActorFilter>,
    pub action: Option<String>,
    /// Entries at or after this moment.
    pub from: Option<LocalTime>,
    /// Entries before this moment.
    pub to: Option<LocalTime>,
    /// Keyset position: entries after this seq in the page's order (below it when newest
    /// first, above it when oldest first).
    pub after: Option<i64>,
    /// Entries per page, 1–[`AUDIT_PAGE_MAX`].
    pub limit: i64,
    /// Oldest first (default: newest first).
    pub oldest_first: bool,
}

/// The largest page of [`Store::audit_page`].
pub const AUDIT_PAGE_MAX: i64 = 500;

/// One page of the audit trail; `next_after` continues it (absent on the last page).
#[derive(Debug, Clone, Serialize)]
pub struct AuditPage {
    pub entries: Vec<ChainEntry>,
    pub next_after: Option<i64>,
}

impl Store {
    /// One page of the chained audit trail with the given filters, by seq (keyset pagination,
    /// so a page costs the same wherever it starts and entries written meanwhile do not shift
    /// the pages).
    pub async fn audit_page(&self, q: &AuditQuery) -> Result<AuditPage> {
        if !(1..=AUDIT_PAGE_MAX).contains(&q.limit) {
            return Err(Error::invalid(
                Problem::new(
                    "invalid_parameter",
                    format!("limit phải từ 1 đến {AUDIT_PAGE_MAX}."),
                    format!("limit must be 1 to {AUDIT_PAGE_MAX}."),
                )
                .at("limit"),
            ));
        }
        let mut sql = String::from(
            "SELECT seq, at, actor_id, actor_name, action, entity_type, entity_id, detail, prev_hash, hash \
             FROM audit_log WHERE seq IS NOT NULL",
        );
        let mut binds: Vec<String> = Vec::new();
        let mut cond = |sql: &mut String, clause: &str, v: String| {
            binds.push(v);
            sql.push_str(&format!(" AND {clause} ${}", binds.len()));
        };
        if let Some(v) = &q.entity_type {
            cond(&mut sql, "entity_type =", v.clone());
        }
        if let Some(v) = &q.entity_id {
            cond(&mut sql, "entity_id =", v.clone());
        }
        match &q.actor {
            Some(ActorFilter::Anonymous) => sql.push_str(" AND actor_id IS NULL"),
            Some(ActorFilter::Account(id)) => cond(&mut sql, "actor_id =", id.clone()),
            None => {}
        }
        if let Some(v) = &q.action {
            cond(&mut sql, "action =", v.clone());
        }
        if let Some(v) = &q.from {
            cond(&mut sql, "at >=", ts(v));
        }
        if let Some(v) = &q.to {
            cond(&mut sql, "at <", ts(v));
        }
        let n = binds.len();
        if q.after.is_some() {
            sql.push_str(&format!(
                " AND seq {} ${}",
                if q.oldest_first { ">" } else { "<" },
                n + 1
            ));
        }
        sql.push_str(if q.oldest_first {
            " ORDER BY seq ASC"
        } else {
            " ORDER BY seq DESC"
        });
        sql.push_str(&format!(" LIMIT {}", q.limit + 1));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            query = query.bind(b);
        }
        if let Some(a) = q.after {
            query = query.bind(a);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut entries = rows.iter().map(ChainEntry::from_row).collect::<Result<Vec<_>>>()?;
        let more = entries.len() as i64 > q.limit;
        entries.truncate(q.limit as usize);
        let next_after = if more { entries.last().map(|e| e.seq) } else { None };
        Ok(AuditPage { entries, next_after })
    }
}
