//! `citygov bench intake`: files dossiers through the real HTTP API and runs them through
//! acceptance → processing → finished → returned, on SQLite and on PostgreSQL; prints
//! dossiers/s, p50 and p99 latency, the rate at half load, and the ratio to a plain INSERT of
//! the same rows into the same database.

use crate::app;
use crate::config::Config;
use crate::demo_load::{self, DEMO_PASSWORD};
use citygov_demo::DemoConfig;
use citygov_demo::sample_form;
use citygov_domain::catalog::{Level, Procedure};
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of the intake benchmark.
#[derive(Debug, Clone)]
pub struct IntakeOptions {
    pub dossiers: usize,
    pub concurrency: usize,
    /// Admin URL of a PostgreSQL server (a scratch database is made there), if any.
    pub postgres_url: Option<String>,
    pub sqlite: bool,
}

/// One backend's figures.
#[derive(Debug, Clone)]
pub struct IntakeReport {
    pub backend: String,
    pub filed: usize,
    pub filed_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub half_rate_per_s: f64,
    pub half_p50_ms: f64,
    pub half_p99_ms: f64,
    pub lifecycle_actions_per_s: f64,
    pub lifecycle_p99_ms: f64,
    pub plain_insert_per_s: f64,
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    /// Log in; officials (on the benchmark's fresh data) enrol an authenticator and answer
    /// with its code.
    async fn login(&self, user: &str) -> anyhow::Result<String> {
        let r = self
            .http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"username": user, "password": DEMO_PASSWORD}))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "login {user}: {}", r.status());
        let body: Value = r.json().await?;
        if let Some(token) = body["token"].as_str() {
            return Ok(token.to_string());
        }
        let sf = &body["second_factor"];
        let (Some(challenge), Some(secret)) = (sf["challenge"].as_str(), sf["enrollment"]["secret"].as_str()) else {
            anyhow::bail!("login {user}: no session and no enrolment in {body}");
        };
        let code = citygov_store::second_factor::totp_code(secret, citygov_domain::now_local())?;
        let r = self
            .http
            .post(format!("{}/api/v1/auth/second-factor", self.base))
            .json(&json!({"challenge": challenge, "code": code}))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "second factor of {user}: {}", r.status());
        Ok(r.json::<Value>().await?["token"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }
}

fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}

/// Run the benchmark on each configured backend.
pub async fn intake(opts: &IntakeOptions) -> anyhow::Result<Vec<IntakeReport>> {
    let mut out = Vec::new();
    if opts.sqlite {
        let dir = tempfile::tempdir()?;
        let cfg = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        out.push(run_one("SQLite", cfg, opts).await?);
    }
    if let Some(admin) = &opts.postgres_url {
        let url = citygov_store::create_scratch_database(admin, "citygov_bench").await?;
        let dir = tempfile::tempdir()?;
        let cfg = Config {
            data_dir: dir.path().to_path_buf(),
            database_url: url.clone(),
            max_connections: 32,
            ..Config::default()
        };
        let r = run_one("PostgreSQL", cfg, opts).await;
        citygov_store::drop_scratch_database(admin, &url).await.ok();
        out.push(r?);
    }
    Ok(out)
}

