//! `citygov audit …`: the tamper-evident audit trail from the command line (docs/audit.md).
//! Verify the chain and its signed checkpoints in the database or in an export file, export a
//! range with its proofs, sign a checkpoint, show or rotate the signing key; and the periodic
//! checkpoints of `citygov serve`.
//!
//! The signing key comes from the configuration (`audit_signing_key`) or from a key file
//! (`keys/audit-signing.key` in the data folder unless `audit_signing_key_file` says
//! otherwise), created with mode 0600 the first time a checkpoint is signed. Every key that
//! ever signed stays trusted: its public key is listed in `keys/audit-trusted.pub` (or in
//! `audit_trusted_keys`).

use crate::app;
use crate::config::Config;
use citygov_store::Store;
use citygov_store::audit::{AuditExport, AuditSigner, FindingKind, TrustedKeys, VerifyReport, parse_public_key};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The signing key's file name in the keys folder.
pub const KEY_FILE: &str = "audit-signing.key";
/// The trusted public keys' file name in the keys folder: one key (64 hex digits) a line,
/// `#` starts a comment.
pub const TRUSTED_FILE: &str = "audit-trusted.pub";

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the whole chain and every checkpoint (in the database, or in an export file with
    /// --file) and name the first entry that was altered, inserted or removed. Exits with a
    /// non-zero status when anything is wrong.
    Verify {
        #[command(flatten)]
        common: crate::Common,
        /// An export file (`citygov audit export`) to check without any database.
        #[arg(long, conflicts_with_all = ["data_dir", "database_url"])]
        file: Option<PathBuf>,
        /// Trust only this public key (64 hex digits); repeat for several. By default: the
        /// configured keys (database), or the keys listed in the export file itself.
        #[arg(long = "key", value_name = "PUBHEX")]
        keys: Vec<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write entries FROM..=TO with their proofs (the entries up to a signed checkpoint, the
    /// checkpoints and their public keys) to a file a third party can verify on its own.
    Export {
        #[command(flatten)]
        common: crate::Common,
        /// First seq (default 1).
        #[arg(long, default_value_t = 1)]
        from: i64,
        /// Last seq (default: the last entry; a checkpoint is signed first when none covers it).
        #[arg(long)]
        to: Option<i64>,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a checkpoint of the chain's head now (creating the key file when there is none).
    Checkpoint {
        #[command(flatten)]
        common: crate::Common,
    },
    /// Show the signing key's public key and the trusted keys; --rotate makes a new signing
    /// key, keeping the old public key trusted.
    Key {
        #[command(flatten)]
        common: crate::Common,
        #[arg(long)]
        rotate: bool,
    },
}

fn bilingual(vi: impl std::fmt::Display, en: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{vi} / {en}")
}

/// Where the signing key file is.
pub fn key_file(cfg: &Config) -> PathBuf {
    if cfg.audit_signing_key_file.trim().is_empty() {
        cfg.data_dir.join("keys").join(KEY_FILE)
    } else {
        PathBuf::from(cfg.audit_signing_key_file.trim())
    }
}

fn trusted_file(cfg: &Config) -> PathBuf {
    cfg.data_dir.join("keys").join(TRUSTED_FILE)
}

/// Where the signing key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Config,
    File(PathBuf),
    /// Created now, in this file.
    Created(PathBuf),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Config => write!(f, "cấu hình / configuration (audit_signing_key)"),
            KeySource::File(p) => write!(f, "tệp / file {}", p.display()),
            KeySource::Created(p) => write!(f, "tệp mới tạo / new file {}", p.display()),
        }
    }
}

fn read_key_file(path: &Path) -> anyhow::Result<AuditSigner> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        bilingual(
            format!("Không đọc được tệp khóa {}: {e}", path.display()),
            format!("Cannot read the key file {}: {e}", path.display()),
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path)
            && m.permissions().mode() & 0o077 != 0
        {
            eprintln!(
                "Cảnh báo: người khác đọc được tệp khóa ký {p} (quyền {m:o}), hãy chmod 600 / warning: the signing key file {p} is readable by others (mode {m:o}): chmod 600 it",
                p = path.display(),
                m = m.permissions().mode() & 0o777
            );
        }
    }
    AuditSigner::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Create a file readable only by its owner (0600) with `text`; fails if it exists.
pub(crate) fn create_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

pub(crate) fn create_keys_dir(dir: &Path) -> anyhow::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| {
        bilingual(
            format!("Không tạo được thư mục khóa {}: {e}", dir.display()),
            format!("Cannot create the keys folder {}: {e}", dir.display()),
        )
    })
}

