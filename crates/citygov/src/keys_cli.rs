//! `citygov keys`: the master keys of the encryption at rest of personal data
//! (docs/personal-data.md). They come from `personal_data_keys` in the configuration, or from
//! a key file (`keys/personal-data.keys` in the data folder unless `personal_data_key_file`
//! says otherwise), made on first use, readable by its owner only.

use crate::audit_cli::{create_keys_dir, create_private};
use crate::config::Config;
use citygov_store::Store;
use citygov_store::sealing::{KeySource, MasterKey, MasterKeys};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const KEY_FILE: &str = "personal-data.keys";

const HEADER: &str = "# Khóa chính mã hóa dữ liệu cá nhân, khóa đang dùng ở dòng đầu / master keys of the personal-data encryption, the active one first\n";

#[derive(Subcommand)]
pub enum KeysCommand {
    /// The master and data keys, and how many stored values wait for the active data key.
    Status {
        #[command(flatten)]
        common: crate::Common,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Start a new data key and reseal every stored value with it while the platform keeps
    /// serving; with --master, first a new master key, which rewraps the data keys and
    /// replaces the old master key in the key file.
    Rotate {
        #[command(flatten)]
        common: crate::Common,
        #[arg(long)]
        master: bool,
    },
    /// Seal every value not yet under the active data key (values stored before encryption,
    /// or a rotation that was interrupted).
    Reseal {
        #[command(flatten)]
        common: crate::Common,
    },
}

/// Where the key file is.
pub fn key_file(cfg: &Config) -> PathBuf {
    if cfg.personal_data_key_file.trim().is_empty() {
        cfg.data_dir.join("keys").join(KEY_FILE)
    } else {
        PathBuf::from(cfg.personal_data_key_file.trim())
    }
}

fn new_key_id() -> String {
    format!("m{}", citygov_domain::now_local().format("%Y%m%d%H%M%S"))
}

/// The master keys' source for the store: the configuration, or the key file (made now, with
/// one new key, when there is none).
pub fn key_source(cfg: &Config) -> anyhow::Result<KeySource> {
    if cfg.personal_data_keys.is_set() {
        let keys = MasterKeys::parse(cfg.personal_data_keys.expose())
            .map_err(|e| anyhow::anyhow!("personal_data_keys: {e}"))?;
        return Ok(KeySource::Given(keys));
    }
    let path = key_file(cfg);
    if !path.exists() {
        if let Some(dir) = path.parent() {
            create_keys_dir(dir)?;
        }
        let key = MasterKey::generate(&new_key_id());
        match create_private(&path, &format!("{HEADER}{}\n", key.to_line())) {
            Ok(()) => {}
            // Another process made it first: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => anyhow::bail!(
                "Không tạo được tệp khóa {p}: {e} / cannot create the key file {p}: {e}",
                p = path.display()
            ),
        }
    }
    let source = KeySource::File(path);
    let keys = source.load()?;
    anyhow::ensure!(
        !keys.is_empty(),
        "Tệp khóa không có khóa nào / the key file holds no key"
    );
    Ok(source)
}

/// Replace the key file with `keys` (written beside it, synced, then renamed over it).
fn write_key_file(path: &Path, keys: &[MasterKey]) -> anyhow::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut text = String::from(HEADER);
    for k in keys {
        text.push_str(&k.to_line());
        text.push('\n');
    }
    create_private(&tmp, &text)?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

fn print_status(s: &citygov_store::keys::KeyStatus) {
    if !s.enabled {
        println!("Mã hóa dữ liệu cá nhân: TẮT / personal-data encryption: OFF");
        return;
    }
    println!("Mã hóa dữ liệu cá nhân: BẬT (AES-256-GCM) / personal-data encryption: ON (AES-256-GCM)");
    println!(
        "Khóa chính đang dùng / active master key: {}  (có / configured: {})",
        s.active_master_key.as_deref().unwrap_or("—"),
        s.master_keys.join(", ")
    );
    println!(
        "Khóa dữ liệu đang dùng / active data key: {}",
        s.active_data_key.as_deref().unwrap_or("—")
    );
    for k in &s.data_keys {
        println!(
            "  {:<6} {:<6} bọc bởi / wrapped by {:<16} tạo / created {}{}",
            k.id,
            k.purpose,
            k.master_key_id,
            k.created_at,
            k.retired_at
                .as_deref()
                .map(|r| format!(", thôi dùng / retired {r}"))
                .unwrap_or_default()
        );
    }
    println!(
        "Chờ mã hóa lại / waiting for a reseal: {} tài khoản / accounts, {} hồ sơ / dossiers, {} thông báo / notifications, {} tệp / files",
        s.pending.accounts, s.pending.dossiers, s.pending.notifications, s.pending.files
    );
}

