//! `citygov privacy`: the retention job (docs/privacy.md) from the command line, and the same
//! job run by `citygov serve` every `retention_interval_hours`.

use crate::config::Config;
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

pub async fn run(cfg_of: impl Fn(&crate::Common) -> anyhow::Result<Config>, cmd: PrivacyCommand) -> anyhow::Result<()> {
    match cmd {
        PrivacyCommand::Retention { common, dry_run } => {
            let cfg = cfg_of(&common)?;
            let store = crate::audit_cli::open_existing(&cfg).await?;
            let files = LocalFileStore::new(cfg.data_dir.join("files"))?;
            let by = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "operator".into()));
            let result = store
                .run_retention(&cfg.retention(), &files, citygov_domain::now_local(), dry_run, &by)
                .await;
            store.close().await;
            print_report(&result?);
            Ok(())
        }
    }
}

/// The retention job of `citygov serve`: first ten minutes after the start (not at once, so
/// that a restart loop does not run it again and again), then every `retention_interval_hours`.
pub fn spawn(cfg: &Config, store: Store, files: Arc<dyn FileStore>) {
    if cfg.retention_interval_hours == 0 {
        return;
    }
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
            tokio::time::sleep(every).await;
        }
    });
}
