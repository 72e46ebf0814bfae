//! `citygov lake …`: the warehouse from the command line, for operators and scheduled jobs.

use crate::app;
use crate::config::Config;
use citygov_domain::lake::{Dataset, decide};
use citygov_lake::{AsOf, CommitMeta, Format, Import, Lake, Mode, Source, TableAccess};
use citygov_store::{AuditRecord, Store};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum LakeCommand {
    /// Load a file (CSV, Excel .xlsx, JSON lines, Parquet) into a dataset: all or nothing.
    Import {
        #[command(flatten)]
        common: crate::Common,
        #[arg(long)]
        dataset: String,
        #[arg(long)]
        file: PathBuf,
        /// append, overwrite or upsert.
        #[arg(long, default_value = "append")]
        mode: String,
        /// Key columns for upsert, separated by commas (the dataset's key by default).
        #[arg(long)]
        key: Option<String>,
        /// csv, xlsx, jsonl or parquet (from the file name by default).
        #[arg(long)]
        format: Option<String>,
        /// CSV encoding (utf-8, windows-1258, utf-16le…); detected by default.
        #[arg(long)]
        encoding: Option<String>,
        /// Why (kept in the table version's commit).
        #[arg(long, default_value = "")]
        reason: String,
        /// Who loads (kept in the commit and the audit trail).
        #[arg(long, default_value = "operator")]
        user: String,
    },
    /// Run one SQL query. Without --as, every table is readable with personal columns masked;
    /// with --as USERNAME, that account's grants and purpose apply.
    Query {
        #[command(flatten)]
        common: crate::Common,
        sql: String,
        /// Run as this account (its grants apply).
        #[arg(long = "as")]
        as_user: Option<String>,
        /// Purpose of processing.
        #[arg(long, default_value = "thong_ke")]
        purpose: String,
        /// Read tables as of a version (`name=3`) or time (`name=2026-12-03T08:00:00+07:00`).
        #[arg(long)]
        as_of: Vec<String>,
        /// table, csv or json.
        #[arg(long, default_value = "table")]
        output: String,
    },
    /// List the catalog.
    Datasets {
        #[command(flatten)]
        common: crate::Common,
    },
    /// Create or replace a dataset definition from a JSON file.
    Define {
        #[command(flatten)]
        common: crate::Common,
        #[arg(long)]
        file: PathBuf,
    },
    /// A table's versions (who, which unit, why).
    History {
        #[command(flatten)]
        common: crate::Common,
        #[arg(long)]
        dataset: String,
    },
    /// Bring the platform's own tables (dossiers, events, catalog) up to date once.
    Feed {
        #[command(flatten)]
        common: crate::Common,
    },
    /// Run an Apache Ballista scheduler for this warehouse (point `ballista_url` at it).
    Scheduler {
        #[command(flatten)]
        common: crate::Common,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: std::net::SocketAddr,
    },
    /// Run an Apache Ballista executor for this warehouse; it reaches the tables through the
    /// same `lake_url` and storage options as the platform.
    Executor {
        #[command(flatten)]
        common: crate::Common,
        /// The scheduler, host:port.
        #[arg(long, default_value = "127.0.0.1:50050")]
        scheduler: String,
        /// Address to listen on for results and shuffles (Arrow Flight).
        #[arg(long, default_value = "127.0.0.1:50051")]
        bind: std::net::SocketAddr,
        /// Port (on the bind address) where the scheduler sends this executor its tasks and
        /// cancellations.
        #[arg(long, default_value_t = 50052)]
        control_port: u16,
        /// The host others reach this executor at (the bind address by default).
        #[arg(long)]
        external_host: Option<String>,
        /// Task slots; 0: one per core.
        #[arg(long, default_value_t = 0)]
        vcores: usize,
        /// Folder for shuffle files and spills (a temporary folder by default).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
}

fn bar(total: u64, what: &str) -> indicatif::ProgressBar {
    let pb = if total > 0 {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}] {bar:30} {pos}/{len} ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb.set_message(what.to_string());
    pb
}

/// Rough number of records of a file, for the progress bar (lines of a text file).
fn estimate_rows(path: &std::path::Path, format: Format) -> u64 {
    if !matches!(format, Format::Csv | Format::Jsonl) {
        return 0;
    }
    let Ok(meta) = std::fs::metadata(path) else { return 0 };
    // Sample the first MiB for the average line length.
    let Ok(bytes) = std::fs::read(path).map(|b| b.into_iter().take(1 << 20).collect::<Vec<u8>>()) else {
        return 0;
    };
    let lines = bytes.iter().filter(|&&b| b == b'\n').count().max(1);
    (meta.len() as f64 / (bytes.len() as f64 / lines as f64)) as u64
}