async fn run_one(backend: &str, cfg: Config, opts: &IntakeOptions) -> anyhow::Result<IntakeReport> {
    eprintln!("[{backend}] building the demo catalog and accounts…");
    let state = app::build_state(&cfg).await?;
    let store = state.store.clone();
    let now = citygov_domain::now_local();
    let demo = DemoConfig {
        seed: 7,
        dossiers: 0,
        city_code: cfg.city_code.clone(),
        end: now,
    };
    let (city, _) = demo_load::load_city(&store, &demo, now).await?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(async move {
        app::serve(
            state,
            "127.0.0.1:0",
            None,
            |a| {
                let _ = tx.send(a);
            },
            async {},
        )
        .await
    });
    let addr = rx.await?;
    let client = Arc::new(Client {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(opts.concurrency * 2)
            .build()?,
        base: format!("http://{addr}"),
    });

    // Commune-level online procedures, filed at communes by citizens; the commune's own
    // officials take them through the lifecycle.
    let procs: Vec<Procedure> = city
        .procedures
        .iter()
        .filter(|p| {
            p.level == Level::Commune
                && p.online_level.accepts_online()
                && p.applicant_types
                    .contains(&citygov_domain::codes::ApplicantType::Citizen)
        })
        .cloned()
        .collect();
    anyhow::ensure!(!procs.is_empty(), "no online commune procedure in the demo catalog");
    let communes: Vec<_> = city
        .units
        .iter()
        .filter(|u| u.kind.is_commune_level() && u.valid_to.is_none())
        .take(20)
        .cloned()
        .collect();
    let citizens: Vec<String> = city
        .citizens
        .iter()
        .take(opts.concurrency.max(1))
        .map(|a| a.username.clone())
        .collect();
    let mut citizen_tokens = Vec::new();
    for c in &citizens {
        citizen_tokens.push(client.login(c).await?);
    }
    let mut official_tokens = std::collections::HashMap::new();
    for u in &communes {
        let find = |prefix: &str| {
            city.officials
                .iter()
                .find(|a| a.username.starts_with(prefix) && a.roles.iter().any(|(_, unit)| unit == &u.id))
                .map(|a| a.username.clone())
        };
        let (Some(tn), Some(xl)) = (find("tn."), find("xl.")) else {
            anyhow::bail!("no officials for {}", u.name)
        };
        official_tokens.insert(u.code.to_string(), (client.login(&tn).await?, client.login(&xl).await?));
    }
    let bodies: Arc<Vec<Value>> = Arc::new(
        (0..opts.dossiers)
            .map(|i| {
                let p = &procs[i % procs.len()];
                let u = &communes[i % communes.len()];
                let documents: Vec<Value> = p.components.iter().filter(|c| c.required).map(|c| json!({"component_code": c.code, "digitisation": "reused_document", "reused_from": "bench"})).collect();
                json!({"procedure_code": p.code, "receiving_unit_code": u.code.to_string(), "form_data": sample_form(&p.eform, i), "documents": documents})
            })
            .collect(),
    );

    // Phase 1: as fast as the API takes them.
    eprintln!(
        "[{backend}] filing {} dossiers with {} clients…",
        opts.dossiers, opts.concurrency
    );
    let (filed, hist, elapsed) = file_all(&client, &bodies, &citizen_tokens, opts.concurrency, None).await?;
    let filed_per_s = filed.len() as f64 / elapsed.as_secs_f64();

    // Phase 2: half that rate, for latency under a sustainable load.
    let half = filed_per_s / 2.0;
    let n_half = ((half * 5.0) as usize).clamp(200, opts.dossiers);
    let half_bodies = Arc::new(bodies[..n_half].to_vec());
    eprintln!("[{backend}] filing {n_half} more at {half:.0}/s…");
    let (_, hist_half, el_half) =
        file_all(&client, &half_bodies, &citizen_tokens, opts.concurrency, Some(half)).await?;

    // Phase 3: the lifecycle of every filed dossier.
    eprintln!(
        "[{backend}] accept → forward → finish → return for {} dossiers…",
        filed.len()
    );
    let (actions, hist_life, el_life) = lifecycle(&client, &filed, &official_tokens, opts.concurrency).await?;

    // Baseline: a plain INSERT of the same rows, one per transaction, same concurrency.
    eprintln!("[{backend}] plain INSERT baseline…");
    let plain_per_s = plain_insert(&store, filed.len(), opts.concurrency).await?;

    server.abort();
    Ok(IntakeReport {
        backend: backend.to_string(),
        filed: filed.len(),
        filed_per_s,
        p50_ms: ms(&hist, 0.5),
        p99_ms: ms(&hist, 0.99),
        half_rate_per_s: n_half as f64 / el_half.as_secs_f64(),
        half_p50_ms: ms(&hist_half, 0.5),
        half_p99_ms: ms(&hist_half, 0.99),
        lifecycle_actions_per_s: actions as f64 / el_life.as_secs_f64(),
        lifecycle_p99_ms: ms(&hist_life, 0.99),
        plain_insert_per_s: plain_per_s,
    })
}

type Filed = Vec<(String, String)>; // (code, receiving unit code)

async fn file_all(
    client: &Arc<Client>,
    bodies: &Arc<Vec<Value>>,
    tokens: &[String],
    concurrency: usize,
    rate: Option<f64>,
) -> anyhow::Result<(Filed, Histogram<u64>, Duration)> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let (client, bodies, next, token) = (
            client.clone(),
            bodies.clone(),
            next.clone(),
            tokens[w % tokens.len()].clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new(3).expect("histogram");
            let mut filed = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= bodies.len() {
                    break;
                }
                if let Some(r) = rate {
                    // Open-loop pacing: request i is due at i / rate seconds.
                    let due = start + Duration::from_secs_f64(i as f64 / r);
                    tokio::time::sleep_until(due.into()).await;
                }
                let t = Instant::now();
                let resp = client
                    .http
                    .post(format!("{}/api/v1/dossiers", client.base))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                    .json(&bodies[i])
                    .send()
                    .await?;
                let status = resp.status();
                let v: Value = resp.json().await?;
                hist.record(t.elapsed().as_micros() as u64).ok();
                anyhow::ensure!(status.as_u16() == 201, "filing failed: {status} {v}");
                filed.push((
                    v["code"].as_str().unwrap_or_default().to_string(),
                    v["receiving_unit_code"].as_str().unwrap_or_default().to_string(),
                ));
            }
            anyhow::Ok((filed, hist))
        }));
    }
    let mut all = Vec::new();
    let mut hist = Histogram::<u64>::new(3)?;
    for t in tasks {
        let (f, h) = t.await??;
        all.extend(f);
        hist.add(h)?;
    }
    Ok((all, hist, start.elapsed()))
}

