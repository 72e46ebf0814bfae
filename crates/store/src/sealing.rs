//! Encryption at rest of personal data (envelope encryption, AES-256-GCM).
//!
//! Citizen ID numbers, phone numbers, e-mail addresses and uploaded files (ID-card images among
//! them) are sealed before they reach the database or the file storage:
//!
//! - **Master keys** (key-encryption keys) come from the configuration or a key file, never
//!   from the database. The first one is active.
//! - **Data keys** (data-encryption keys) are random 256-bit keys kept in the `data_keys` table,
//!   each wrapped (AES-256-GCM) by a master key. A `seal` data key encrypts values; one `index`
//!   data key makes the keyed hashes (HMAC-SHA-256) that let the store find a dossier or an
//!   account by ID number without decrypting anything.
//! - A sealed value is `enc1:<data key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`, bound to its
//!   field by the AEAD's associated data, so a value copied into another field does not open.
//!
//! Rotation without downtime: a new master key rewraps the few data-key rows when the store
//! opens; a new data key seals new values while older ones stay readable, and `reseal` moves
//! old values to the active key in small transactions. A value written before encryption was
//! turned on (no `enc1:` prefix) is read as it is and sealed by the next `reseal`.

use crate::{Error, Result};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use std::collections::HashMap;

/// Prefix of a sealed value.
pub const PREFIX: &str = "enc1:";
/// First bytes of a sealed file.
pub const FILE_MAGIC: &[u8; 8] = b"CGENC1\0\0";

/// The fields a sealed value may belong to (its associated data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    IdNumber,
    Phone,
    Email,
    File,
}

/// The associated data of a warehouse column's values.
fn column_aad(column: &str) -> String {
    format!("citygov:lake:{column}")
}

impl Field {
    fn aad(self) -> &'static [u8] {
        match self {
            Field::IdNumber => b"citygov:id_number",
            Field::Phone => b"citygov:phone",
            Field::Email => b"citygov:email",
            Field::File => b"citygov:file",
        }
    }
}

/// A master key: an id (letters, digits, `-`, `_`) and 32 random bytes.
#[derive(Clone)]
pub struct MasterKey {
    pub id: String,
    key: [u8; 32],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({}, ********)", self.id)
    }
}

/// A problem with key material given from outside (configuration, key file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{vi} / {en}")]
pub struct KeyError {
    pub vi: String,
    pub en: String,
}

fn key_error(vi: impl Into<String>, en: impl Into<String>) -> KeyError {
    KeyError {
        vi: vi.into(),
        en: en.into(),
    }
}

impl MasterKey {
    /// A new random master key.
    pub fn generate(id: &str) -> MasterKey {
        let mut key = [0u8; 32];
        SystemRandom::new().fill(&mut key).expect("system random");
        MasterKey {
            id: id.to_string(),
            key,
        }
    }

    /// `ID:BASE64` or `ID BASE64` (standard base64 of 32 bytes).
    pub fn parse(text: &str) -> std::result::Result<MasterKey, KeyError> {
        let text = text.trim();
        let (id, b64) = text
            .split_once(':')
            .or_else(|| text.split_once(char::is_whitespace))
            .ok_or_else(|| {
                key_error(
                    "Khóa chính phải có dạng MÃ:BASE64",
                    "A master key must look like ID:BASE64",
                )
            })?;
        let (id, b64) = (id.trim(), b64.trim());
        if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(key_error(
                format!("Mã khóa chính «{id}» không hợp lệ (chữ, số, - và _, tối đa 32 ký tự)"),
                format!("The master key id “{id}” is not valid (letters, digits, - and _, at most 32)"),
            ));
        }
        let bytes = STANDARD.decode(b64).map_err(|_| {
            key_error(
                format!("Khóa chính «{id}» không phải base64"),
                format!("The master key “{id}” is not base64"),
            )
        })?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            key_error(
                format!("Khóa chính «{id}» phải dài đúng 32 byte"),
                format!("The master key “{id}” must be exactly 32 bytes"),
            )
        })?;
        Ok(MasterKey {
            id: id.to_string(),
            key,
        })
    }

    /// The key as a key-file line (`ID BASE64`).
    pub fn to_line(&self) -> String {
        format!("{} {}", self.id, STANDARD.encode(self.key))
    }
}

/// The master keys of an installation, the active one first.
#[derive(Debug, Clone, Default)]
pub struct MasterKeys(pub Vec<MasterKey>);

