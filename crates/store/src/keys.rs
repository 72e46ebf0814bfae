//! The store's data keys for personal data ([`crate::sealing`]): loaded (and rewrapped under the
//! active master key) when the store opens, reloaded when a value names a key made by another
//! process, rotated, and the stored values and files moved to the active key by
//! [`Store::reseal`].

use crate::files::{FileStore, sealed_storage_key};
use crate::sealing::{self, Field, MasterKey, Sealer};
use crate::{AuditRecord, Error, Result, Store, ts};
use citygov_domain::LocalTime;
use citygov_domain::dossier::Dossier;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};
use std::collections::HashMap;
use std::sync::Arc;

/// A row of `data_keys`, without its key.
#[derive(Debug, Clone, Serialize)]
pub struct DataKeyInfo {
    pub id: String,
    pub purpose: String,
    pub master_key_id: String,
    pub created_at: String,
    pub retired_at: Option<String>,
}

/// What `citygov keys status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct KeyStatus {
    pub enabled: bool,
    pub active_master_key: Option<String>,
    pub master_keys: Vec<String>,
    pub active_data_key: Option<String>,
    pub data_keys: Vec<DataKeyInfo>,
    /// Values not yet sealed with the active data key (or without their lookup hash).
    pub pending: ResealCounts,
}

/// Rows per table: resealed by [`Store::reseal`], or waiting for it.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct ResealCounts {
    pub accounts: u64,
    pub dossiers: u64,
    pub notifications: u64,
    /// Uploaded and result files (rows of `files`; identical uploads share one stored
    /// content, moved once for all of them).
    pub files: u64,
}

impl ResealCounts {
    pub fn total(&self) -> u64 {
        self.accounts + self.dossiers + self.notifications + self.files
    }
}

struct KeyRow {
    id: String,
    purpose: String,
    seq: i64,
    master_key_id: String,
    wrapped: String,
    created_at: String,
    retired_at: Option<String>,
}

/// Rows resealed per transaction.
const BATCH: i64 = 500;

/// An update of one row by the reseal, bound with its values.
type RowUpdate = sqlx::query::Query<'static, sqlx::Any, AnyArguments>;

/// The dossier's JSON with the applicant's identity number, phone and e-mail sealed.
pub(crate) fn sealed_doc(s: &Sealer, d: &Dossier) -> String {
    if !s.enabled() {
        return serde_json::to_string(d).expect("dossier serialises");
    }
    let mut c = d.clone();
    c.applicant.id_number = s.seal(Field::IdNumber, &d.applicant.id_number);
    c.applicant.phone = s.seal_opt(Field::Phone, d.applicant.phone.as_deref());
    c.applicant.email = s.seal_opt(Field::Email, d.applicant.email.as_deref());
    serde_json::to_string(&c).expect("dossier serialises")
}

/// A dossier read from its stored JSON, its sealed fields opened.
pub(crate) fn open_doc(s: &Sealer, doc: &str) -> Result<Dossier> {
    let mut d: Dossier = serde_json::from_str(doc).map_err(|e| Error::Internal(e.into()))?;
    d.applicant.id_number = s.open(Field::IdNumber, &d.applicant.id_number)?;
    d.applicant.phone = s.open_opt(Field::Phone, d.applicant.phone.take())?;
    d.applicant.email = s.open_opt(Field::Email, d.applicant.email.take())?;
    Ok(d)
}

/// Whether a stored dossier JSON has every sealed field under the active key.
fn doc_is_current(s: &Sealer, doc: &str) -> Result<bool> {
    let d: Dossier = serde_json::from_str(doc).map_err(|e| Error::Internal(e.into()))?;
    Ok(s.is_current(&d.applicant.id_number)
        && d.applicant
            .phone
            .as_deref()
            .is_none_or(|v| v.is_empty() || s.is_current(v))
        && d.applicant
            .email
            .as_deref()
            .is_none_or(|v| v.is_empty() || s.is_current(v)))
}