fn print_problems(problems: &[citygov_lake::RowProblem], total: usize) {
    for p in problems {
        let mut at = Vec::new();
        if let Some(r) = p.row {
            at.push(format!("dòng/row {r}"));
        }
        if let Some(c) = &p.column {
            at.push(format!("cột/column {c}"));
        }
        if let Some(v) = &p.value {
            at.push(format!("giá trị/value «{v}»"));
        }
        eprintln!("  [{}] {}: {} / {}", p.code, at.join(", "), p.message_vi, p.message_en);
    }
    if total > problems.len() {
        eprintln!(
            "  … {} more / còn {} lỗi nữa",
            total - problems.len(),
            total - problems.len()
        );
    }
}

async fn open(cfg: &Config) -> anyhow::Result<(Store, Lake)> {
    let store = app::open_store(cfg).await?;
    let lake = app::open_lake(cfg, &store)?;
    Ok((store, lake))
}

fn operator(user: &str) -> AuditRecord {
    AuditRecord {
        actor_id: None,
        actor_name: user.to_string(),
        action: String::new(),
        entity_type: String::new(),
        entity_id: String::new(),
        detail: serde_json::json!({ "via": "cli" }),
    }
}

fn parse_as_of(items: &[String]) -> anyhow::Result<Vec<(String, AsOf)>> {
    items
        .iter()
        .map(|s| {
            let (name, v) = s.split_once('=').ok_or_else(|| {
                anyhow::anyhow!("--as-of {s}: use name=VERSION or name=TIME / dùng tên=phiên-bản hoặc tên=thời-điểm")
            })?;
            let a = match v.parse::<i64>() {
                Ok(n) => AsOf::Version(n),
                Err(_) => AsOf::Timestamp(
                    chrono::DateTime::parse_from_rfc3339(v)
                        .map_err(|_| anyhow::anyhow!("--as-of {s}: «{v}» is not RFC 3339 / không đúng dạng RFC 3339"))?
                        .with_timezone(&chrono::Utc),
                ),
            };
            Ok((name.to_string(), a))
        })
        .collect()
}

