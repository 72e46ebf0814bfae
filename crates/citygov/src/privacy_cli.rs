//! `citygov privacy`: the retention job (docs/privacy.md) from the command line, and the same
//! job run by `citygov serve` every `retention_interval_hours`, the warehouse's old table
//! versions included.

use crate::config::Config;
use citygov_lake::Lake;
use citygov_store::privacy::RetentionReport;
use citygov_store::{FileStore, LocalFileStore, Store};
use clap::Subcommand;
use std::sync::Arc;
use std::time::Duration;

#[derive(Subcommand)]
pub enum PrivacyCommand {
    /// Erase what is kept longer than the retention policy allows: ended sessions and API
    /// tokens, old idempotency keys, uploads never attached to a dossier, and the personal data
    /// of dossiers ended `retention_dossier_years` ago (anonymised, their files deleted).
    Retention {
        #[command(flatten)]
        common: crate::Common,
        /// Count what would be erased and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// The report, one class a line (`class: count`), in both languages.
pub fn print_report(r: &RetentionReport) {
    if r.dry_run {
        println!("Chạy thử, không thay đổi gì / dry run, nothing changed");
    }
    let verb = if r.dry_run { "would erase" } else { "erased" };
    println!("Lưu giữ dữ liệu cá nhân / retention ({verb}):");
    println!("  phiên đăng nhập / sessions: {}", r.sessions);
    println!("  mã truy cập / api_tokens: {}", r.api_tokens);
    println!("  khóa chống gửi lặp / idempotency_keys: {}", r.idempotency_keys);
    println!("  tệp không gắn hồ sơ / unattached_files: {}", r.unattached_files);
    println!("  hồ sơ được ẩn danh / dossiers_anonymised: {}", r.dossiers_anonymised);
    println!("  tệp của các hồ sơ đó / dossier_files: {}", r.dossier_files);
    println!(
        "  nội dung tệp đã xóa / stored_files_deleted: {}",
        r.stored_files_deleted
    );
    for code in &r.dossier_codes {
        println!("  - {code}");
    }
}

/// The warehouse's part of the retention job: delete the files of table versions replaced
/// more than `retention_lake_history_days` ago, in every table of the catalog. Anonymised
/// dossiers reach the warehouse's current version through the feed (their anonymisation is
/// in the change log); this removes the earlier versions that still hold their personal
/// data. Returns how many files were (would be) deleted.
pub async fn vacuum_lake(cfg: &Config, store: &Store, lake: &Lake, dry_run: bool) -> anyhow::Result<usize> {
    if cfg.retention_lake_history_days == 0 {
        return Ok(0);
    }
    let keep = chrono::Duration::days(cfg.retention_lake_history_days.into());
    let mut deleted = 0;
    for d in store.datasets().await? {
        deleted += lake.vacuum(&d.name, keep, dry_run).await?;
    }
    Ok(deleted)
}

pub async fn run(cfg_of: impl Fn(&crate::Common) -> anyhow::Result<Config>, cmd: PrivacyCommand) -> anyhow::Result<()> {
    match cmd {
        PrivacyCommand::Retention { common, dry_run } => {
            let cfg = cfg_of(&common)?;
            let store = crate::audit_cli::open_existing(&cfg).await?;
            let files = LocalFileStore::new(cfg.data_dir.join("files"))?;
            let by = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "operator".into()));
            let result = async {
                let r = store
                    .run_retention(&cfg.retention(), &files, citygov_domain::now_local(), dry_run, &by)
                    .await?;
                let lake = crate::app::open_lake(&cfg, &store)?;
                let vacuumed = vacuum_lake(&cfg, &store, &lake, dry_run).await?;
                Ok::<_, anyhow::Error>((r, vacuumed))
            }
            .await;
            store.close().await;
            let (r, vacuumed) = result?;
            print_report(&r);
            println!("  tệp phiên bản cũ của kho dữ liệu / lake_files_deleted: {vacuumed}");
            Ok(())
        }
    }
}

/// The retention job of `citygov serve`: first ten minutes after the start (not at once, so
/// that a restart loop does not run it again and again), then every `retention_interval_hours`.
pub fn spawn(cfg: &Config, store: Store, files: Arc<dyn FileStore>, lake: Option<Lake>) {
    if cfg.retention_interval_hours == 0 {
        return;
    }
    let cfg = cfg.clone();
    let policy = cfg.retention();
    let every = Duration::from_secs(cfg.retention_interval_hours * 3600);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(600).min(every)).await;
        loop {
            match store
                .run_retention(
                    &policy,
                    files.as_ref(),
                    citygov_domain::now_local(),
                    false,
                    "citygov serve",
                )
                .await
            {
                Ok(r) => tracing::info!(
                    sessions = r.sessions,
                    api_tokens = r.api_tokens,
                    idempotency_keys = r.idempotency_keys,
                    unattached_files = r.unattached_files,
                    dossiers_anonymised = r.dossiers_anonymised,
                    stored_files_deleted = r.stored_files_deleted,
                    "retention"
                ),
                Err(e) => tracing::warn!(error = %e, "retention job failed"),
            }
            if let Some(lake) = &lake {
                match vacuum_lake(&cfg, &store, lake, false).await {
                    Ok(n) => tracing::info!(lake_files_deleted = n, "retention (warehouse)"),
                    Err(e) => tracing::warn!(error = %e, "retention job (warehouse) failed"),
                }
            }
            tokio::time::sleep(every).await;
        }
    });
}
