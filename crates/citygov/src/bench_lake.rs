//! `citygov bench lake`: generates the demo city's dossier events at scale (10 million rows by
//! default), loads them CSV → Delta through the warehouse's own import (validated against the
//! catalog, like any department's file), then runs the KPI queries through the warehouse's
//! query path (policies included) and the same SQL on DuckDB (reading the same Parquet files)
//! and on PostgreSQL (the same rows, loaded with COPY). Prints rows/s, per-query medians and
//! the ratios, and checks that the three engines return the same number of rows.

use anyhow::Context;
use citygov_demo::DemoConfig;
use citygov_domain::catalog::Level;
use citygov_domain::lake::{Classification, Dataset, Field, FieldType, Frequency};
use citygov_domain::unit::UnitKind;
use citygov_lake::{CommitMeta, Format, Import, Lake, LakeOptions, Mode, QueryLimits, Source, TableAccess};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Options of the warehouse benchmark.
#[derive(Debug, Clone)]
pub struct LakeBenchOptions {
    pub rows: u64,
    /// Where the CSV files, the Delta tables and DuckDB's scratch go (a temporary folder when
    /// `None`; kept when given).
    pub dir: Option<PathBuf>,
    /// Admin URL of a PostgreSQL server (a scratch database is made there and dropped).
    pub postgres_url: Option<String>,
    /// Python interpreter with the `duckdb` package.
    pub python: String,
    pub skip_duckdb: bool,
    /// Timed runs per query (after one warm-up run); the median is reported.
    pub runs: usize,
    /// Memory for each query; joins and aggregations spill beyond it.
    pub memory_mb: usize,
    /// Also run the queries on a Ballista scheduler and executor started on loopback.
    pub ballista: bool,
    /// Print each query's plan with what each step did (`EXPLAIN ANALYZE`) after timing it.
    pub explain: bool,
}

pub const EVENTS: &str = "bench_dossier_events";
pub const PROCEDURES: &str = "bench_procedures";

/// The KPI queries: one text, run unchanged by the three engines.
pub const QUERIES: &[(&str, &str)] = &[
    (
        "on-time share per unit per month",
        "SELECT unit_code, date_trunc('month', finished_at) AS month, count(*) AS finished, \
         sum(CASE WHEN finished_at <= due_at THEN 1 ELSE 0 END) AS on_time, \
         round(100.0 * sum(CASE WHEN finished_at <= due_at THEN 1 ELSE 0 END) / count(*), 2) AS on_time_pct \
         FROM bench_dossier_events WHERE event_type = 'hoan_thanh' \
         GROUP BY unit_code, date_trunc('month', finished_at) ORDER BY unit_code, month",
    ),
    (
        "online share per procedure",
        "SELECT procedure_code, count(*) AS received, \
         sum(CASE WHEN channel = 'truc_tuyen' THEN 1 ELSE 0 END) AS online, \
         round(100.0 * sum(CASE WHEN channel = 'truc_tuyen' THEN 1 ELSE 0 END) / count(*), 2) AS online_pct \
         FROM bench_dossier_events WHERE event_type = 'tiep_nhan' \
         GROUP BY procedure_code ORDER BY received DESC, procedure_code LIMIT 100",
    ),
    (
        "top overdue procedures",
        "SELECT procedure_code, unit_code, count(*) AS overdue, max(finished_at) AS last_overdue \
         FROM bench_dossier_events WHERE event_type = 'hoan_thanh' AND finished_at > due_at \
         GROUP BY procedure_code, unit_code ORDER BY overdue DESC, procedure_code, unit_code LIMIT 20",
    ),
    (
        "join with the catalog",
        "SELECT p.field_name, p.level, count(*) AS finished, \
         sum(CASE WHEN e.finished_at <= e.due_at THEN 1 ELSE 0 END) AS on_time \
         FROM bench_dossier_events e JOIN bench_procedures p ON p.code = e.procedure_code \
         WHERE e.event_type = 'hoan_thanh' \
         GROUP BY p.field_name, p.level ORDER BY finished DESC, p.field_name, p.level",
    ),
];