/// Add a public key to the trusted-keys file unless it is there.
fn remember_public_key(cfg: &Config, signer: &AuditSigner, note: &str) -> anyhow::Result<()> {
    let path = trusted_file(cfg);
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let public = signer.public_key_hex();
    if existing
        .lines()
        .any(|l| l.split('#').next().unwrap_or_default().trim() == public)
    {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        create_keys_dir(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| {
            bilingual(
                format!("Không ghi được {}: {e}", path.display()),
                format!("Cannot write {}: {e}", path.display()),
            )
        })?;
    if existing.is_empty() {
        writeln!(
            f,
            "# Khóa công khai được tin cậy khi kiểm tra nhật ký kiểm toán / public keys trusted when verifying the audit trail"
        )?;
    }
    writeln!(
        f,
        "{public}  # {} {note} {}",
        signer.key_id(),
        citygov_domain::now_local().format("%Y-%m-%dT%H:%M:%S")
    )?;
    Ok(())
}

/// The signing key: from the configuration, or the key file. With `create`, a missing key
/// file is made (mode 0600) and its public key added to the trusted keys; without, `None`.
pub fn signer(cfg: &Config, create: bool) -> anyhow::Result<Option<(AuditSigner, KeySource)>> {
    if cfg.audit_signing_key.is_set() {
        let s = AuditSigner::parse(cfg.audit_signing_key.expose())
            .map_err(|e| anyhow::anyhow!("audit_signing_key: {e}"))?;
        return Ok(Some((s, KeySource::Config)));
    }
    let path = key_file(cfg);
    if path.exists() {
        return Ok(Some((read_key_file(&path)?, KeySource::File(path))));
    }
    if !create {
        return Ok(None);
    }
    if let Some(dir) = path.parent() {
        create_keys_dir(dir)?;
    }
    let s = AuditSigner::generate();
    match create_private(&path, &format!("{}\n", s.seed_hex())) {
        Ok(()) => {}
        // Another process made it first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Ok(Some((read_key_file(&path)?, KeySource::File(path))));
        }
        Err(e) => {
            return Err(bilingual(
                format!("Không tạo được tệp khóa {}: {e}", path.display()),
                format!("Cannot create the key file {}: {e}", path.display()),
            ));
        }
    }
    remember_public_key(cfg, &s, "tạo / created")?;
    Ok(Some((s, KeySource::Created(path))))
}

/// The keys a verification of this installation trusts: the signing key's, those of the
/// trusted-keys file and those of `audit_trusted_keys`.
pub fn trusted_keys(cfg: &Config) -> anyhow::Result<TrustedKeys> {
    let mut keys = TrustedKeys::new();
    if let Some((s, _)) = signer(cfg, false)? {
        keys.add(s.verifying_key());
    }
    let path = trusted_file(cfg);
    if let Ok(text) = std::fs::read_to_string(&path) {
        for (n, line) in text.lines().enumerate() {
            let k = line.split('#').next().unwrap_or_default().trim();
            if k.is_empty() {
                continue;
            }
            keys.add_hex(k)
                .map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), n + 1))?;
        }
    }
    for k in cfg
        .audit_trusted_keys
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        keys.add_hex(k)
            .map_err(|e| anyhow::anyhow!("audit_trusted_keys: {e}"))?;
    }
    Ok(keys)
}

/// Keys given with --key.
fn keys_from_args(args: &[String]) -> anyhow::Result<TrustedKeys> {
    let mut keys = TrustedKeys::new();
    for a in args {
        keys.add(parse_public_key(a).map_err(|e| anyhow::anyhow!("--key: {e}"))?);
    }
    Ok(keys)
}

fn kind_label(k: FindingKind) -> &'static str {
    match k {
        FindingKind::EntryAltered => "bị sửa / altered",
        FindingKind::EntryInserted => "bị chèn / inserted",
        FindingKind::EntryRemoved => "bị xóa / removed",
        FindingKind::CheckpointBadSignature => "chữ ký sai / bad signature",
        FindingKind::CheckpointUntrustedKey => "khóa không tin cậy / untrusted key",
        FindingKind::CheckpointHashMismatch => "khác điểm kiểm tra / differs from checkpoint",
        FindingKind::HeadMismatch => "đầu chuỗi / chain head",
        FindingKind::RangeNotCovered => "chưa được ký / not signed",
    }
}

