//! The `citygov` binary: reads configuration and starts things; the work is in the crates.

mod app;
mod audit_cli;
mod bench;
mod bench_lake;
mod config;
mod demo_load;
mod keys_cli;
mod lake_cli;
mod lake_demo;
mod lake_feed;
mod notify;
mod privacy_cli;
mod tls;

use clap::{Parser, Subcommand};
use config::{Config, Overrides};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "citygov",
    version,
    about = "citygov — nền tảng chính quyền số / digital-government platform"
)]
struct Cli {
    /// Configuration file (TOML); defaults to ./citygov.toml when present.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone, Default)]
struct Common {
    /// Folder for the SQLite database, files and lake.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://…); SQLite in the data folder when absent.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Remove the account's authenticator (a lost phone) and end its sessions: the next login
    /// enrols a new one.
    ResetSecondFactor {
        #[command(flatten)]
        common: Common,
        username: String,
    },
    /// End every session of the account, and revoke its API tokens with --tokens.
    LogoutEverywhere {
        #[command(flatten)]
        common: Common,
        username: String,
        #[arg(long)]
        tokens: bool,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Serve the platform over HTTP.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Build the demo city first when the data folder has none.
        #[arg(long)]
        demo: bool,
        /// Dossiers in the demo city.
        #[arg(long, default_value_t = 50_000)]
        dossiers: usize,
    },
    /// Build the demo city (units, catalog, accounts, a year of dossiers).
    Demo {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 50_000)]
        dossiers: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Run the database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Print the dossier lifecycle table (and as a Mermaid and DOT graph) and the reason lists.
    Workflow {
        /// table, reasons, mermaid, dot or all.
        #[arg(long, default_value = "all")]
        format: String,
    },
    /// Working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Procedure catalog import and export (JSON).
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// The shared data warehouse: load files, query, catalog, versions.
    Lake {
        #[command(subcommand)]
        command: lake_cli::LakeCommand,
    },
    /// The tamper-evident audit trail: verify, export with proofs, sign checkpoints, keys.
    Audit {
        #[command(subcommand)]
        command: audit_cli::AuditCommand,
    },
    /// Encryption at rest of personal data: key status, rotation, resealing.
    Keys {
        #[command(subcommand)]
        command: keys_cli::KeysCommand,
    },
    /// Personal data: the retention job.
    Privacy {
        #[command(subcommand)]
        command: privacy_cli::PrivacyCommand,
    },
    /// Accounts: reset a lost second factor, end every session.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Print the effective configuration (defaults → file → CITYGOV_* → flags) as TOML.
    Config {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        listen: Option<String>,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Each weekday off in a year, with its reason.
    Holidays {
        #[arg(long)]
        year: i32,
        /// Official schedule file (TOML) instead of the shipped one.
        #[arg(long)]
        overrides: Option<PathBuf>,
    },
    /// The appointment date-time N working days after a moment.
    AddWorkingDays {
        /// Start, e.g. 2026-02-12T09:00.
        #[arg(long)]
        from: String,
        #[arg(long)]
        days: u32,
        #[arg(long)]
        overrides: Option<PathBuf>,
    },
    /// The deadline of a time limit (working_days, working_hours, days, months).
    Deadline {
        #[arg(long)]
        from: String,
        #[arg(long)]
        value: u32,
        #[arg(long, default_value = "working_days")]
        unit: String,
        #[arg(long)]
        overrides: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Write the catalog as JSON.
    Export {
        #[command(flatten)]
        common: Common,
        /// Output file (standard output when absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import procedures from a JSON file: all or nothing.
    Import {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// File dossiers through the HTTP API and run them through their lifecycle.
    Intake {
        #[arg(long, default_value_t = 20_000)]
        dossiers: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// PostgreSQL server to benchmark on (a scratch database is created and dropped).
        #[arg(long, env = "CITYGOV_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
        /// Skip SQLite.
        #[arg(long)]
        no_sqlite: bool,
    },
    /// The shared data warehouse: ingestion CSV → Delta and KPI queries, compared with DuckDB
    /// (same Parquet files) and PostgreSQL (same rows).
    Lake {
        /// Dossier events to generate.
        #[arg(long, default_value_t = 10_000_000)]
        rows: u64,
        /// 100 million rows instead.
        #[arg(long)]
        huge: bool,
        /// Keep the generated files and tables in this folder (a temporary one by default).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// PostgreSQL server to compare with (a scratch database is created and dropped).
        #[arg(long, env = "CITYGOV_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
        /// Python interpreter with the `duckdb` package.
        #[arg(long, default_value = "python3")]
        python: String,
        /// Do not compare with DuckDB.
        #[arg(long)]
        no_duckdb: bool,
        /// Timed runs of each query (after a warm-up run); the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Memory pool of each query in MiB (joins and aggregations spill beyond it).
        #[arg(long, default_value_t = 1024)]
        memory_mb: usize,
        /// Also run the queries on an Apache Ballista scheduler and executor on loopback.
        #[arg(long)]
        ballista: bool,
        /// Print each query's plan with the rows, row groups and time of each step
        /// (`EXPLAIN ANALYZE`).
        #[arg(long)]
        explain: bool,
    },
}

fn parse_time(s: &str) -> anyhow::Result<chrono::NaiveDateTime> {
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Ok(t);
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(8, 0, 0).expect("valid"));
    }
    anyhow::bail!(
        "«{s}» không phải thời điểm hợp lệ (YYYY-MM-DDTHH:MM) / “{s}” is not a valid date-time (YYYY-MM-DDTHH:MM)"
    )
}

fn load(cli_config: &Option<PathBuf>, common: &Common, listen: Option<String>) -> anyhow::Result<Config> {
    Config::load(
        cli_config.as_deref(),
        &Overrides {
            data_dir: common.data_dir.clone(),
            listen,
            database_url: common.database_url.clone(),
        },
    )
}

pub(crate) fn init_logs(filter: &str) {
    // The Delta kernel (the crate `buoyant_kernel`) logs every table scan, and a missing table
    // as an error, though each outcome reaches citygov as a result; keep it quiet unless asked.
    let filter = if filter.contains("buoyant_kernel") {
        filter.to_string()
    } else {
        format!("{filter},buoyant_kernel=off")
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&filter).unwrap_or_else(|_| "info".into()))
        .with_target(false)
        .try_init();
}

async fn build_demo(cfg: &Config, dossiers: usize, seed: u64) -> anyhow::Result<()> {
    let store = app::open_store(cfg).await?;
    let existing = store.count("dossiers").await?;
    anyhow::ensure!(
        existing == 0,
        "{} đã có {existing} hồ sơ: hãy dùng một thư mục dữ liệu trống / already holds {existing} dossiers: use an empty data folder",
        cfg.data_dir.display()
    );
    let now = citygov_domain::now_local();
    let demo = citygov_demo::DemoConfig {
        seed,
        dossiers,
        city_code: cfg.city_code.clone(),
        end: now,
    };
    let started = std::time::Instant::now();
    eprintln!("Đang dựng thành phố mẫu / building the demo city ({dossiers} dossiers)…");
    let loaded = demo_load::load(
        &store,
        &demo,
        &cfg.calendar()?,
        &cfg.code_format(),
        now,
        |done, total| {
            eprint!("\r  {done}/{total} hồ sơ / dossiers");
            let _ = std::io::stderr().flush();
        },
    )
    .await?;
    eprintln!(
        "\nXong / done in {:.1}s: {} units, {} procedures, {} accounts (password «{}»), {} dossiers.",
        started.elapsed().as_secs_f64(),
        loaded.units,
        loaded.procedures,
        loaded.accounts,
        demo_load::DEMO_PASSWORD,
        loaded.dossiers
    );
    let lake = app::open_lake(cfg, &store)?;
    let datasets = lake_demo::load(&store, &lake, seed).await?;
    eprintln!("Kho dữ liệu / warehouse: {datasets} demo datasets (stewards dl.<sở>, analysts pt.<sở>).");
    store.close().await;
    Ok(())
}

/// mimalloc instead of the system allocator: each query's operators allocate and free
/// batches, hash tables and decoded pages on every worker thread, which the system
/// allocator serves more slowly (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            common,
            listen,
            demo,
            dossiers,
        } => {
            let cfg = load(&cli.config, &common, listen)?;
            init_logs(&cfg.log);
            if demo {
                let store = app::open_store(&cfg).await?;
                let empty = store.count("procedures").await? == 0;
                store.close().await;
                if empty {
                    build_demo(&cfg, dossiers, 2026).await?;
                }
            }
            let state = app::build_state(&cfg).await?;
            let mailer = if cfg.smtp_url.is_empty() {
                None
            } else {
                Some(notify::Mailer::new(&cfg.smtp_url, &cfg.mail_from)?)
            };
            tokio::spawn(notify::run(state.store.clone(), mailer));
            // Values and files stored before encryption, or left by an interrupted rotation,
            // are sealed in the background while the platform serves.
            let resealing = state.store.clone();
            let files = state.files.clone();
            tokio::spawn(async move {
                match resealing.reseal_needed().await {
                    Ok(false) => return,
                    Ok(true) => {}
                    Err(e) => tracing::warn!(error = %e, "checking for values to reseal failed"),
                }
                match resealing.reseal(files.as_ref()).await {
                    Ok(n) if n.total() > 0 => tracing::info!(
                        accounts = n.accounts,
                        dossiers = n.dossiers,
                        notifications = n.notifications,
                        files = n.files,
                        "personal data resealed with the active data key"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "resealing personal data failed"),
                }
            });
            if cfg.lake_feed_seconds > 0
                && let Some(lake) = state.lake.clone()
            {
                lake_feed::spawn(
                    state.store.clone(),
                    lake,
                    std::time::Duration::from_secs(cfg.lake_feed_seconds),
                );
            }
            privacy_cli::spawn(&cfg, state.store.clone(), state.files.clone(), state.lake.clone());
            let tls = cfg.tls()?;
            let scheme = if tls.is_some() { "https" } else { "http" };
            let checkpoints = audit_cli::Checkpoints::spawn(&cfg, state.store.clone())?;
            app::serve(
                state,
                &cfg.listen,
                tls,
                |addr| {
                    tracing::info!(%addr, data_dir = %cfg.data_dir.display(), "citygov đang phục vụ / serving at {scheme}://{addr}");
                },
                async {
                    if let Some(c) = checkpoints {
                        c.stop().await;
                    }
                },
            )
            .await
        }
        Command::Demo { common, dossiers, seed } => {
            let cfg = load(&cli.config, &common, None)?;
            init_logs(&cfg.log);
            build_demo(&cfg, dossiers, seed).await
        }
        Command::Account { command } => {
            let (common, username) = match &command {
                AccountCommand::ResetSecondFactor { common, username }
                | AccountCommand::LogoutEverywhere { common, username, .. } => (common, username),
            };
            let cfg = load(&cli.config, common, None)?;
            let store = app::open_store(&cfg).await?;
            let by = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "operator".into()));
            let now = citygov_domain::now_local();
            let result = match &command {
                AccountCommand::ResetSecondFactor { .. } => {
                    store.reset_second_factor(username, &by, now).await.map(|()| {
                        format!("Đã đặt lại xác thực hai lớp của {username} / second factor of {username} reset")
                    })
                }
                AccountCommand::LogoutEverywhere { tokens, .. } => {
                    match store.account_by_username(&username.trim().to_lowercase()).await {
                        Ok(Some(a)) => store.end_all_sessions(&a.id, (None, &by), *tokens, now).await.map(|n| {
                            format!("Đã kết thúc {n} phiên của {username} / ended {n} sessions of {username}")
                        }),
                        Ok(None) => Err(citygov_store::Error::NotFound(citygov_domain::Problem::new(
                            "unknown_account",
                            "Không có tài khoản với tên đăng nhập này.",
                            "There is no account with this username.",
                        ))),
                        Err(e) => Err(e),
                    }
                }
            };
            store.close().await;
            match result {
                Ok(msg) => {
                    println!("{msg}");
                    Ok(())
                }
                Err(citygov_store::Error::NotFound(p)) => {
                    anyhow::bail!("{} / {}", p.message_vi, p.message_en)
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Migrate { common } => {
            let cfg = load(&cli.config, &common, None)?;
            app::open_store(&cfg).await?.close().await;
            println!(
                "Migrations applied / đã áp dụng migration: {}",
                cfg.database_url().split('@').next_back().unwrap_or_default()
            );
            Ok(())
        }
        Command::Workflow { format } => {
            use citygov_domain::reasons::render_reasons;
            use citygov_domain::workflow::{render_dot, render_mermaid, render_table};
            match format.as_str() {
                "table" => print!("{}", render_table()),
                "reasons" => print!("{}", render_reasons()),
                "mermaid" => print!("{}", render_mermaid()),
                "dot" => print!("{}", render_dot()),
                "all" => print!(
                    "{}\n{}\n```mermaid\n{}```\n\n```dot\n{}```\n",
                    render_table(),
                    render_reasons(),
                    render_mermaid(),
                    render_dot()
                ),
                other => anyhow::bail!(
                    "unknown format {other:?}: table, reasons, mermaid, dot or all / định dạng không hỗ trợ"
                ),
            }
            Ok(())
        }
        Command::Calendar { command } => {
            let cfg = Config::load(cli.config.as_deref(), &Overrides::default())?;
            let cal = |o: &Option<PathBuf>| {
                config::calendar_from(o.as_deref(), &cfg.working_hours_start, &cfg.working_hours_end)
            };
            match command {
                CalendarCommand::Holidays { year, overrides } => {
                    anyhow::ensure!(
                        (1900..=2100).contains(&year),
                        "year must be 1900–2100 / năm phải từ 1900 đến 2100"
                    );
                    let c = cal(&overrides)?;
                    let source = if c.has_official_schedule(year) {
                        "official schedule / lịch chính thức"
                    } else {
                        "statutory rules / quy định của Bộ luật Lao động"
                    };
                    println!("# {year}: {source}");
                    for d in c.holidays(year) {
                        println!("{}\t{}\t{} / {}", d.date, d.date.format("%a"), d.reason_vi, d.reason_en);
                    }
                    for d in c.makeup_working_days(year) {
                        println!("{}\t{}\tLàm bù / make-up working day", d, d.format("%a"));
                    }
                    Ok(())
                }
                CalendarCommand::AddWorkingDays { from, days, overrides } => {
                    let t = cal(&overrides)?.add_working_days(parse_time(&from)?, days);
                    println!("{}", t.format("%Y-%m-%dT%H:%M:%S"));
                    Ok(())
                }
                CalendarCommand::Deadline {
                    from,
                    value,
                    unit,
                    overrides,
                } => {
                    let unit: citygov_domain::calendar::TimeUnit = serde_json::from_value(serde_json::json!(unit))
                        .map_err(|_| {
                            anyhow::anyhow!(
                                "unit must be working_days, working_hours, days or months / đơn vị không hợp lệ"
                            )
                        })?;
                    let t = cal(&overrides)?.deadline(parse_time(&from)?, value, unit);
                    println!("{}", t.format("%Y-%m-%dT%H:%M:%S"));
                    Ok(())
                }
            }
        }
        Command::Catalog { command } => match command {
            CatalogCommand::Export { common, out } => {
                let cfg = load(&cli.config, &common, None)?;
                let store = app::open_store(&cfg).await?;
                let json = serde_json::to_string_pretty(&store.export_procedures().await?)?;
                match out {
                    Some(p) => std::fs::write(p, json)?,
                    None => println!("{json}"),
                }
                Ok(())
            }
            CatalogCommand::Import { common, file } => {
                let cfg = load(&cli.config, &common, None)?;
                let store = app::open_store(&cfg).await?;
                let text = std::fs::read_to_string(&file)?;
                let procs: Vec<citygov_domain::catalog::Procedure> = serde_json::from_str(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "{}: dòng/line {}, cột/column {}: {e}",
                        file.display(),
                        e.line(),
                        e.column()
                    )
                })?;
                match store.import_procedures(&procs, citygov_domain::now_local()).await {
                    Ok(n) => {
                        println!("Imported / đã nhập {n} procedures");
                        Ok(())
                    }
                    Err(citygov_store::Error::Invalid(ps)) => {
                        for p in &ps {
                            eprintln!("{p}");
                        }
                        anyhow::bail!(
                            "{} problems; nothing imported / {} lỗi; chưa nhập gì",
                            ps.len(),
                            ps.len()
                        )
                    }
                    Err(e) => Err(e.into()),
                }
            }
        },
        Command::Bench { command } => match command {
            BenchCommand::Intake {
                dossiers,
                concurrency,
                postgres_url,
                no_sqlite,
            } => {
                let reports = bench::intake(&bench::IntakeOptions {
                    dossiers,
                    concurrency,
                    postgres_url,
                    sqlite: !no_sqlite,
                })
                .await?;
                bench::print(&reports);
                Ok(())
            }
            BenchCommand::Lake {
                rows,
                huge,
                dir,
                postgres_url,
                python,
                no_duckdb,
                runs,
                memory_mb,
                ballista,
                explain,
            } => {
                // Warnings only (not the slow-statement ones of the PostgreSQL comparison,
                // slow by design), unless CITYGOV_LOG asks for more (e.g. `citygov_lake=debug`
                // for each query's planning times).
                init_logs(&std::env::var("CITYGOV_LOG").unwrap_or_else(|_| "warn,sqlx::query=error".into()));
                let report = bench_lake::lake(&bench_lake::LakeBenchOptions {
                    rows: if huge { 100_000_000 } else { rows },
                    dir,
                    postgres_url,
                    python,
                    skip_duckdb: no_duckdb,
                    runs,
                    memory_mb,
                    ballista,
                    explain,
                })
                .await?;
                anyhow::ensure!(
                    bench_lake::print(&report),
                    "the engines disagree on a result / các hệ truy vấn cho kết quả khác nhau"
                );
                Ok(())
            }
        },
        Command::Lake { command } => {
            let config = cli.config.clone();
            lake_cli::run(|common| load(&config, common, None), command).await
        }
        Command::Keys { command } => {
            let config = cli.config.clone();
            keys_cli::run(|common| load(&config, common, None), command).await
        }
        Command::Audit { command } => {
            let config = cli.config.clone();
            audit_cli::run(|common| load(&config, common, None), command).await
        }
        Command::Privacy { command } => {
            let config = cli.config.clone();
            privacy_cli::run(|common| load(&config, common, None), command).await
        }
        Command::Config { common, listen } => {
            let cfg = load(&cli.config, &common, listen)?;
            print!("{}", toml::to_string(&cfg)?);
            Ok(())
        }
        Command::Openapi => {
            println!("{}", citygov_web::openapi::document());
            Ok(())
        }
    }
}