async fn reseal(store: &Store, cfg: &Config) -> anyhow::Result<()> {
    let files = crate::app::file_store(cfg)?;
    let n = store.reseal(files.as_ref()).await?;
    println!(
        "Đã mã hóa lại / resealed: {} tài khoản / accounts, {} hồ sơ / dossiers, {} thông báo / notifications, {} tệp / files",
        n.accounts, n.dossiers, n.notifications, n.files
    );
    let left = store.key_status().await?.pending;
    if left.total() > 0 {
        println!(
            "Còn {} giá trị hoặc tệp chưa mã hóa lại (đổi trong lúc chạy, hoặc tệp không đọc được: xem nhật ký): chạy lại `citygov keys reseal` / {} values or files are left (changed meanwhile, or files that cannot be read: see the log): run `citygov keys reseal` again",
            left.total(),
            left.total()
        );
    }
    Ok(())
}

pub async fn run(cfg_of: impl Fn(&crate::Common) -> anyhow::Result<Config>, cmd: KeysCommand) -> anyhow::Result<()> {
    match cmd {
        KeysCommand::Status { common, json } => {
            let cfg = cfg_of(&common)?;
            let store = crate::app::open_store(&cfg).await?;
            let s = store.key_status().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                print_status(&s);
            }
            store.close().await;
            Ok(())
        }
        KeysCommand::Reseal { common } => {
            let cfg = cfg_of(&common)?;
            let store = crate::app::open_store(&cfg).await?;
            reseal(&store, &cfg).await?;
            store.close().await;
            Ok(())
        }
        KeysCommand::Rotate { common, master } => {
            let cfg = cfg_of(&common)?;
            let now = citygov_domain::now_local();
            if master {
                anyhow::ensure!(
                    !cfg.personal_data_keys.is_set(),
                    "Khóa chính lấy từ cấu hình (personal_data_keys): hãy thêm khóa mới vào đầu danh sách và khởi động lại từng tiến trình; khi mở, kho dữ liệu bọc lại các khóa dữ liệu bằng khóa mới / the master keys come from the configuration (personal_data_keys): put the new key first in the list and restart each process; on opening, the store rewraps the data keys under it"
                );
                let path = key_file(&cfg);
                let old = match key_source(&cfg)? {
                    KeySource::File(_) => KeySource::File(path.clone()).load()?,
                    _ => unreachable!("keys from the file"),
                };
                let new = MasterKey::generate(&new_key_id());
                let mut both = vec![new.clone()];
                both.extend(old.0.iter().cloned());
                write_key_file(&path, &both)?;
                // Opening rewraps every data key under the new master key…
                let store = crate::app::open_store(&cfg).await?;
                let status = store.key_status().await?;
                anyhow::ensure!(
                    status.data_keys.iter().all(|k| k.master_key_id == new.id),
                    "Chưa bọc lại được mọi khóa dữ liệu; tệp khóa vẫn giữ khóa cũ / not every data key was rewrapped; the key file keeps the old keys"
                );
                // …so the old master keys can go.
                write_key_file(&path, std::slice::from_ref(&new))?;
                println!(
                    "Khóa chính mới / new master key: {} (khóa cũ đã bỏ / old keys removed: {})",
                    new.id,
                    old.0.iter().map(|k| k.id.as_str()).collect::<Vec<_>>().join(", ")
                );
                store.close().await;
            }
            let store = crate::app::open_store(&cfg).await?;
            let id = store.rotate_data_key(now, "citygov keys rotate").await?;
            println!("Khóa dữ liệu mới / new data key: {id}");
            reseal(&store, &cfg).await?;
            store.close().await;
            let _ = std::io::stdout().flush();
            Ok(())
        }
    }
}