/// The report for people: Vietnamese first, then English.
pub fn render_report(r: &VerifyReport, what: &str) -> String {
    let mut out = String::new();
    let span = match (r.first_seq, r.last_seq) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "—".into(),
    };
    if r.ok {
        out.push_str(&format!("Nhật ký kiểm toán HỢP LỆ / audit trail VALID ({what})\n"));
    } else {
        out.push_str(&format!(
            "Nhật ký kiểm toán KHÔNG HỢP LỆ: {n} vấn đề / audit trail NOT VALID: {n} problem(s) ({what})\n",
            n = r.findings.len()
        ));
        if let Some(f) = r.findings.first() {
            let mut at = Vec::new();
            if let Some(s) = f.seq {
                at.push(format!("số / seq {s}"));
            }
            if let Some(i) = f.id {
                at.push(format!("id {i}"));
            }
            if let Some(c) = f.checkpoint_id {
                at.push(format!("điểm kiểm tra / checkpoint #{c}"));
            }
            out.push_str(&format!(
                "Vấn đề đầu tiên / first problem: {} — {}\n",
                kind_label(f.kind),
                if at.is_empty() { "—".into() } else { at.join(", ") }
            ));
        }
        for (i, f) in r.findings.iter().enumerate() {
            out.push_str(&format!(
                "  {}. [{}] {}\n     {}\n",
                i + 1,
                kind_label(f.kind),
                f.message_vi,
                f.message_en
            ));
        }
    }
    out.push_str(&format!("Mục đã đọc / entries read: {} (số / seq {span})\n", r.entries));
    out.push_str(&format!(
        "Điểm kiểm tra / checkpoints: {}, hợp lệ / verified: {}{}\n",
        r.checkpoints,
        r.checkpoints_verified,
        match r.covered_to {
            Some(c) => format!(", ký đến số / signed up to seq {c}"),
            None => String::new(),
        }
    ));
    if r.uncovered_entries > 0 {
        out.push_str(&format!(
            "Lưu ý / note: {n} mục cuối chưa được điểm kiểm tra nào ký, chỉ được chuỗi băm bảo vệ / the last {n} entries are not yet covered by a signed checkpoint, only by the hash chain\n",
            n = r.uncovered_entries
        ));
    }
    out.push_str(&format!(
        "Khóa tin cậy / trusted keys: {}\n",
        if r.trusted_keys.is_empty() {
            "không có / none".to_string()
        } else {
            r.trusted_keys.join(", ")
        }
    ));
    if r.keys_from_file {
        out.push_str(
            "Cảnh báo / warning: các khóa lấy từ chính tệp xuất; hãy so mã khóa với khóa công khai cơ quan đã công bố, hoặc dùng --key / the keys were taken from the export file itself: compare their ids with the keys the agency published, or pass --key\n",
        );
    }
    out
}

fn print_report(r: &VerifyReport, what: &str, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(r)?);
    } else {
        print!("{}", render_report(r, what));
    }
    anyhow::ensure!(r.ok, "nhật ký kiểm toán không hợp lệ / the audit trail is not valid");
    Ok(())
}

fn store_error(e: citygov_store::Error) -> anyhow::Error {
    match e {
        citygov_store::Error::Invalid(ps) => {
            anyhow::anyhow!("{}", ps.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))
        }
        citygov_store::Error::Conflict(p) | citygov_store::Error::NotFound(p) => anyhow::anyhow!("{p}"),
        e => anyhow::anyhow!("{e}"),
    }
}

/// Open the store of an installation that exists: a mistyped `--data-dir` must not verify as
/// a new, empty (and so valid) trail.
pub(crate) async fn open_existing(cfg: &Config) -> anyhow::Result<Store> {
    if cfg.database_url.is_empty() {
        let db = cfg.data_dir.join("citygov.db");
        anyhow::ensure!(
            db.exists(),
            "không có cơ sở dữ liệu {} (kiểm tra --data-dir) / there is no database {} (check --data-dir)",
            db.display(),
            db.display()
        );
    }
    app::open_store(cfg).await
}

/// The periodic checkpoints of `citygov serve`: every `audit_checkpoint_seconds` when the
/// chain has grown, and once more at shutdown ([`Checkpoints::stop`]).
pub struct Checkpoints {
    store: Store,
    signer: std::sync::Arc<AuditSigner>,
    trusted: TrustedKeys,
    task: tokio::task::JoinHandle<()>,
}