impl MasterKeys {
    /// Keys separated by commas or newlines; `#` starts a comment. Ids must be unique.
    pub fn parse(text: &str) -> std::result::Result<MasterKeys, KeyError> {
        let mut keys: Vec<MasterKey> = Vec::new();
        let entries = text
            .lines()
            .flat_map(|l| l.split('#').next().unwrap_or_default().split(','))
            .map(str::trim)
            .filter(|e| !e.is_empty());
        for (n, line) in entries.enumerate() {
            let k = MasterKey::parse(line).map_err(|e| KeyError {
                vi: format!("mục {}: {}", n + 1, e.vi),
                en: format!("entry {}: {}", n + 1, e.en),
            })?;
            if keys.iter().any(|o| o.id == k.id) {
                return Err(key_error(
                    format!("Mã khóa chính «{}» bị lặp", k.id),
                    format!("The master key id “{}” appears twice", k.id),
                ));
            }
            keys.push(k);
        }
        Ok(MasterKeys(keys))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn active(&self) -> Option<&MasterKey> {
        self.0.first()
    }

    pub fn get(&self, id: &str) -> Option<&MasterKey> {
        self.0.iter().find(|k| k.id == id)
    }
}

/// Where the store gets its master keys: given, or read from a file (again whenever another
/// process may have rotated them).
#[derive(Debug, Clone, Default)]
pub enum KeySource {
    /// No encryption: values are stored as given (tests of other parts, tools).
    #[default]
    None,
    Given(MasterKeys),
    File(std::path::PathBuf),
}

impl KeySource {
    pub fn load(&self) -> Result<MasterKeys> {
        match self {
            KeySource::None => Ok(MasterKeys::default()),
            KeySource::Given(k) => Ok(k.clone()),
            KeySource::File(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| {
                    Error::Internal(anyhow::anyhow!(
                        "Không đọc được tệp khóa dữ liệu cá nhân {} / cannot read the personal-data key file {}: {e}",
                        p.display(),
                        p.display()
                    ))
                })?;
                MasterKeys::parse(&text).map_err(|e| Error::Internal(anyhow::anyhow!("{}: {e}", p.display())))
            }
        }
    }
}

fn aead_key(bytes: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, bytes).expect("32-byte key"))
}

fn seal_bytes(key: &LessSafeKey, aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new().fill(&mut nonce).expect("system random");
    let mut out = Vec::with_capacity(NONCE_LEN + plain.len() + 16);
    out.extend_from_slice(&nonce);
    let mut body = plain.to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), &mut body)
        .expect("AES-GCM seals");
    out.extend_from_slice(&body);
    out
}

fn open_bytes(key: &LessSafeKey, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < NONCE_LEN + 16 {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut body = body.to_vec();
    let plain = key.open_in_place(nonce, Aad::from(aad), &mut body).ok()?;
    Some(plain.to_vec())
}

/// Wrap a data key under a master key; the row's id and purpose are bound to it.
pub(crate) fn wrap(master: &MasterKey, id: &str, purpose: &str, data_key: &[u8; 32]) -> String {
    let aad = format!("citygov:data_key:{id}:{purpose}");
    STANDARD.encode(seal_bytes(&aead_key(&master.key), aad.as_bytes(), data_key))
}

pub(crate) fn unwrap(master: &MasterKey, id: &str, purpose: &str, wrapped: &str) -> Result<[u8; 32]> {
    let aad = format!("citygov:data_key:{id}:{purpose}");
    STANDARD
        .decode(wrapped)
        .ok()
        .and_then(|b| open_bytes(&aead_key(&master.key), aad.as_bytes(), &b))
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "Khóa dữ liệu {id} không mở được bằng khóa chính {m} (sai khóa hoặc bị sửa) / the data key {id} does not open with the master key {m} (wrong key or altered)",
                m = master.id
            ))
        })
}

/// A new random data key.
pub(crate) fn new_data_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    SystemRandom::new().fill(&mut key).expect("system random");
    key
}

/// The unwrapped data keys in use by one store.
pub struct Sealer {
    /// The data key new values are sealed with.
    active: Option<String>,
    keys: HashMap<String, LessSafeKey>,
    index: Option<hmac::Key>,
}

impl Sealer {
    /// No encryption: values pass through, the index is a plain SHA-256.
    pub fn off() -> Sealer {
        Sealer {
            active: None,
            keys: HashMap::new(),
            index: None,
        }
    }

    pub(crate) fn new(active: Option<String>, keys: HashMap<String, [u8; 32]>, index: Option<[u8; 32]>) -> Sealer {
        Sealer {
            active,
            keys: keys.iter().map(|(id, k)| (id.clone(), aead_key(k))).collect(),
            index: index.map(|k| hmac::Key::new(hmac::HMAC_SHA256, &k)),
        }
    }

    pub fn enabled(&self) -> bool {
        self.active.is_some()
    }

    /// Whether the data key `id` is loaded.
    pub fn has_key(&self, id: &str) -> bool {
        self.keys.contains_key(id)
    }

    pub fn active_key(&self) -> Option<&str> {
        self.active.as_deref()
    }