async fn lifecycle(
    client: &Arc<Client>,
    filed: &Filed,
    tokens: &std::collections::HashMap<String, (String, String)>,
    concurrency: usize,
) -> anyhow::Result<(usize, Histogram<u64>, Duration)> {
    let work = Arc::new(filed.clone());
    let tokens = Arc::new(tokens.clone());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, work, tokens, next) = (client.clone(), work.clone(), tokens.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new(3).expect("histogram");
            let mut n = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= work.len() {
                    break;
                }
                let (code, unit) = &work[i];
                let (intake, processing) = tokens
                    .get(unit)
                    .ok_or_else(|| anyhow::anyhow!("no officials for {unit}"))?;
                let steps: [(&str, &String, Value); 4] = [
                    ("accept", intake, json!({})),
                    ("forward", intake, json!({})),
                    (
                        "finish",
                        processing,
                        json!({"results": [{"name": "Kết quả giải quyết", "result_code": format!("KQ-{i}")}]}),
                    ),
                    ("return_result", intake, json!({})),
                ];
                for (action, token, body) in steps {
                    let t = Instant::now();
                    let r = client
                        .http
                        .post(format!("{}/api/v1/dossiers/{code}/actions/{action}", client.base))
                        .bearer_auth(token)
                        .json(&body)
                        .send()
                        .await?;
                    let status = r.status();
                    let text = r.text().await?;
                    hist.record(t.elapsed().as_micros() as u64).ok();
                    anyhow::ensure!(status.is_success(), "{action} {code}: {status} {text}");
                    n += 1;
                }
            }
            anyhow::Ok((n, hist))
        }));
    }
    let mut total = 0;
    let mut hist = Histogram::<u64>::new(3)?;
    for t in tasks {
        let (n, h) = t.await??;
        total += n;
        hist.add(h)?;
    }
    Ok((total, hist, start.elapsed()))
}

async fn plain_insert(store: &citygov_store::Store, n: usize, concurrency: usize) -> anyhow::Result<f64> {
    let pool = store.pool().clone();
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_plain (id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)",
    )
    .execute(&pool)
    .await?;
    // The same rows: the documents of the dossiers just filed.
    let docs: Vec<String> = sqlx::query_scalar::<_, String>("SELECT doc FROM dossiers LIMIT 100000")
        .fetch_all(&pool)
        .await?;
    anyhow::ensure!(!docs.is_empty(), "no dossier to copy");
    let docs = Arc::new(docs);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let lock = Arc::new(tokio::sync::Mutex::new(()));
    let sqlite = store.backend() == citygov_store::Backend::Sqlite;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (pool, docs, next, lock) = (pool.clone(), docs.clone(), next.clone(), lock.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                // The same writer discipline as the store (one SQLite writer at a time).
                let _g = if sqlite { Some(lock.lock().await) } else { None };
                sqlx::query("INSERT INTO bench_plain (id, code, doc) VALUES ($1, $2, $3)")
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(format!("PLAIN-{i}"))
                    .bind(docs[i % docs.len()].clone())
                    .execute(&pool)
                    .await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Print the figures as a table.
pub fn print(reports: &[IntakeReport]) {
    println!("\nIntake benchmark (HTTP API, with audit, history and outbox in each transaction)\n");
    println!(
        "| backend | filed | dossiers/s | p50 ms | p99 ms | half-rate /s | p50 ms | p99 ms | lifecycle actions/s | p99 ms | plain INSERT/s | ratio | peak-day margin |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in reports {
        let ratio = r.filed_per_s / r.plain_insert_per_s;
        // Peak: 14,000 dossiers in one 8-hour working day.
        let margin = r.filed_per_s * 8.0 * 3600.0 / 14_000.0;
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.0} | {:.0}% | {:.0}× |",
            r.backend,
            r.filed,
            r.filed_per_s,
            r.p50_ms,
            r.p99_ms,
            r.half_rate_per_s,
            r.half_p50_ms,
            r.half_p99_ms,
            r.lifecycle_actions_per_s,
            r.lifecycle_p99_ms,
            r.plain_insert_per_s,
            ratio * 100.0,
            margin
        );
    }
}
