//! Attachments and result files: checked at the edge (size limit, type allowlist verified by
//! the file's own bytes, SHA-256 kept), stored behind [`FileStore`] so that object storage can
//! replace the local folder, and recorded in the `files` table.

use crate::sealing::Sealer;
use crate::{Error, Result, Store, ts};
use citygov_domain::LocalTime;
use citygov_domain::dossier::FileRef;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where file bytes live. Keys are content addresses (`sha256/ab/cd/<hash>`).
pub trait FileStore: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> BoxFuture<'a, anyhow::Result<()>>;
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<Vec<u8>>>;
    /// Delete a content (the retention job, once no file uses it). Deleting what is not
    /// there succeeds, so an interrupted erasure can be repeated.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move { anyhow::bail!("this file store cannot delete {key}") })
    }
}

/// Files in a local folder, written atomically (temporary file, fsync, rename).
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    pub fn new(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(LocalFileStore { root })
    }

    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        if key.split('/').any(|p| p.is_empty() || p == "." || p == "..") || key.contains('\\') {
            anyhow::bail!("bad storage key {key:?}");
        }
        Ok(self.root.join(key))
    }
}

impl FileStore for LocalFileStore {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let path = self.path(key)?;
            if tokio::fs::try_exists(&path).await? {
                return Ok(()); // content-addressed: same key, same bytes
            }
            let dir = path.parent().expect("key has a folder").to_path_buf();
            tokio::fs::create_dir_all(&dir).await?;
            let tmp = dir.join(format!(".tmp-{}", uuid::Uuid::new_v4()));
            let data = bytes.to_vec();
            let tmp2 = tmp.clone();
            tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                use std::io::Write;
                let mut f = std::fs::File::create(&tmp2)?;
                f.write_all(&data)?;
                f.sync_all()
            })
            .await??;
            tokio::fs::rename(&tmp, &path).await?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<Vec<u8>>> {
        Box::pin(async move { Ok(tokio::fs::read(self.path(key)?).await?) })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e.into()),
            }
        })
    }
}

/// Where a file sealed with the active data key is stored: `sealed/{data key}/ab/cd/{name}`,
/// the name keyed so that it does not reveal the content's hash. The data key in the path lets
/// [`Store::reseal`] find the files waiting for a newer key from their rows alone, and gives
/// the resealed copy a name of its own (identical uploads share one stored content per key).
/// `None` when encryption is off.
pub(crate) fn sealed_storage_key(sealer: &Sealer, sha256_hex: &str) -> Option<String> {
    let key_id = sealer.active_key()?;
    let name = sealer.file_name(sha256_hex);
    Some(format!("sealed/{key_id}/{}/{}/{}", &name[0..2], &name[2..4], name))
}

/// The data key a storage key names: `None` for files stored in clear (`sha256/…`) and for
/// those sealed before storage keys named their data key (`sealed/ab/cd/…`).
pub fn storage_data_key(storage_key: &str) -> Option<&str> {
    let parts: Vec<&str> = storage_key.split('/').collect();
    match parts.as_slice() {
        ["sealed", key, _, _, _] => Some(key),
        _ => None,
    }
}

// Upload checks are pure rules of the domain crate (fuzzed there); re-exported for callers.
pub use citygov_domain::upload::{UploadPolicy, allowed_extensions, check_upload};

impl Store {
    /// Store an uploaded file's bytes and record it, owned by `owner` until attached.
    pub async fn save_file(
        &self,
        fs: &dyn FileStore,
        owner: &str,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
        now: LocalTime,
    ) -> Result<FileRef> {
        let sha = hex::encode(Sha256::digest(bytes));
        let sealer = self.sealer();
        let key = if let Some(key) = sealed_storage_key(&sealer, &sha) {
            // Sealed with the active data key, under a name that does not reveal the content.
            fs.put(&key, &sealer.seal_file(bytes)).await.map_err(Error::Internal)?;
            key
        } else {
            let key = format!("sha256/{}/{}/{}", &sha[0..2], &sha[2..4], sha);
            fs.put(&key, bytes).await.map_err(Error::Internal)?;
            key
        };
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query("INSERT INTO files (id, owner, file_name, content_type, size, sha256, storage_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id.clone())
            .bind(owner.to_string())
            .bind(file_name.to_string())
            .bind(content_type.to_string())
            .bind(bytes.len() as i64)
            .bind(sha.clone())
            .bind(key)
            .bind(ts(&now))
            .execute(&self.pool)
            .await?;
        Ok(FileRef {
            id,
            file_name: file_name.to_string(),
            content_type: content_type.to_string(),
            size: bytes.len() as i64,
            sha256: sha,
        })
    }

    /// A stored file's bytes, opened (files stored before encryption are read as they are).
    pub async fn file_bytes(&self, fs: &dyn FileStore, storage_key: &str) -> Result<Vec<u8>> {
        let stored = fs.get(storage_key).await.map_err(Error::Internal)?;
        self.unsealing(|s| s.open_file(&stored)).await
    }

    /// A file's record: (ref, owner, dossier it is attached to, storage key).
    pub async fn file(&self, id: &str) -> Result<Option<(FileRef, String, Option<String>, String)>> {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT id, owner, file_name, content_type, size, sha256, storage_key, dossier_id FROM files WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((
            FileRef {
                id: r.try_get("id")?,
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size")?,
                sha256: r.try_get("sha256")?,
            },
            r.try_get("owner")?,
            r.try_get("dossier_id")?,
            r.try_get("storage_key")?,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_store_round_trips_and_refuses_escaping_keys() {
        let dir = tempfile::tempdir().unwrap();
        let fs = LocalFileStore::new(dir.path()).unwrap();
        fs.put("sha256/ab/cd/abcd", b"hello").await.unwrap();
        assert_eq!(fs.get("sha256/ab/cd/abcd").await.unwrap(), b"hello");
        assert!(fs.put("../evil", b"x").await.is_err());
        fs.delete("sha256/ab/cd/abcd").await.unwrap();
        assert!(fs.get("sha256/ab/cd/abcd").await.is_err());
        fs.delete("sha256/ab/cd/abcd").await.unwrap();
        assert!(fs.delete("../evil").await.is_err());
    }

    #[test]
    fn storage_keys_name_their_data_key() {
        assert_eq!(storage_data_key("sealed/s2/ab/cd/abcdef"), Some("s2"));
        assert_eq!(storage_data_key("sealed/ab/cd/abcdef"), None);
        assert_eq!(storage_data_key("sha256/ab/cd/abcdef"), None);
    }
}