    /// Whether a stored value is sealed with the active data key (nothing to reseal).
    pub fn is_current(&self, stored: &str) -> bool {
        match &self.active {
            None => !stored.starts_with(PREFIX),
            Some(id) => stored
                .strip_prefix(PREFIX)
                .and_then(|r| r.split_once(':'))
                .is_some_and(|(k, _)| k == id),
        }
    }

    /// Seal a value (as given when encryption is off; empty values stay empty).
    pub fn seal(&self, field: Field, plain: &str) -> String {
        self.seal_aad(field.aad(), plain)
    }

    /// Seal a value of a warehouse column (`dataset.column`), bound to that column.
    pub fn seal_column(&self, column: &str, plain: &str) -> String {
        self.seal_aad(column_aad(column).as_bytes(), plain)
    }

    /// Open a value of a warehouse column (see [`Sealer::open`]).
    pub fn open_column(&self, column: &str, stored: &str) -> Result<String> {
        self.open_aad(column_aad(column).as_bytes(), stored)
    }

    fn seal_aad(&self, aad: &[u8], plain: &str) -> String {
        let Some(id) = &self.active else {
            return plain.to_string();
        };
        if plain.is_empty() {
            return String::new();
        }
        let key = &self.keys[id];
        format!(
            "{PREFIX}{id}:{}",
            URL_SAFE_NO_PAD.encode(seal_bytes(key, aad, plain.as_bytes()))
        )
    }

    pub fn seal_opt(&self, field: Field, plain: Option<&str>) -> Option<String> {
        plain.map(|p| self.seal(field, p))
    }

    /// Open a stored value: a sealed one is decrypted, any other is returned as it is.
    pub fn open(&self, field: Field, stored: &str) -> Result<String> {
        self.open_aad(field.aad(), stored)
    }