async fn checkpoint_once(store: &Store, signer: &AuditSigner, trusted: &TrustedKeys) {
    match store
        .audit_checkpoint_if_moved(signer, trusted, citygov_domain::now_local())
        .await
    {
        // The log line carries the signed hash: logs shipped elsewhere are one more copy of
        // each checkpoint outside the database.
        Ok(Some(c)) => tracing::info!(
            seq = c.seq,
            hash = %c.hash,
            key_id = %c.key_id,
            signature = %c.signature,
            "đã ký điểm kiểm tra nhật ký kiểm toán / signed an audit checkpoint"
        ),
        Ok(None) => {}
        Err(e) => tracing::error!(
            error = %e,
            "không ký được điểm kiểm tra nhật ký kiểm toán / could not sign an audit checkpoint"
        ),
    }
}

impl Checkpoints {
    /// Start the job (none when `audit_checkpoint_seconds` is 0).
    pub fn spawn(cfg: &Config, store: Store) -> anyhow::Result<Option<Checkpoints>> {
        if cfg.audit_checkpoint_seconds == 0 {
            return Ok(None);
        }
        let (signer, source) = signer(cfg, true)?.expect("created when missing");
        if let KeySource::Created(p) = &source {
            tracing::info!(
                file = %p.display(),
                key_id = %signer.key_id(),
                public_key = %signer.public_key_hex(),
                "đã tạo khóa ký nhật ký kiểm toán / created the audit signing key"
            );
        }
        let trusted = trusted_keys(cfg)?;
        let signer = std::sync::Arc::new(signer);
        let every = Duration::from_secs(cfg.audit_checkpoint_seconds);
        let task = {
            let (store, signer, trusted) = (store.clone(), signer.clone(), trusted.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    checkpoint_once(&store, &signer, &trusted).await;
                }
            })
        };
        Ok(Some(Checkpoints {
            store,
            signer,
            trusted,
            task,
        }))
    }

    /// Stop the job and sign the last checkpoint.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        checkpoint_once(&self.store, &self.signer, &self.trusted).await;
    }
}