/// Rows and median milliseconds of `runs` timed runs of a query after a warm-up run, which
/// must run on `engine`.
async fn time_query(
    lake: &Lake,
    sql: &str,
    access: impl Fn() -> Vec<TableAccess>,
    runs: usize,
    engine: &str,
) -> anyhow::Result<(usize, f64)> {
    let mut times = Vec::new();
    let mut rows = 0;
    for i in 0..=runs {
        let t = Instant::now();
        let out = lake.query(sql, access()).await?;
        anyhow::ensure!(out.engine == engine, "the query ran on {}, not {engine}", out.engine);
        if i > 0 {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        rows = out.rows;
    }
    Ok((rows, median(times)))
}

/// A query that cannot fit a small memory pool: one group per dossier (millions of groups).
const SPILL_QUERY: &str = "SELECT count(*) AS dossiers, max(events) AS most_events, min(first_event) AS first_event \
     FROM (SELECT dossier_code, count(*) AS events, min(event_at) AS first_event FROM bench_dossier_events GROUP BY dossier_code) g";

/// One query's figures.
#[derive(Debug, Clone)]
pub struct QueryFigures {
    pub name: String,
    pub rows: usize,
    /// In process, running the plan kept from the warm-up run (as a dashboard repeating
    /// its queries does).
    pub datafusion_ms: f64,
    /// In process, planning every run (policies, optimisers) as a new query does.
    pub planned_ms: f64,
    pub duckdb: Option<(usize, f64)>,
    pub postgres: Option<(usize, f64)>,
    /// The same query on a Ballista scheduler and executor on loopback (`--ballista`).
    pub ballista: Option<(usize, f64)>,
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct LakeBenchReport {
    pub rows: u64,
    pub csv_bytes: u64,
    pub generate_s: f64,
    pub ingest_s: f64,
    pub ingest_rows_per_s: f64,
    pub parquet_files: usize,
    pub parquet_bytes: u64,
    pub queries: Vec<QueryFigures>,
    pub spill: Option<(usize, f64, usize)>,
    pub postgres_load_s: Option<f64>,
    pub peak_rss_mb: Option<f64>,
}

fn field(name: &str, t: FieldType, required: bool) -> Field {
    Field::new(name, t, Classification::Internal, required)
}

fn dataset(name: &str, title: &str, fields: Vec<Field>, key: &[&str]) -> Dataset {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut d = Dataset::new(
        name,
        "BENCH",
        "bench",
        title,
        "hanh-chinh-cong",
        Frequency::Continuous,
        fields,
    );
    d.title_en = title.into();
    d.key = key.iter().map(|k| k.to_string()).collect();
    d.unit_column = Some("unit_code".into());
    d.created_at = now.clone();
    d.updated_at = now;
    d
}

fn events_dataset() -> Dataset {
    use FieldType::*;
    let mut d = dataset(
        EVENTS,
        "Sự kiện hồ sơ (benchmark)",
        vec![
            field("event_id", Integer, true),
            field("dossier_code", Text, true),
            field("procedure_code", Text, true),
            field("unit_code", Text, true),
            field("channel", Text, true),
            field("event_type", Text, true),
            field("event_at", Timestamp, true),
            field("received_at", Timestamp, true),
            field("due_at", Timestamp, true),
            field("finished_at", Timestamp, false),
        ],
        &["event_id"],
    );
    // The KPI queries filter on the event type: most row groups then hold one type, and a
    // filter skips the others.
    d.cluster_by = vec!["event_type".into()];
    d
}

fn procedures_dataset() -> Dataset {
    use FieldType::*;
    let mut d = dataset(
        PROCEDURES,
        "Thủ tục hành chính (benchmark)",
        vec![
            field("code", Text, true),
            field("name", Text, true),
            field("field_name", Text, true),
            field("level", Text, true),
            field("time_limit", Integer, true),
        ],
        &["code"],
    );
    d.unit_column = None;
    d
}

const EVENT_COLUMNS: &str =
    "event_id,dossier_code,procedure_code,unit_code,channel,event_type,event_at,received_at,due_at,finished_at";

fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Write the catalog and `rows` events of the demo city; returns the CSV sizes.
fn generate(dir: &Path, rows: u64) -> anyhow::Result<u64> {
    let city = citygov_demo::build_city(&DemoConfig::default());
    let communes: Vec<String> = city
        .units
        .iter()
        .filter(|u| {
            u.valid_to.is_none() && matches!(u.kind, UnitKind::Ward | UnitKind::Commune | UnitKind::SpecialZone)
        })
        .map(|u| u.code.as_str().to_string())
        .collect();
    anyhow::ensure!(!communes.is_empty(), "the demo city has no communes");
    let mut procs = std::io::BufWriter::new(std::fs::File::create(dir.join("procedures.csv"))?);
    writeln!(procs, "code,name,field_name,level,time_limit")?;
    let mut catalog = Vec::new();
    for p in &city.procedures {
        let level = match p.level {
            Level::City => "tinh",
            Level::Commune => "xa",
        };
        writeln!(
            procs,
            "{},{},{},{},{}",
            csv_text(&p.code),
            csv_text(&p.name),
            csv_text(&p.field_name),
            level,
            p.time_limit.value
        )?;
        let unit = p.competent_unit.as_ref().map(|c| c.as_str().to_string());
        // Busy procedures first: a skewed choice, as in real life.
        catalog.push((p.code.clone(), unit, p.time_limit.value.clamp(1, 60) as i64));
    }
    procs.flush()?;
    drop(procs);

    let file = std::fs::File::create(dir.join("events.csv"))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "{EVENT_COLUMNS}")?;
    let mut rng = StdRng::seed_from_u64(20250701);
    let start = chrono::NaiveDate::from_ymd_opt(2025, 7, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid")
        .and_utc()
        .timestamp();
    let span = 365 * 86_400i64;
    let fmt = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .expect("in range")
            .naive_utc()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    let (mut written, mut dossier) = (0u64, 0u64);
    let n = catalog.len();
    while written < rows {
        dossier += 1;
        // A power-law pick: a few procedures get most dossiers.
        let u: f64 = rng.r#gen();
        let pi = ((u * u * u) * n as f64) as usize % n;
        let (code, unit, days) = &catalog[pi];
        let unit = unit
            .clone()
            .unwrap_or_else(|| communes[rng.gen_range(0..communes.len())].clone());
        let received = start + rng.gen_range(0..span);
        let due = received + days * 86_400 * 7 / 5;
        let finished = if rng.gen_bool(0.9) {
            let late = rng.gen_bool(0.06);
            let took = if late {
                days * 86_400 * 7 / 5 + rng.gen_range(3_600..20 * 86_400)
            } else {
                rng.gen_range(1_800..(days * 86_400 * 7 / 5).max(3_600))
            };
            Some(received + took)
        } else {
            None
        };
        let channel = match rng.gen_range(0..100) {
            0..=71 => "truc_tuyen",
            72..=95 => "truc_tiep",
            _ => "buu_chinh",
        };
        let code_text = format!("H31.{:02}-{:08}", dossier % 97, dossier);
        let mut events: Vec<(&str, i64)> = vec![("tiep_nhan", received), ("dang_xu_ly", received + 3_600)];
        if let Some(f) = finished {
            events.push(("hoan_thanh", f));
            events.push(("tra_ket_qua", f + rng.gen_range(600..3 * 86_400)));
        }
        let fin = finished.map(fmt).unwrap_or_default();
        let (rec, due_s) = (fmt(received), fmt(due));
        for (kind, at) in events {
            if written >= rows {
                break;
            }
            written += 1;
            writeln!(
                out,
                "{written},{code_text},{code},{unit},{channel},{kind},{},{rec},{due_s},{fin}",
                fmt(at)
            )?;
        }
    }
    out.flush()?;
    let size = std::fs::metadata(dir.join("events.csv"))?.len();
    Ok(size)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn parquet_files(dir: &Path) -> anyhow::Result<(Vec<PathBuf>, u64)> {
    let mut files = Vec::new();
    let mut bytes = 0;
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let p = e.path();
        if p.extension().is_some_and(|x| x == "parquet") {
            bytes += e.metadata()?.len();
            files.push(p);
        }
    }
    files.sort();
    Ok((files, bytes))
}

const DUCKDB_SCRIPT: &str = include_str!("bench_lake_duckdb.py");

fn run_duckdb(
    python: &str,
    events: &[PathBuf],
    procedures: &[PathBuf],
    runs: usize,
    scratch: &Path,
) -> anyhow::Result<Vec<(usize, f64)>> {
    let input = serde_json::json!({
        "events": events,
        "procedures": procedures,
        "queries": QUERIES.iter().map(|(_, q)| *q).collect::<Vec<_>>(),
        "runs": runs,
        "scratch": scratch,
    });
    let mut child = std::process::Command::new(python)
        .arg("-c")
        .arg(DUCKDB_SCRIPT)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {python}"))?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.to_string().as_bytes())?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(
        out.status.success(),
        "DuckDB run failed (is the `duckdb` package installed? `python3 -m pip install duckdb`)"
    );
    let v: Value = serde_json::from_slice(&out.stdout).context("DuckDB output")?;
    Ok(v["queries"]
        .as_array()
        .context("DuckDB output")?
        .iter()
        .map(|q| {
            (
                q["rows"].as_u64().unwrap_or(0) as usize,
                q["median_ms"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect())
}

async fn run_postgres(admin: &str, dir: &Path, runs: usize) -> anyhow::Result<(f64, Vec<(usize, f64)>)> {
    use sqlx::{Connection, Executor, Row};
    let url = citygov_store::create_scratch_database(admin, "citygov_bench").await?;
    let result = async {
        let mut c = sqlx::postgres::PgConnection::connect(&url).await?;
        c.execute(
            "CREATE TABLE bench_dossier_events (event_id bigint PRIMARY KEY, dossier_code text NOT NULL, \
             procedure_code text NOT NULL, unit_code text NOT NULL, channel text NOT NULL, event_type text NOT NULL, \
             event_at timestamp NOT NULL, received_at timestamp NOT NULL, due_at timestamp NOT NULL, finished_at timestamp); \
             CREATE TABLE bench_procedures (code text PRIMARY KEY, name text NOT NULL, field_name text NOT NULL, \
             level text NOT NULL, time_limit bigint NOT NULL)",
        )
        .await?;
        let t = Instant::now();
        for (table, file) in [(EVENTS, "events.csv"), (PROCEDURES, "procedures.csv")] {
            let f = tokio::fs::File::open(dir.join(file)).await?;
            let mut copy = c
                .copy_in_raw(&format!("COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)"))
                .await?;
            copy.read_from(f).await?;
            copy.finish().await?;
        }
        c.execute("ANALYZE bench_dossier_events; ANALYZE bench_procedures").await?;
        let load = t.elapsed().as_secs_f64();
        let mut out = Vec::new();
        for (_, q) in QUERIES {
            let mut times = Vec::new();
            let mut rows = 0;
            for i in 0..=runs {
                let t = Instant::now();
                let r = sqlx::query(sqlx::AssertSqlSafe(q.to_string())).fetch_all(&mut c).await?;
                if i > 0 {
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                rows = r.len();
                let _ = r.first().map(|r| r.len());
            }
            out.push((rows, median(times)));
        }
        c.close().await?;
        anyhow::Ok((load, out))
    }
    .await;
    citygov_store::drop_scratch_database(admin, &url).await.ok();
    result
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Run the benchmark.
pub async fn lake(opts: &LakeBenchOptions) -> anyhow::Result<LakeBenchReport> {
    let tmp;
    let dir = match &opts.dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.clone()
        }
        None => {
            tmp = tempfile::tempdir()?;
            tmp.path().to_path_buf()
        }
    };
    let lake_dir = dir.join("lake");
    if lake_dir.exists() {
        std::fs::remove_dir_all(&lake_dir)?;
    }
    let runs = opts.runs.max(1);

    eprintln!("generating {} events…", opts.rows);
    let t = Instant::now();
    let rows = opts.rows;
    let gen_dir = dir.clone();
    let csv_bytes = tokio::task::spawn_blocking(move || generate(&gen_dir, rows)).await??;
    let generate_s = t.elapsed().as_secs_f64();

    let mut lo = LakeOptions::local(&lake_dir);
    lo.limits = QueryLimits {
        memory_bytes: opts.memory_mb.max(16) * 1024 * 1024,
        timeout: Duration::from_secs(600),
        max_rows: 1_000_000,
    };
    let lake = Lake::open(&lo)?;
    let (events, procedures) = (events_dataset(), procedures_dataset());
    let meta = |src: &str| CommitMeta {
        user: "bench".into(),
        unit: "BENCH".into(),
        reason: "citygov bench lake".into(),
        source: src.into(),
    };
    let file = |name: &str| Source::File {
        path: dir.join(name),
        format: Format::Csv,
        encoding: None,
    };
    lake.import(
        &procedures,
        Import::new(file("procedures.csv"), Mode::Overwrite, meta("procedures.csv")),
    )
    .await?;
    eprintln!("loading events.csv ({:.0} MB) into Delta…", csv_bytes as f64 / 1e6);
    let t = Instant::now();
    let report = lake
        .import(
            &events,
            Import::new(file("events.csv"), Mode::Append, meta("events.csv")),
        )
        .await?;
    let ingest_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(report.rows == opts.rows, "loaded {} rows of {}", report.rows, opts.rows);
    let (event_files, parquet_bytes) = parquet_files(&lake_dir.join(EVENTS))?;
    let (procedure_files, _) = parquet_files(&lake_dir.join(PROCEDURES))?;

    let access = || vec![TableAccess::whole(&events), TableAccess::whole(&procedures)];
    // The same tables through a handle that keeps no plan: every run plans its query.
    let mut unkept = lo.clone();
    unkept.kept_plans = 0;
    let planning = Lake::open(&unkept)?;
    let mut queries = Vec::new();
    for (name, q) in QUERIES {
        eprintln!("DataFusion: {name}");
        let (rows, ms) = time_query(&lake, q, access, runs, "datafusion").await?;
        let (planned_rows, planned_ms) = time_query(&planning, q, access, runs, "datafusion").await?;
        anyhow::ensure!(
            planned_rows == rows,
            "{name}: {planned_rows} rows when planned every run, {rows} with the kept plan"
        );
        if opts.explain {
            let plan = lake.query(&format!("EXPLAIN ANALYZE {q}"), access()).await?;
            for row in plan.rows_text(usize::MAX) {
                eprintln!("{}", row.join("\n"));
            }
        }
        queries.push(QueryFigures {
            name: name.to_string(),
            rows,
            datafusion_ms: ms,
            planned_ms,
            duckdb: None,
            postgres: None,
            ballista: None,
        });
    }

    if opts.ballista {
        eprintln!("Ballista: a scheduler and an executor on loopback…");
        let mut dist = lo.clone();
        dist.ballista_url = Some(
            lake.start_local_cluster(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
                .await?,
        );
        let dist = Lake::open(&dist)?;
        for (q, (_, sql)) in queries.iter_mut().zip(QUERIES) {
            q.ballista = Some(time_query(&dist, sql, access, runs, "ballista").await?);
        }
    }

    // Spilling: the same engine under a small pool.
    let mut small = lo.clone();
    small.limits.memory_bytes = 32 * 1024 * 1024;
    let spill = {
        let lake_small = Lake::open(&small)?;
        let t = Instant::now();
        match lake_small.query(SPILL_QUERY, vec![TableAccess::whole(&events)]).await {
            Ok(out) => Some((out.rows, t.elapsed().as_secs_f64() * 1000.0, 32)),
            Err(e) => {
                eprintln!("spill query under 32 MiB failed: {e}");
                None
            }
        }
    };

    if !opts.skip_duckdb {
        eprintln!("DuckDB on the same Parquet files…");
        let scratch = dir.join("duckdb");
        std::fs::create_dir_all(&scratch)?;
        let figures = run_duckdb(&opts.python, &event_files, &procedure_files, runs, &scratch)?;
        for (q, f) in queries.iter_mut().zip(figures) {
            q.duckdb = Some(f);
        }
    }
    let mut postgres_load_s = None;
    if let Some(admin) = &opts.postgres_url {
        eprintln!("PostgreSQL: COPY and the same SQL…");
        let (load, figures) = run_postgres(admin, &dir, runs).await?;
        postgres_load_s = Some(load);
        for (q, f) in queries.iter_mut().zip(figures) {
            q.postgres = Some(f);
        }
    }
    Ok(LakeBenchReport {
        rows: opts.rows,
        csv_bytes,
        generate_s,
        ingest_s,
        ingest_rows_per_s: opts.rows as f64 / ingest_s,
        parquet_files: event_files.len(),
        parquet_bytes,
        queries,
        spill,
        postgres_load_s,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// Print the report; returns false when the engines disagree on a result's size.
pub fn print(r: &LakeBenchReport) -> bool {
    println!("citygov bench lake — {} dossier events", r.rows);
    println!(
        "generate CSV        {:>10.1} s  ({:.0} MB)",
        r.generate_s,
        r.csv_bytes as f64 / 1e6
    );
    println!(
        "ingest CSV → Delta  {:>10.1} s  {:>12.0} rows/s  (validated; {} Parquet files, {:.0} MB)",
        r.ingest_s,
        r.ingest_rows_per_s,
        r.parquet_files,
        r.parquet_bytes as f64 / 1e6
    );
    if let Some(s) = r.postgres_load_s {
        println!(
            "PostgreSQL COPY     {:>10.1} s  {:>12.0} rows/s  (with ANALYZE)",
            s,
            r.rows as f64 / s
        );
    }
    println!();
    println!(
        "{:<36} {:>7} {:>12} {:>10} {:>10} {:>9} {:>9}",
        "query (median ms)", "rows", "DataFusion", "DuckDB", "PostgreSQL", "DF/Duck", "PG/DF"
    );
    let mut agree = true;
    for q in &r.queries {
        let duck = q.duckdb.map(|(_, ms)| format!("{ms:.1}")).unwrap_or_else(|| "-".into());
        let pg = q
            .postgres
            .map(|(_, ms)| format!("{ms:.1}"))
            .unwrap_or_else(|| "-".into());
        let r1 = q
            .duckdb
            .map(|(_, ms)| format!("{:.2}×", q.datafusion_ms / ms))
            .unwrap_or_else(|| "-".into());
        let r2 = q
            .postgres
            .map(|(_, ms)| format!("{:.1}×", ms / q.datafusion_ms))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<36} {:>7} {:>12.1} {:>10} {:>10} {:>9} {:>9}",
            q.name, q.rows, q.datafusion_ms, duck, pg, r1, r2
        );
        let planned_ratio = q
            .duckdb
            .map(|(_, ms)| format!(" ({:.2}× DuckDB)", q.planned_ms / ms))
            .unwrap_or_default();
        println!(
            "  planned every run (no kept plan): {:.1} ms{planned_ratio}",
            q.planned_ms
        );
        if let Some((_, ms)) = q.ballista {
            println!("  on Ballista (scheduler + executor on loopback): {ms:.1} ms");
        }
        for (engine, other) in [
            ("DuckDB", q.duckdb),
            ("PostgreSQL", q.postgres),
            ("Ballista", q.ballista),
        ] {
            if let Some((rows, _)) = other
                && rows != q.rows
            {
                agree = false;
                println!("  ! {engine} returned {rows} rows, DataFusion {}", q.rows);
            }
        }
    }
    match r.spill {
        Some((rows, ms, mb)) => println!(
            "\ngroup by dossier (one group per dossier) under a {mb} MiB pool: {rows} rows in {ms:.0} ms, finished within the pool"
        ),
        None => println!("\ngroup by dossier under a 32 MiB pool: failed"),
    }
    if let Some(mb) = r.peak_rss_mb {
        println!("peak resident memory of this process: {mb:.0} MB");
    }
    agree
}