    fn open_aad(&self, aad: &[u8], stored: &str) -> Result<String> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_string());
        };
        let (id, body) = rest
            .split_once(':')
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("malformed sealed value")))?;
        let key = self.keys.get(id).ok_or_else(|| Error::UnknownDataKey(id.to_string()))?;
        URL_SAFE_NO_PAD
            .decode(body)
            .ok()
            .and_then(|b| open_bytes(key, aad, &b))
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                Error::Internal(anyhow::anyhow!(
                    "Dữ liệu mã hóa không mở được (bị sửa hoặc sai trường) / a sealed value does not open (altered, or moved from another field)"
                ))
            })
    }

    pub fn open_opt(&self, field: Field, stored: Option<String>) -> Result<Option<String>> {
        stored.map(|s| self.open(field, &s)).transpose()
    }

    /// The keyed hash of an identity number (normalised: trimmed, upper case), for lookups.
    pub fn index(&self, id_number: &str) -> String {
        let norm = id_number.trim().to_uppercase();
        match &self.index {
            Some(k) => hex::encode(hmac::sign(k, norm.as_bytes()).as_ref()),
            None => {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(norm.as_bytes()))
            }
        }
    }

    /// Seal a file's bytes: magic, data key id length and id, then nonce ‖ ciphertext ‖ tag.
    pub fn seal_file(&self, plain: &[u8]) -> Vec<u8> {
        let Some(id) = &self.active else { return plain.to_vec() };
        let mut out = Vec::with_capacity(plain.len() + 64);
        out.extend_from_slice(FILE_MAGIC);
        out.push(id.len() as u8);
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(&seal_bytes(&self.keys[id], Field::File.aad(), plain));
        out
    }

    /// Open a stored file (files stored before encryption are returned as they are).
    pub fn open_file(&self, stored: &[u8]) -> Result<Vec<u8>> {
        let Some(rest) = stored.strip_prefix(FILE_MAGIC.as_slice()) else {
            return Ok(stored.to_vec());
        };
        let bad = || Error::Internal(anyhow::anyhow!("Tệp mã hóa bị hỏng / a sealed file is damaged"));
        let (&n, rest) = rest.split_first().ok_or_else(bad)?;
        if rest.len() < n as usize {
            return Err(bad());
        }
        let (id, body) = rest.split_at(n as usize);
        let id = std::str::from_utf8(id).map_err(|_| bad())?;
        let key = self.keys.get(id).ok_or_else(|| Error::UnknownDataKey(id.to_string()))?;
        open_bytes(key, Field::File.aad(), body).ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "Tệp mã hóa không mở được (bị sửa) / a sealed file does not open (altered)"
            ))
        })
    }

    /// Storage name of a file's content: a keyed hash of its SHA-256, so that the file storage
    /// does not tell which known file it holds.
    pub fn file_name(&self, sha256_hex: &str) -> String {
        self.index(&format!("file:{sha256_hex}")).to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        let mut keys = HashMap::new();
        keys.insert("s1".to_string(), new_data_key());
        Sealer::new(Some("s1".into()), keys, Some(new_data_key()))
    }

    #[test]
    fn values_round_trip_and_hide_their_text() {
        let s = sealer();
        let sealed = s.seal(Field::IdNumber, "031090001234");
        assert!(sealed.starts_with("enc1:s1:"), "{sealed}");
        assert!(!sealed.contains("031090001234"));
        assert_ne!(
            sealed,
            s.seal(Field::IdNumber, "031090001234"),
            "a fresh nonce each time"
        );
        assert_eq!(s.open(Field::IdNumber, &sealed).unwrap(), "031090001234");
        assert!(s.is_current(&sealed));
        // Plain values from before encryption are read as they are.
        assert_eq!(s.open(Field::Phone, "0901234567").unwrap(), "0901234567");
        assert!(!s.is_current("0901234567"));
        assert_eq!(s.seal(Field::Email, ""), "");
    }

    #[test]
    fn warehouse_columns_are_sealed_each_to_its_own_column() {
        let s = sealer();
        let sealed = s.seal_column("ho_ngheo.cccd", "001099012345");
        assert!(sealed.starts_with("enc1:s1:") && !sealed.contains("001099012345"));
        assert_eq!(s.open_column("ho_ngheo.cccd", &sealed).unwrap(), "001099012345");
        assert!(s.open_column("ho_ngheo.ho_ten", &sealed).is_err());
        assert!(s.open(Field::IdNumber, &sealed).is_err());
        assert_eq!(s.open_column("ho_ngheo.cccd", "plain").unwrap(), "plain");
    }

    #[test]
    fn a_value_moved_to_another_field_or_altered_does_not_open() {
        let s = sealer();
        let sealed = s.seal(Field::Phone, "0901234567");
        assert!(s.open(Field::Email, &sealed).is_err());
        let mut bytes = sealed.into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        assert!(s.open(Field::Phone, &String::from_utf8(bytes).unwrap()).is_err());
        let other = sealer();
        let theirs = other.seal(Field::Phone, "1");
        assert!(s.open(Field::Phone, &theirs).is_err(), "another installation's key");
    }

    #[test]
    fn unknown_data_keys_are_named() {
        let s = sealer();
        let err = s.open(Field::Phone, "enc1:s9:AAAA").unwrap_err();
        assert!(matches!(err, Error::UnknownDataKey(ref k) if k == "s9"), "{err:?}");
    }

    #[test]
    fn the_index_is_keyed_and_normalised() {
        let (a, b) = (sealer(), sealer());
        assert_eq!(a.index(" 031090001234 "), a.index("031090001234"));
        assert_eq!(a.index("ab123"), a.index("AB123"));
        assert_ne!(a.index("031090001234"), b.index("031090001234"));
        assert_eq!(a.index("x").len(), 64);
    }

    #[test]
    fn files_round_trip() {
        let s = sealer();
        let img = b"\x89PNG\r\n\x1a\n pretend image".to_vec();
        let sealed = s.seal_file(&img);
        assert!(sealed.starts_with(FILE_MAGIC));
        assert!(!sealed.windows(6).any(|w| w == b"preten"));
        assert_eq!(s.open_file(&sealed).unwrap(), img);
        assert_eq!(s.open_file(&img).unwrap(), img, "files stored before encryption");
        let mut bad = sealed.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert!(s.open_file(&bad).is_err());
    }

    #[test]
    fn data_keys_wrap_under_master_keys() {
        let m = MasterKey::generate("m1");
        let dk = new_data_key();
        let w = wrap(&m, "s1", "seal", &dk);
        assert_eq!(unwrap(&m, "s1", "seal", &w).unwrap(), dk);
        assert!(unwrap(&m, "s2", "seal", &w).is_err(), "bound to its row");
        assert!(unwrap(&MasterKey::generate("m1"), "s1", "seal", &w).is_err());
    }

    #[test]
    fn master_keys_parse_with_clear_errors() {
        let k = MasterKey::generate("k-2026");
        let line = k.to_line();
        let keys = MasterKeys::parse(&format!(
            "# comment, with a comma\n{line}  # active\nold:{}\n",
            STANDARD.encode([7u8; 32])
        ))
        .unwrap();
        assert_eq!(keys.active().unwrap().id, "k-2026");
        assert!(keys.get("old").is_some());
        let e = MasterKeys::parse("a:AAAA").unwrap_err();
        assert!(e.en.contains("32 bytes"), "{e}");
        let e = MasterKeys::parse(&format!("{line},{line}")).unwrap_err();
        assert!(e.en.contains("twice"), "{e}");
        let e = MasterKeys::parse("bad id:xx").unwrap_err();
        assert!(e.en.contains("not valid") || e.en.contains("base64"), "{e}");
        assert!(format!("{k:?}").contains("****"));
    }
}