fn current_opt(s: &Sealer, v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|v| v.is_empty() || s.is_current(v))
}

impl Store {
    /// The data keys in use (a cheap handle; it does not change under the caller).
    pub fn sealer(&self) -> Arc<Sealer> {
        self.sealer.read().expect("sealer lock").clone()
    }

    /// Run `f` with the current keys; when a value names a data key made by another process
    /// since they were loaded, reload them and run it once more.
    pub(crate) async fn unsealing<T>(&self, f: impl Fn(&Sealer) -> Result<T>) -> Result<T> {
        match f(&self.sealer()) {
            Err(Error::UnknownDataKey(id)) => {
                self.reload_data_keys(Some(&id)).await?;
                f(&self.sealer()).map_err(|e| match e {
                    Error::UnknownDataKey(id) => Error::Internal(anyhow::anyhow!(
                        "Dữ liệu được mã hóa bằng khóa dữ liệu {id} mà cơ sở dữ liệu không có / a value is sealed with the data key {id}, which the database does not hold"
                    )),
                    e => e,
                })
            }
            r => r,
        }
    }

    async fn data_key_rows(&self) -> Result<Vec<KeyRow>> {
        let rows = sqlx::query(
            "SELECT id, purpose, seq, master_key_id, wrapped, created_at, retired_at FROM data_keys ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KeyRow {
                    id: r.try_get("id")?,
                    purpose: r.try_get("purpose")?,
                    seq: r.try_get("seq")?,
                    master_key_id: r.try_get("master_key_id")?,
                    wrapped: r.try_get("wrapped")?,
                    created_at: r.try_get("created_at")?,
                    retired_at: r.try_get("retired_at")?,
                })
            })
            .collect()
    }

    /// Insert a data key row, wrapped by `master` (the active master key, which the caller has
    /// loaded), unless its id exists (two processes may race to make the first keys; the ids
    /// are sequential, so both end up with the same one).
    async fn insert_data_key(&self, master: &MasterKey, id: &str, purpose: &str, seq: i64, at: &str) -> Result<()> {
        let wrapped = sealing::wrap(master, id, purpose, &sealing::new_data_key());
        sqlx::query(
            "INSERT INTO data_keys (id, purpose, seq, master_key_id, wrapped, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(purpose.to_string())
        .bind(seq)
        .bind(master.id.clone())
        .bind(wrapped)
        .bind(at.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Reload the data keys for a value sealed with the `missing` one, unless they hold it by
    /// the time this caller's turn comes (another caller loaded it meanwhile): requests, and
    /// warehouse queries, that meet a new key at once load the keys once. Loads never overlap.
    pub async fn reload_data_keys(&self, missing: Option<&str>) -> Result<()> {
        let mut loads = self.key_load_turn.lock().await;
        if missing.is_some_and(|id| self.sealer().has_key(id)) {
            return Ok(());
        }
        *loads += 1;
        self.load_data_keys_now().await
    }

    /// Load the data keys with the master keys: make the first ones when there are none, and
    /// rewrap under the active master key those wrapped by an older one.
    pub async fn load_data_keys(&self) -> Result<()> {
        let mut loads = self.key_load_turn.lock().await;
        *loads += 1;
        self.load_data_keys_now().await
    }

    /// How many times this handle has loaded the data keys (each load reads and unwraps the
    /// key rows): at opening, after a rotation, and when a value names a key made elsewhere.
    pub async fn data_key_loads(&self) -> u64 {
        *self.key_load_turn.lock().await
    }

    /// [`Store::load_data_keys`] within its turn.
    async fn load_data_keys_now(&self) -> Result<()> {
        let masters = self.keys.load()?;
        let Some(active_master) = masters.active() else {
            *self.sealer.write().expect("sealer lock") = Arc::new(Sealer::off());
            return Ok(());
        };
        let now = ts(&citygov_domain::now_local());
        let mut rows = self.data_key_rows().await?;
        let next_seq = rows.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        let mut made = false;
        if !rows.iter().any(|r| r.purpose == "index") {
            self.insert_data_key(active_master, "i1", "index", 0, &now).await?;
            made = true;
        }
        if !rows.iter().any(|r| r.purpose == "seal" && r.retired_at.is_none()) {
            self.insert_data_key(active_master, &format!("s{next_seq}"), "seal", next_seq, &now)
                .await?;
            made = true;
        }
        if made {
            rows = self.data_key_rows().await?;
        }
        let mut keys = HashMap::new();
        let mut index = None;
        for r in &rows {
            let master = masters.get(&r.master_key_id).ok_or_else(|| {
                Error::Internal(anyhow::anyhow!(
                    "Khóa dữ liệu {} được bọc bằng khóa chính «{}» không có trong cấu hình / the data key {} is wrapped by the master key “{}”, which is not configured",
                    r.id,
                    r.master_key_id,
                    r.id,
                    r.master_key_id
                ))
            })?;
            let key = sealing::unwrap(master, &r.id, &r.purpose, &r.wrapped)?;
            if master.id != active_master.id {
                // Rotation of the master key: only the few data-key rows change.
                sqlx::query(
                    "UPDATE data_keys SET wrapped = $1, master_key_id = $2 WHERE id = $3 AND master_key_id = $4",
                )
                .bind(sealing::wrap(active_master, &r.id, &r.purpose, &key))
                .bind(active_master.id.clone())
                .bind(r.id.clone())
                .bind(r.master_key_id.clone())
                .execute(&self.pool)
                .await?;
            }
            if r.purpose == "index" {
                index = Some(key);
            } else {
                keys.insert(r.id.clone(), key);
            }
        }
        let active = rows
            .iter()
            .filter(|r| r.purpose == "seal" && r.retired_at.is_none())
            .max_by_key(|r| r.seq)
            .map(|r| r.id.clone());
        *self.sealer.write().expect("sealer lock") = Arc::new(Sealer::new(active, keys, index));
        Ok(())
    }

    /// Make a new data key for new values (the earlier ones stay, to read older values until
    /// [`Store::reseal`] moves them). Returns its id.
    pub async fn rotate_data_key(&self, now: LocalTime, actor: &str) -> Result<String> {
        let masters = self.keys.load()?;
        let Some(master) = masters.active() else {
            return Err(Error::invalid(citygov_domain::Problem::new(
                "encryption_off",
                "Chưa cấu hình khóa chính nên không mã hóa dữ liệu cá nhân.",
                "No master key is configured, so personal data is not encrypted.",
            )));
        };
        let rows = self.data_key_rows().await?;
        let seq = rows.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        let id = format!("s{seq}");
        let at = ts(&now);
        self.insert_data_key(master, &id, "seal", seq, &at).await?;
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE data_keys SET retired_at = $1 WHERE purpose = 'seal' AND retired_at IS NULL AND id <> $2")
            .bind(at.clone())
            .bind(id.clone())
            .execute(&mut *w.tx)
            .await?;
        w.audit(
            now,
            AuditRecord {
                actor_id: None,
                actor_name: actor.to_string(),
                action: "keys.data_key_rotated".into(),
                entity_type: "data_key".into(),
                entity_id: id.clone(),
                detail: serde_json::json!({ "data_key": id }),
            },
        );
        w.commit().await?;
        self.load_data_keys().await?;
        Ok(id)
    }

    /// The keys and how many stored values still wait for the active data key.
    pub async fn key_status(&self) -> Result<KeyStatus> {
        let masters = self.keys.load()?;
        let rows = self.data_key_rows().await?;
        let s = self.sealer();
        Ok(KeyStatus {
            enabled: s.enabled(),
            active_master_key: masters.active().map(|m| m.id.clone()),
            master_keys: masters.0.iter().map(|m| m.id.clone()).collect(),
            active_data_key: s.active_key().map(str::to_string),
            data_keys: rows
                .into_iter()
                .map(|r| DataKeyInfo {
                    id: r.id,
                    purpose: r.purpose,
                    master_key_id: r.master_key_id,
                    created_at: r.created_at,
                    retired_at: r.retired_at,
                })
                .collect(),
            pending: self.reseal_pass(None).await?,
        })
    }

    /// Whether any stored value or file waits for the active data key. Reads the columns only,
    /// one row at most, so that `citygov serve` can ask at every start without reading every
    /// dossier (the JSON of a dossier is sealed in the same write as its identity-number
    /// column) or any file (its storage key names its data key).
    pub async fn reseal_needed(&self) -> Result<bool> {
        let s = self.sealer();
        let Some(active) = s.active_key() else { return Ok(false) };
        let files = sqlx::query("SELECT 1 AS x FROM files WHERE storage_key NOT LIKE $1 LIMIT 1")
            .bind(format!("sealed/{active}/%"))
            .fetch_optional(&self.pool)
            .await?;
        if files.is_some() {
            return Ok(true);
        }
        let current = format!("{}{active}:%", sealing::PREFIX);
        for sql in [
            "SELECT 1 AS x FROM accounts WHERE (COALESCE(id_number, '') <> '' AND (id_number NOT LIKE $1 OR id_number_index IS NULL))
             OR (COALESCE(email, '') <> '' AND email NOT LIKE $1) OR (COALESCE(phone, '') <> '' AND phone NOT LIKE $1) LIMIT 1",
            "SELECT 1 AS x FROM dossiers WHERE applicant_id_number <> '' AND (applicant_id_number NOT LIKE $1 OR applicant_id_index IS NULL) LIMIT 1",
            "SELECT 1 AS x FROM notifications WHERE COALESCE(email, '') <> '' AND email NOT LIKE $1 LIMIT 1",
        ] {
            if sqlx::query(sql).bind(current.clone()).fetch_optional(&self.pool).await?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Seal every stored value and file in `files` with the active data key (and fill the
    /// lookup hashes), in small transactions, while the platform keeps serving: a row changed
    /// meanwhile is left for the next pass. Returns how many rows changed.
    pub async fn reseal(&self, files: &dyn FileStore) -> Result<ResealCounts> {
        self.reseal_pass(Some(files)).await
    }

    /// Reseal with `files`, or only count what waits when `None`.
    async fn reseal_pass(&self, files: Option<&dyn FileStore>) -> Result<ResealCounts> {
        let count_only = files.is_none();
        let mut out = ResealCounts::default();
        let s = self.sealer();
        // Accounts.
        out.accounts = self
            .reseal_rows::<String>(
                "SELECT id, id_number, email, phone, id_number_index FROM accounts WHERE id > $1 ORDER BY id LIMIT $2",
                "id",
                count_only,
                |r| {
                    let (id, idn, email, phone, idx): (
                        String,
                        Option<String>,
                        Option<String>,
                        Option<String>,
                        Option<String>,
                    ) = (
                        r.try_get("id")?,
                        r.try_get("id_number")?,
                        r.try_get("email")?,
                        r.try_get("phone")?,
                        r.try_get("id_number_index")?,
                    );
                    let plain_idn = s.open_opt(Field::IdNumber, idn.clone())?;
                    let want_idx = plain_idn.as_deref().filter(|v| !v.is_empty()).map(|v| s.index(v));
                    if current_opt(&s, &idn) && current_opt(&s, &email) && current_opt(&s, &phone) && idx == want_idx {
                        return Ok(None);
                    }
                    Ok(Some(
                        sqlx::query(
                            "UPDATE accounts SET id_number = $1, email = $2, phone = $3, id_number_index = $4
                             WHERE id = $5 AND COALESCE(id_number, '') = $6 AND COALESCE(email, '') = $7 AND COALESCE(phone, '') = $8",
                        )
                        .bind(s.seal_opt(Field::IdNumber, plain_idn.as_deref()))
                        .bind(s.seal_opt(Field::Email, s.open_opt(Field::Email, email.clone())?.as_deref()))
                        .bind(s.seal_opt(Field::Phone, s.open_opt(Field::Phone, phone.clone())?.as_deref()))
                        .bind(want_idx)
                        .bind(id)
                        .bind(idn.unwrap_or_default())
                        .bind(email.unwrap_or_default())
                        .bind(phone.unwrap_or_default()),
                    ))
                },
            )
            .await?;
        // Dossiers: the identity-number column, its hash and the applicant inside the JSON.
        out.dossiers = self
            .reseal_rows::<String>(
                "SELECT id, version, applicant_id_number, applicant_id_index, doc FROM dossiers WHERE id > $1 ORDER BY id LIMIT $2",
                "id",
                count_only,
                |r| {
                    let (id, version, idn, idx, doc): (String, i64, String, Option<String>, String) = (
                        r.try_get("id")?,
                        r.try_get("version")?,
                        r.try_get("applicant_id_number")?,
                        r.try_get("applicant_id_index")?,
                        r.try_get("doc")?,
                    );
                    let plain = s.open(Field::IdNumber, &idn)?;
                    let want_idx = s.index(&plain);
                    if (idn.is_empty() || s.is_current(&idn))
                        && idx.as_deref() == Some(want_idx.as_str())
                        && doc_is_current(&s, &doc)?
                    {
                        return Ok(None);
                    }
                    let d = open_doc(&s, &doc)?;
                    Ok(Some(
                        sqlx::query(
                            "UPDATE dossiers SET applicant_id_number = $1, applicant_id_index = $2, doc = $3 WHERE id = $4 AND version = $5 AND applicant_id_number = $6",
                        )
                        .bind(s.seal(Field::IdNumber, &plain))
                        .bind(want_idx)
                        .bind(sealed_doc(&s, &d))
                        .bind(id)
                        .bind(version)
                        .bind(idn),
                    ))
                },
            )
            .await?;
        // Notification e-mail addresses.
        out.notifications = self
            .reseal_rows::<i64>(
                "SELECT id, email FROM notifications WHERE id > $1 AND email IS NOT NULL ORDER BY id LIMIT $2",
                "id",
                count_only,
                |r| {
                    let (id, email): (i64, String) = (r.try_get("id")?, r.try_get("email")?);
                    if email.is_empty() || s.is_current(&email) {
                        return Ok(None);
                    }
                    let plain = s.open(Field::Email, &email)?;
                    Ok(Some(
                        sqlx::query("UPDATE notifications SET email = $1 WHERE id = $2 AND email = $3")
                            .bind(s.seal(Field::Email, &plain))
                            .bind(id)
                            .bind(email),
                    ))
                },
            )
            .await?;
        // Files: each stored content not under the active key (sealed with an older one, named
        // before storage keys named their data key, or stored before encryption), once for all
        // the rows that share it.
        if let Some(active) = s.active_key() {
            let mut after = String::new();
            loop {
                let rows = sqlx::query(
                    "SELECT storage_key, MIN(sha256) AS sha256, COUNT(*) AS n FROM files \
                     WHERE storage_key > $1 AND storage_key NOT LIKE $2 GROUP BY storage_key ORDER BY storage_key LIMIT $3",
                )
                .bind(after.clone())
                .bind(format!("sealed/{active}/%"))
                .bind(BATCH)
                .fetch_all(&self.pool)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.try_get("storage_key")?;
                for r in &rows {
                    let (key, sha, n): (String, String, i64) =
                        (r.try_get("storage_key")?, r.try_get("sha256")?, r.try_get("n")?);
                    out.files += match files {
                        None => n as u64,
                        Some(fs) => self.reseal_file(fs, &key, &sha).await?,
                    };
                }
            }
        }
        Ok(out)
    }

    /// One reseal pass over a table, in pages of [`BATCH`] rows after the `cursor` column
    /// (`select` binds the cursor as `$1` and the page size as `$2`). `change` gives a row's
    /// update when it is not under the active key (`None` when it is); each page's updates run
    /// in one transaction, none with `count_only`. Returns how many rows needed a change.
    async fn reseal_rows<K>(
        &self,
        select: &'static str,
        cursor: &str,
        count_only: bool,
        mut change: impl FnMut(&AnyRow) -> Result<Option<RowUpdate>>,
    ) -> Result<u64>
    where
        K: Default + Clone + Send + sqlx::Type<sqlx::Any> + for<'q> sqlx::Encode<'q, sqlx::Any>,
        K: for<'r> sqlx::Decode<'r, sqlx::Any> + 'static,
    {
        let mut changed = 0;
        let mut after = K::default();
        loop {
            let rows = sqlx::query(select)
                .bind(after.clone())
                .bind(BATCH)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get(cursor)?;
            let mut updates = Vec::new();
            for r in &rows {
                if let Some(u) = change(r)? {
                    updates.push(u);
                }
            }
            changed += updates.len() as u64;
            if count_only || updates.is_empty() {
                continue;
            }
            let mut w = self.begin_write().await?;
            for u in updates {
                u.execute(&mut *w.tx).await?;
            }
            w.commit().await?;
        }
        Ok(changed)
    }

    /// Move one stored content to the active data key; returns how many file rows now name the
    /// new copy. The new copy is written first, then the rows switch to it in one transaction
    /// that also queues the old copy for deletion, then the old copy is deleted. A crash at any
    /// step leaves every row naming a copy that exists (the old one before the switch, the new
    /// one after it); an old copy left behind stays queued in `file_erasures`, where the
    /// retention job deletes it. A copy that cannot be read, or whose content does not match
    /// its recorded hash, is logged and left as it is (and still counted as waiting).
    async fn reseal_file(&self, fs: &dyn FileStore, old: &str, sha: &str) -> Result<u64> {
        let stored = match fs.get(old).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(storage_key = old, error = %e, "a stored file cannot be read; left for the next reseal");
                return Ok(0);
            }
        };
        let plain = self.unsealing(|s| s.open_file(&stored)).await?;
        if hex::encode(Sha256::digest(&plain)) != sha {
            tracing::warn!(
                storage_key = old,
                "a stored file does not match its recorded hash; left as it is"
            );
            return Ok(0);
        }
        let s = self.sealer();
        let Some(new) = sealed_storage_key(&s, sha) else {
            return Ok(0);
        };
        if new == old {
            return Ok(0);
        }
        fs.put(&new, &s.seal_file(&plain)).await.map_err(Error::Internal)?;
        let mut w = self.begin_write().await?;
        let moved = sqlx::query("UPDATE files SET storage_key = $1 WHERE storage_key = $2")
            .bind(new)
            .bind(old.to_string())
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        sqlx::query(
            "INSERT INTO file_erasures (storage_key, queued_at) VALUES ($1, $2) ON CONFLICT (storage_key) DO NOTHING",
        )
        .bind(old.to_string())
        .bind(ts(&citygov_domain::now_local()))
        .execute(&mut *w.tx)
        .await?;
        w.commit().await?;
        // Deleted unless a row names the old copy again (an upload by a process that has not
        // loaded the new key yet): then the retention job decides later, as for any erasure.
        let used: i64 = sqlx::query("SELECT COUNT(*) AS n FROM files WHERE storage_key = $1")
            .bind(old.to_string())
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        if used == 0 {
            fs.delete(old).await.map_err(Error::Internal)?;
            sqlx::query("DELETE FROM file_erasures WHERE storage_key = $1")
                .bind(old.to_string())
                .execute(&self.pool)
                .await?;
        }
        Ok(moved)
    }
}