pub async fn run(cfg_of: impl Fn(&crate::Common) -> anyhow::Result<Config>, cmd: LakeCommand) -> anyhow::Result<()> {
    match cmd {
        LakeCommand::Import {
            common,
            dataset,
            file,
            mode,
            key,
            format,
            encoding,
            reason,
            user,
        } => {
            let cfg = cfg_of(&common)?;
            let (store, lake) = open(&cfg).await?;
            let d = store.dataset(&dataset).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            anyhow::ensure!(!d.system, "{dataset} is fed by the platform / do hệ thống tự cập nhật");
            let mode = Mode::parse(&mode).ok_or_else(|| anyhow::anyhow!("--mode: append, overwrite or upsert"))?;
            let format = match format {
                Some(f) => Format::parse(&f).ok_or_else(|| anyhow::anyhow!("--format: csv, xlsx, jsonl or parquet"))?,
                None => Format::from_name(&file.to_string_lossy()).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: unknown format, give --format / không nhận ra định dạng",
                        file.display()
                    )
                })?,
            };
            anyhow::ensure!(file.exists(), "{} not found / không tìm thấy tệp", file.display());
            let pb = bar(estimate_rows(&file, format), &dataset);
            let pb2 = pb.clone();
            let mut req = Import::new(
                Source::File {
                    path: file.clone(),
                    format,
                    encoding,
                },
                mode,
                CommitMeta {
                    user: user.clone(),
                    unit: d.owner_unit.clone(),
                    reason: reason.clone(),
                    source: file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                },
            );
            req.key = key
                .map(|k| k.split(',').map(|s| s.trim().to_string()).collect())
                .unwrap_or_default();
            req.progress = Some(std::sync::Arc::new(move |n| pb2.set_position(n)));
            let result = lake.import(&d, req).await;
            pb.finish_and_clear();
            let mut rec = operator(&user);
            rec.entity_type = "lake_dataset".into();
            rec.entity_id = dataset.clone();
            match result {
                Ok(r) => {
                    rec.action = "lake.import".into();
                    rec.detail = serde_json::json!({ "via": "cli", "version": r.version, "rows": r.rows, "mode": r.mode, "file": file.display().to_string(), "reason": reason });
                    store.audit(&rec, citygov_domain::now_local()).await?;
                    store.set_dataset_quality(&dataset, &r.quality).await?;
                    let q = &r.quality;
                    println!(
                        "{dataset}: version {} — {} rows in {:.2}s ({:.0} rows/s) / phiên bản {}, {} dòng",
                        r.version,
                        r.rows,
                        r.seconds,
                        r.rows as f64 / r.seconds.max(1e-9),
                        r.version,
                        r.rows
                    );
                    for (name, c) in [
                        ("đúng/correct", &q.correct),
                        ("đủ/complete", &q.complete),
                        ("sạch/clean", &q.clean),
                        ("sống/live", &q.live),
                    ] {
                        println!(
                            "  {} {name}: {} / {}",
                            if c.passed { "✓" } else { "✗" },
                            c.detail_vi,
                            c.detail_en
                        );
                    }
                    Ok(())
                }
                Err(citygov_lake::Error::BadFile { problems, total }) => {
                    rec.action = "lake.import.refused".into();
                    rec.detail =
                        serde_json::json!({ "via": "cli", "problems": total, "file": file.display().to_string() });
                    store.audit(&rec, citygov_domain::now_local()).await?;
                    eprintln!("Tệp bị từ chối, không dòng nào được nạp / the file was refused, nothing was loaded:");
                    print_problems(&problems, total);
                    anyhow::bail!("{total} problem(s) / {total} lỗi")
                }
                Err(e) => Err(e.into()),
            }
        }
        LakeCommand::Query {
            common,
            sql,
            as_user,
            purpose,
            as_of,
            output,
        } => {
            let cfg = cfg_of(&common)?;
            let (store, lake) = open(&cfg).await?;
            let as_of = parse_as_of(&as_of)?;
            anyhow::ensure!(
                citygov_domain::lake::purpose(&purpose).is_some(),
                "--purpose: {} / mục đích không hợp lệ",
                citygov_domain::lake::PURPOSES
                    .iter()
                    .map(|p| p.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let names = lake.referenced_tables(&sql)?;
            let grants = store.grants(None).await?;
            let who = match &as_user {
                Some(u) => {
                    let a = store
                        .account_by_username(u)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no account {u} / không có tài khoản"))?;
                    let units = store.units().await?;
                    let mut p = citygov_domain::lake::Principal {
                        account_id: a.id.clone(),
                        username: a.username.clone(),
                        ..Default::default()
                    };
                    for g in &a.roles {
                        p.roles.push(g.role);
                        if let Some(u) = units.iter().find(|u| u.id == g.unit_id) {
                            p.unit_codes.push(u.code.to_string());
                        }
                    }
                    Some(p)
                }
                None => None,
            };
            let mut tables = Vec::new();
            for n in &names {
                let Ok(d) = store.dataset(n).await else { continue };
                let access = match &who {
                    Some(p) => decide(&d, &grants, p, &purpose).map(|a| (a.masked, a.row_filter)),
                    None => Some((masked_all(&d), None)),
                };
                if let Some((masked, row_filter)) = access {
                    tables.push(TableAccess {
                        masked,
                        hidden: Vec::new(),
                        row_filter,
                        as_of: as_of.iter().find(|(k, _)| k == n).map(|(_, a)| *a),
                        dataset: d,
                    });
                }
            }
            let out = lake.query(&sql, tables).await?;
            if !out.personal_reads().is_empty() {
                let mut rec = operator(as_user.as_deref().unwrap_or("operator"));
                rec.action = "lake.query.personal".into();
                rec.entity_type = "lake_query".into();
                rec.entity_id = names.join(",");
                rec.detail = serde_json::json!({ "via": "cli", "purpose": purpose, "columns": out.personal_reads(), "sql": sql, "rows": out.rows });
                store.audit(&rec, citygov_domain::now_local()).await?;
            }
            match output.as_str() {
                "csv" => {
                    use std::io::Write;
                    std::io::stdout().write_all(&out.to_csv()?[3..])?;
                }
                "json" => println!(
                    "{}",
                    serde_json::json!({ "columns": out.columns, "rows": out.rows_json(), "row_count": out.rows, "elapsed_ms": out.elapsed_ms, "engine": out.engine, "plan_reused": out.plan_reused })
                ),
                _ => {
                    let names: Vec<String> = out.columns.iter().map(|c| c.name.clone()).collect();
                    let rows = out.rows_text(usize::MAX);
                    let widths: Vec<usize> = (0..names.len())
                        .map(|j| {
                            rows.iter()
                                .map(|r| r[j].chars().count())
                                .chain([names[j].chars().count()])
                                .max()
                                .unwrap_or(0)
                                .min(60)
                        })
                        .collect();
                    let line = |cells: &[String]| {
                        cells
                            .iter()
                            .zip(&widths)
                            .map(|(c, w)| format!("{:<w$}", c.chars().take(60).collect::<String>(), w = *w))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    };
                    println!("{}", line(&names));
                    println!(
                        "{}",
                        widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-+-")
                    );
                    for r in &rows {
                        println!("{}", line(r));
                    }
                    eprintln!("({} rows / dòng, {:.1} ms, {})", out.rows, out.elapsed_ms, out.engine);
                }
            }
            Ok(())
        }
        LakeCommand::Datasets { common } => {
            let cfg = cfg_of(&common)?;
            let (store, lake) = open(&cfg).await?;
            for d in store.datasets().await? {
                let v = lake.version(&d.name).await?;
                println!(
                    "{}\t{}\t{}\tv{}\t{} rows\t{}{}",
                    d.name,
                    d.owner_unit,
                    d.fields.len(),
                    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
                    d.quality.as_ref().map(|q| q.rows).unwrap_or(0),
                    d.title_vi,
                    if d.open_data { "\t[mở/open]" } else { "" }
                );
            }
            Ok(())
        }
        LakeCommand::Define { common, file } => {
            let cfg = cfg_of(&common)?;
            let store = app::open_store(&cfg).await?;
            let text = std::fs::read_to_string(&file)?;
            let d: Dataset = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: dòng/line {}, cột/column {}: {e}",
                    file.display(),
                    e.line(),
                    e.column()
                )
            })?;
            match store
                .put_dataset(&d, &operator("operator"), citygov_domain::now_local())
                .await
            {
                Ok(created) => {
                    println!(
                        "{} {}",
                        d.name,
                        if created {
                            "created / đã tạo"
                        } else {
                            "updated / đã cập nhật"
                        }
                    );
                    Ok(())
                }
                Err(citygov_store::Error::Invalid(ps)) => {
                    for p in &ps {
                        eprintln!("  {p}");
                    }
                    anyhow::bail!("{} problem(s) / lỗi", ps.len())
                }
                Err(e) => Err(e.into()),
            }
        }
        LakeCommand::History { common, dataset } => {
            let cfg = cfg_of(&common)?;
            let lake = Lake::open(&cfg.lake_options()?)?;
            for v in lake.history(&dataset, 1000).await? {
                println!(
                    "v{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    v.version,
                    v.at,
                    v.operation,
                    v.user,
                    v.unit,
                    v.rows_written.map(|r| r.to_string()).unwrap_or_default(),
                    v.reason
                );
            }
            Ok(())
        }
        LakeCommand::Feed { common } => {
            let cfg = cfg_of(&common)?;
            let (store, lake) = open(&cfg).await?;
            let s = crate::lake_feed::run_once(&store, &lake).await?;
            println!(
                "events / sự kiện: {}, dossiers / hồ sơ: {}, procedures / thủ tục: {}",
                s.events, s.dossiers, s.procedures
            );
            Ok(())
        }
        LakeCommand::Scheduler { common, bind } => {
            let cfg = cfg_of(&common)?;
            crate::init_logs(&cfg.log);
            let lake = Lake::open(&cfg.lake_options()?)?;
            tracing::info!("Ballista scheduler for {} on {bind}", lake.root());
            lake.serve_scheduler(bind).await?;
            Ok(())
        }
        LakeCommand::Executor {
            common,
            scheduler,
            bind,
            control_port,
            external_host,
            vcores,
            work_dir,
        } => {
            let cfg = cfg_of(&common)?;
            crate::init_logs(&cfg.log);
            let opts = cfg.lake_options()?;
            // The executor opens sealed columns itself: it needs the store's keys.
            let (_store, lake) = open(&cfg).await?;
            tracing::info!("Ballista executor for {} on {bind}, scheduler {scheduler}", lake.root());
            lake.serve_executor(citygov_lake::ExecutorOptions {
                scheduler,
                bind,
                control_port,
                external_host,
                vcores,
                memory_bytes: opts.limits.memory_bytes,
                work_dir,
            })
            .await?;
            Ok(())
        }
    }
}

fn masked_all(d: &Dataset) -> Vec<String> {
    d.fields
        .iter()
        .filter(|f| f.classification.is_personal())
        .map(|f| f.name.clone())
        .collect()
}