pub async fn run(cfg_of: impl Fn(&crate::Common) -> anyhow::Result<Config>, cmd: AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Verify {
            common,
            file: Some(file),
            keys,
            json,
        } => {
            let _ = common;
            let text = std::fs::read_to_string(&file).map_err(|e| {
                bilingual(
                    format!("Không đọc được {}: {e}", file.display()),
                    format!("Cannot read {}: {e}", file.display()),
                )
            })?;
            let doc = AuditExport::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let trusted = if keys.is_empty() {
                None
            } else {
                Some(keys_from_args(&keys)?)
            };
            let report = doc.verify(trusted.as_ref());
            print_report(
                &report,
                &format!(
                    "tệp / file {}, số / seq {}–{}",
                    file.display(),
                    doc.from_seq,
                    doc.to_seq
                ),
                json,
            )
        }
        AuditCommand::Verify {
            common,
            file: None,
            keys,
            json,
        } => {
            let cfg = cfg_of(&common)?;
            let trusted = if keys.is_empty() {
                trusted_keys(&cfg)?
            } else {
                keys_from_args(&keys)?
            };
            let store = open_existing(&cfg).await?;
            let report = store.verify_audit(&trusted).await.map_err(store_error)?;
            store.close().await;
            let db = cfg.database_url();
            let db = db.split('@').next_back().unwrap_or_default();
            print_report(&report, &format!("cơ sở dữ liệu / database {db}"), json)
        }
        AuditCommand::Export { common, from, to, out } => {
            let cfg = cfg_of(&common)?;
            let store = open_existing(&cfg).await?;
            let mut trusted = trusted_keys(&cfg)?;
            let (head, _) = store.audit_head().await.map_err(store_error)?;
            let to = to.unwrap_or(head);
            anyhow::ensure!(
                head > 0,
                "nhật ký kiểm toán còn trống, không có gì để xuất / the audit trail is empty: nothing to export"
            );
            // A range newer than every checkpoint: sign one first, when this installation can.
            let covered = store
                .audit_checkpoints()
                .await
                .map_err(store_error)?
                .iter()
                .any(|c| c.seq >= to && c.check_signature(&trusted).is_ok());
            if !covered
                && to <= head
                && to >= from
                && from >= 1
                && let Some((s, _)) = signer(&cfg, false)?
            {
                trusted.add(s.verifying_key());
                let c = store
                    .write_audit_checkpoint(&s, &trusted, citygov_domain::now_local())
                    .await
                    .map_err(store_error)?;
                eprintln!(
                    "Đã ký điểm kiểm tra #{} (số {}) để phủ khoảng xuất / signed checkpoint #{} (seq {}) to cover the range",
                    c.id.unwrap_or_default(),
                    c.seq,
                    c.id.unwrap_or_default(),
                    c.seq
                );
            }
            let tmp = out.with_extension("partial");
            let file = std::fs::File::create(&tmp).map_err(|e| {
                bilingual(
                    format!("Không tạo được {}: {e}", tmp.display()),
                    format!("Cannot create {}: {e}", tmp.display()),
                )
            })?;
            let mut w = std::io::BufWriter::new(file);
            let result = store
                .export_audit(from, to, &trusted, citygov_domain::now_local(), &mut w)
                .await;
            drop(w);
            let summary = match result {
                Ok(s) => s,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(store_error(e));
                }
            };
            std::fs::rename(&tmp, &out)?;
            store.close().await;
            println!(
                "Đã xuất mục số {from}–{to} ({} mục, {} mục chứng minh đến điểm kiểm tra số {}, {} điểm kiểm tra) vào {} / exported entries seq {from}–{to} ({} entries, {} proof entries up to the checkpoint at seq {}, {} checkpoint(s)) to {}",
                summary.entries,
                summary.proof_entries,
                summary.covered_by,
                summary.checkpoints,
                out.display(),
                summary.entries,
                summary.proof_entries,
                summary.covered_by,
                summary.checkpoints,
                out.display()
            );
            Ok(())
        }
        AuditCommand::Checkpoint { common } => {
            let cfg = cfg_of(&common)?;
            let (s, source) = signer(&cfg, true)?.expect("created when missing");
            if let KeySource::Created(p) = &source {
                eprintln!(
                    "Đã tạo khóa ký mới {} (mã {}), khóa công khai {} / created a new signing key {} (id {}), public key {}",
                    p.display(),
                    s.key_id(),
                    s.public_key_hex(),
                    p.display(),
                    s.key_id(),
                    s.public_key_hex()
                );
            }
            let trusted = trusted_keys(&cfg)?;
            let store = open_existing(&cfg).await?;
            let c = store
                .write_audit_checkpoint(&s, &trusted, citygov_domain::now_local())
                .await
                .map_err(store_error)?;
            store.close().await;
            println!(
                "Đã ký điểm kiểm tra #{id}: số {seq}, mã băm {hash}, khóa {key} / signed checkpoint #{id}: seq {seq}, hash {hash}, key {key}",
                id = c.id.unwrap_or_default(),
                seq = c.seq,
                hash = c.hash,
                key = c.key_id
            );
            Ok(())
        }
        AuditCommand::Key { common, rotate } => {
            let cfg = cfg_of(&common)?;
            if rotate {
                anyhow::ensure!(
                    !cfg.audit_signing_key.is_set(),
                    "khóa ký lấy từ cấu hình (audit_signing_key): hãy đặt khóa mới ở đó và thêm khóa công khai cũ vào audit_trusted_keys / the signing key comes from the configuration (audit_signing_key): set the new key there and add the old public key to audit_trusted_keys"
                );
                let path = key_file(&cfg);
                let old = match signer(&cfg, false)? {
                    Some((old, _)) => {
                        remember_public_key(&cfg, &old, "trước khi thay / before rotation")?;
                        Some(old)
                    }
                    None => None,
                };
                if let Some(dir) = path.parent() {
                    create_keys_dir(dir)?;
                }
                let new = AuditSigner::generate();
                let tmp = path.with_extension("new");
                let _ = std::fs::remove_file(&tmp);
                create_private(&tmp, &format!("{}\n", new.seed_hex()))?;
                remember_public_key(&cfg, &new, "tạo khi thay khóa / created by rotation")?;
                std::fs::rename(&tmp, &path)?;
                if let Some(old) = old {
                    println!(
                        "Khóa cũ / old key: {} {} (vẫn được tin cậy / still trusted)",
                        old.key_id(),
                        old.public_key_hex()
                    );
                }
                println!(
                    "Khóa mới / new key: {} {}\nHãy công bố khóa công khai mới và chạy `citygov audit checkpoint` / publish the new public key and run `citygov audit checkpoint`",
                    new.key_id(),
                    new.public_key_hex()
                );
                return Ok(());
            }
            let (s, source) = signer(&cfg, true)?.expect("created when missing");
            println!("Khóa ký / signing key: {} ({source})", s.key_id());
            println!("Khóa công khai / public key: {}", s.public_key_hex());
            println!("Khóa tin cậy / trusted keys:");
            for k in trusted_keys(&cfg)?.list() {
                println!("  {} {}", k.key_id, k.public_key);
            }
            Ok(())
        }
    }
}
