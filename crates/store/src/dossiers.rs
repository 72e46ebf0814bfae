//! Dossiers: filing (with a database-backed daily code counter and idempotency keys),
//! transitions (the dossier row, its history entry, its audit record and its outbox event in
//! one transaction), lookups and the officials' queues.

use crate::keys::{open_doc, sealed_doc};
use crate::sealing::{Field, Sealer};
use crate::{AuditRecord, Error, Result, Store, parse_ts, ts, write_outbox};
use citygov_domain::codes::{AgencyCode, DossierCodeFormat};
use citygov_domain::dossier::{Dossier, HistoryEntry, Status};
use citygov_domain::{LocalTime, Problem};
use serde::Serialize;
use sqlx::Row;

/// A dossier to file: complete but for its code, with what to record alongside.
pub struct Filing {
    pub dossier: Dossier,
    pub receiving_agency: AgencyCode,
    /// History entries: the filing, and acceptance when accepted at the desk at once.
    pub history: Vec<HistoryEntry>,
    pub audit: AuditRecord,
    /// Uploaded files to attach (must be owned by `file_owner` and not attached yet).
    pub file_ids: Vec<String>,
    pub file_owner: String,
    pub idempotency: Option<IdempotencyKey>,
}

/// An `Idempotency-Key` with who sent it and a hash of the request body.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub principal: String,
    pub key: String,
    pub request_hash: String,
}

/// What a change of a dossier records besides the dossier itself.
pub struct Change {
    pub history: HistoryEntry,
    pub audit: AuditRecord,
    /// Uploaded files to attach to the dossier (supplements, results).
    pub attach_files: Vec<String>,
    pub file_owner: String,
}

async fn attach(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: &str,
    file_ids: &[String],
    owner: &str,
) -> Result<()> {
    for fid in file_ids {
        let n = sqlx::query("UPDATE files SET dossier_id = $1 WHERE id = $2 AND owner = $3 AND dossier_id IS NULL")
            .bind(dossier_id.to_string())
            .bind(fid.clone())
            .bind(owner.to_string())
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if n != 1 {
            return Err(Error::invalid(
                Problem::new(
                    "file_not_available",
                    format!("Tệp {fid} không tồn tại, không phải của bạn hoặc đã gắn vào hồ sơ khác."),
                    format!("File {fid} does not exist, is not yours, or is already attached to another dossier."),
                )
                .at("documents"),
            ));
        }
    }
    Ok(())
}

/// A filing waiting for the intake writer.
pub(crate) struct IntakeJob {
    filing: Filing,
    format: DossierCodeFormat,
    reply: tokio::sync::oneshot::Sender<Result<Filed>>,
}

/// The outcome of a filing.
pub enum Filed {
    New(Dossier),
    /// The same request was filed before under this key: the dossier it filed.
    Replayed(Dossier),
}

/// What the history query returns.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub id: i64,
    #[serde(flatten)]
    pub entry: HistoryEntry,
}

/// Queue filters for officials.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    /// Units whose dossiers are visible (receiving or competent).
    pub unit_ids: Vec<String>,
    pub statuses: Vec<Status>,
    pub deadline: Option<DeadlineFilter>,
    pub procedure_code: Option<String>,
    /// Applicant account (for "my dossiers").
    pub applicant_account_id: Option<String>,
    pub sort: QueueSort,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
    pub now: Option<LocalTime>,
    /// Appointments before this time (and after `now`) are due soon.
    pub due_soon_before: Option<LocalTime>,
    /// Only untouched dossiers: held by the administration (status 1, 2, 4 or 6) and last
    /// changed before this time (see `citygov_domain::dossier::is_untouched`).
    pub untouched_before: Option<LocalTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineFilter {
    Overdue,
    DueSoon,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueueSort {
    #[default]
    Submitted,
    Appointment,
    Updated,
    Code,
}

/// One row of a queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub id: String,
    pub code: String,
    pub procedure_code: String,
    pub status: u8,
    pub channel: u8,
    pub applicant_name: String,
    pub submitted_at: String,
    pub appointment_at: Option<String>,
    pub receiving_unit_id: String,
    pub competent_unit_id: String,
    pub overdue_flag: bool,
    pub updated_at: String,
}

const ACTIVE: &str = "(2, 4, 6)";

fn doc_of(s: &Sealer, r: &sqlx::any::AnyRow) -> Result<Dossier> {
    let doc: String = r.try_get("doc")?;
    open_doc(s, &doc)
}

const DOSSIER_COLUMNS: usize = 20;

/// Insert dossiers with multi-row statements (in chunks within the parameter limits), the
/// applicant's personal data sealed.
async fn insert_dossiers(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    s: &Sealer,
    ds: &[&Dossier],
) -> Result<(), sqlx::Error> {
    for chunk in ds.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO dossiers (id, code, procedure_code, receiving_unit_id, competent_unit_id, channel, status, applicant_account_id,
             applicant_id_number, applicant_id_index, applicant_name, submitted_at, accepted_at, appointment_at, paused_at, finished_at, overdue_flag, updated_at, version, doc) VALUES ",
        );
        sql.push_str(&crate::values_rows(tx, chunk.len(), DOSSIER_COLUMNS));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for d in chunk {
            q = q
                .bind(d.id.clone())
                .bind(d.code.clone())
                .bind(d.procedure_code.clone())
                .bind(d.receiving_unit_id.clone())
                .bind(d.competent_unit_id.clone())
                .bind(d.channel as i64)
                .bind(d.status.code() as i64)
                .bind(d.applicant_account_id.clone())
                .bind(s.seal(Field::IdNumber, &d.applicant.id_number))
                .bind(s.index(&d.applicant.id_number))
                .bind(d.applicant.full_name.clone())
                .bind(ts(&d.submitted_at))
                .bind(d.accepted_at.as_ref().map(ts))
                .bind(d.appointment_at.as_ref().map(ts))
                .bind(d.paused_at.as_ref().map(ts))
                .bind(d.end_of_processing().as_ref().map(ts))
                .bind(d.overdue_for_reporting as i64)
                .bind(ts(&d.updated_at))
                .bind(d.version)
                .bind(sealed_doc(s, d));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

const HISTORY_COLUMNS: usize = 12;

/// Insert history entries with multi-row statements.
async fn insert_history_rows(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: &[(&str, &HistoryEntry)],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(1000) {
        let mut sql = String::from(
            "INSERT INTO dossier_history (dossier_id, at, action, event, from_status, to_status, actor_id, actor_name, actor_title, unit_code, content, step_deadline) VALUES ",
        );
        sql.push_str(&crate::values_rows(tx, chunk.len(), HISTORY_COLUMNS));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, h) in chunk {
            q = q
                .bind(id.to_string())
                .bind(ts(&h.at))
                .bind(h.action.clone())
                .bind(h.event.clone())
                .bind(h.from_status.map(|s| s.code() as i64))
                .bind(h.to_status.code() as i64)
                .bind(h.actor_id.clone())
                .bind(h.actor_name.clone())
                .bind(h.actor_title.clone())
                .bind(h.unit_code.clone())
                .bind(h.content.clone())
                .bind(h.step_deadline.as_ref().map(ts));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

pub(crate) async fn insert_history(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: &str,
    h: &HistoryEntry,
) -> Result<(), sqlx::Error> {
    insert_history_rows(tx, &[(dossier_id, h)]).await
}

fn event_payload(d: &Dossier, event: &str) -> serde_json::Value {
    serde_json::json!({
        "event": event,
        "dossier_id": d.id,
        "code": d.code,
        "procedure_code": d.procedure_code,
        "status": d.status.code(),
        "receiving_unit_id": d.receiving_unit_id,
        "competent_unit_id": d.competent_unit_id,
        "channel": d.channel as u8,
        "submitted_at": ts(&d.submitted_at),
        "appointment_at": d.appointment_at.as_ref().map(ts),
        "updated_at": ts(&d.updated_at),
    })
}

impl Store {
    /// The dossier filed earlier under an idempotency key, if any. A key reused with a
    /// different request is a conflict.
    pub async fn idempotent_replay(&self, k: &IdempotencyKey) -> Result<Option<Dossier>> {
        let row = sqlx::query("SELECT request_hash, response FROM idempotency_keys WHERE principal = $1 AND key = $2")
            .bind(k.principal.clone())
            .bind(k.key.clone())
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else { return Ok(None) };
        let hash: String = r.try_get("request_hash")?;
        if hash != k.request_hash {
            return Err(Error::Conflict(
                Problem::new(
                    "idempotency_key_reused",
                    "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác. Hãy dùng khóa mới cho hồ sơ mới.",
                    "This Idempotency-Key was used for a different request. Use a new key for a new dossier.",
                )
                .at("Idempotency-Key"),
            ));
        }
        let id: String = r.try_get("response")?;
        self.dossier(&id).await
    }

    /// File a dossier: allocate its code from the database counter of the receiving unit and
    /// day, then write the dossier, its history entries, the audit record, the outbox events,
    /// the file attachments and the idempotency key, in one transaction.
    ///
    /// Filings are group-committed: concurrent filings are written together in one
    /// transaction (codes allocated as one range per unit and day, rows inserted with
    /// multi-row statements), and each caller is answered only after that commit. If a batch
    /// fails, its filings are retried one by one so that only the faulty one fails.
    ///
    /// A retried request finds its key already stored: the batch it joined fails on the unique
    /// key, and the retry alone answers with the dossier filed the first time.
    pub async fn file_dossier(&self, f: Filing, format: &DossierCodeFormat) -> Result<Filed> {
        let (reply, rx) = tokio::sync::oneshot::channel();
        self.intake
            .send(IntakeJob {
                filing: f,
                format: format.clone(),
                reply,
            })
            .await
            .map_err(|_| Error::Internal(anyhow::anyhow!("the intake writer has stopped")))?;
        rx.await
            .map_err(|_| Error::Internal(anyhow::anyhow!("the intake writer has stopped")))?
    }

    /// The intake writer: takes every filing waiting, writes them as one batch.
    /// Several writers may share the queue (PostgreSQL): each takes a batch, then writes it
    /// while the next writer takes the following one.
    pub(crate) async fn intake_loop(
        self,
        rx: std::sync::Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<IntakeJob>>>,
    ) {
        const MAX_BATCH: usize = 128;
        loop {
            let mut jobs = Vec::new();
            {
                let mut rx = rx.lock().await;
                let Some(first) = rx.recv().await else { return };
                jobs.push(first);
                while jobs.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
            }
            let filings: Vec<&Filing> = jobs.iter().map(|j| &j.filing).collect();
            let formats: Vec<&DossierCodeFormat> = jobs.iter().map(|j| &j.format).collect();
            match self.write_filings(&filings, &formats).await {
                Ok(codes) => {
                    for (job, code) in jobs.into_iter().zip(codes) {
                        let mut d = job.filing.dossier;
                        d.code = code;
                        let _ = job.reply.send(Ok(Filed::New(d)));
                    }
                }
                Err(_) if jobs.len() > 1 => {
                    // One bad filing spoils the batch: write each alone.
                    for job in jobs {
                        let r = self.write_one(&job.filing, &job.format).await;
                        let _ = job.reply.send(r);
                    }
                }
                Err(e) => {
                    let job = jobs.pop().expect("one job");
                    let r = match e {
                        Error::Internal(_) => self.unique_retry(&job.filing, e).await,
                        e => Err(e),
                    };
                    let _ = job.reply.send(r);
                }
            }
        }
    }

    async fn write_one(&self, f: &Filing, format: &DossierCodeFormat) -> Result<Filed> {
        match self.write_filings(&[f], &[format]).await {
            Ok(mut codes) => {
                let mut d = f.dossier.clone();
                d.code = codes.pop().expect("one code");
                Ok(Filed::New(d))
            }
            Err(e @ Error::Internal(_)) => self.unique_retry(f, e).await,
            Err(e) => Err(e),
        }
    }

    /// A filing that failed on a unique key: a concurrent request with the same idempotency
    /// key won, so answer with its dossier.
    async fn unique_retry(&self, f: &Filing, e: Error) -> Result<Filed> {
        if let Some(k) = &f.idempotency
            && let Some(d) = self.idempotent_replay(k).await?
        {
            return Ok(Filed::Replayed(d));
        }
        Err(e)
    }

    /// Write filings in one transaction; returns their codes in order.
    async fn write_filings(&self, fs: &[&Filing], formats: &[&DossierCodeFormat]) -> Result<Vec<String>> {
        let mut w = self.begin_write().await?;
        // Codes: one counter step per receiving unit and day, as a range.
        let mut groups: Vec<((String, String), Vec<usize>)> = Vec::new();
        for (i, f) in fs.iter().enumerate() {
            let key = (
                f.receiving_agency.to_string(),
                f.dossier.submitted_at.date().to_string(),
            );
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        // Counter rows are locked in one global order, so concurrent writers cannot deadlock.
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut codes = vec![String::new(); fs.len()];
        // One statement steps every counter of the batch.
        let mut sql = String::from("INSERT INTO code_counters (scope, day, value) VALUES ");
        sql.push_str(&crate::values_rows(&w.tx, groups.len(), 3));
        sql.push_str(" ON CONFLICT (scope, day) DO UPDATE SET value = code_counters.value + excluded.value RETURNING scope, day, value");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((scope, day), members) in &groups {
            q = q.bind(scope.clone()).bind(day.clone()).bind(members.len() as i64);
        }
        let rows = q.fetch_all(&mut *w.tx).await?;
        for r in &rows {
            let (scope, day, last): (String, String, i64) =
                (r.try_get("scope")?, r.try_get("day")?, r.try_get("value")?);
            let Some((_, members)) = groups.iter().find(|((s, d), _)| *s == scope && *d == day) else {
                return Err(Error::Internal(anyhow::anyhow!(
                    "counter {scope} {day} not in the batch"
                )));
            };
            let k = members.len() as i64;
            for (n, &i) in members.iter().enumerate() {
                let seq = (last - k + 1 + n as i64) as u64;
                if seq > formats[i].max_sequence() {
                    return Err(Error::Conflict(Problem::new(
                        "daily_sequence_exhausted",
                        "Đơn vị đã hết số thứ tự hồ sơ trong ngày theo định dạng mã hiện hành.",
                        "The unit has used every dossier number of the day allowed by the code format.",
                    )));
                }
                codes[i] = formats[i]
                    .render(&fs[i].receiving_agency, fs[i].dossier.submitted_at.date(), seq)
                    .to_string();
            }
        }
        if rows.len() != groups.len() {
            return Err(Error::Internal(anyhow::anyhow!(
                "code counters: {} rows for {} groups",
                rows.len(),
                groups.len()
            )));
        }
        let dossiers: Vec<Dossier> = fs
            .iter()
            .zip(&codes)
            .map(|(f, c)| {
                let mut d = f.dossier.clone();
                d.code = c.clone();
                d
            })
            .collect();
        insert_dossiers(&mut w.tx, &self.sealer(), &dossiers.iter().collect::<Vec<_>>()).await?;
        let history: Vec<(&str, &HistoryEntry)> = dossiers
            .iter()
            .zip(fs)
            .flat_map(|(d, f)| f.history.iter().map(move |h| (d.id.as_str(), h)))
            .collect();
        insert_history_rows(&mut w.tx, &history).await?;
        for (d, f) in dossiers.iter().zip(fs) {
            attach(&mut w.tx, &d.id, &f.file_ids, &f.file_owner).await?;
        }
        let mut audits = Vec::new();
        let mut events = Vec::new();
        for (d, f) in dossiers.iter().zip(fs) {
            let first = f
                .history
                .first()
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("a filing needs a history entry")))?;
            let mut a = f.audit.clone();
            a.entity_id = d.id.clone();
            if let serde_json::Value::Object(m) = &mut a.detail {
                m.insert("code".into(), d.code.clone().into());
            }
            audits.push((first.at, a));
            for h in &f.history {
                events.push((h.at, h.event.clone(), d.id.clone(), event_payload(d, &h.event)));
            }
        }
        w.audits(audits);
        crate::write_outboxes(&mut w.tx, &events).await?;
        let keys: Vec<(&IdempotencyKey, &Dossier)> = dossiers
            .iter()
            .zip(fs)
            .filter_map(|(d, f)| f.idempotency.as_ref().map(|k| (k, d)))
            .collect();
        if !keys.is_empty() {
            let mut sql = String::from(
                "INSERT INTO idempotency_keys (principal, key, request_hash, status_code, response, created_at) VALUES ",
            );
            sql.push_str(&crate::values_rows(&w.tx, keys.len(), 6));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (k, d) in &keys {
                q = q
                    .bind(k.principal.clone())
                    .bind(k.key.clone())
                    .bind(k.request_hash.clone())
                    .bind(201i64)
                    .bind(d.id.clone())
                    .bind(ts(&d.submitted_at));
            }
            q.execute(&mut *w.tx).await.map_err(|e| {
                if crate::is_unique_violation(&e) {
                    Error::Internal(anyhow::anyhow!("duplicate idempotency key"))
                } else {
                    e.into()
                }
            })?;
        }
        w.commit().await?;
        Ok(codes)
    }

    pub async fn dossier(&self, id: &str) -> Result<Option<Dossier>> {
        let row = sqlx::query("SELECT doc FROM dossiers WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        self.unsealing(|s| row.as_ref().map(|r| doc_of(s, r)).transpose()).await
    }

    /// The dossiers of an applicant's identity number, oldest first, found by its keyed hash.
    pub async fn dossier_ids_by_id_number(&self, id_number: &str) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT id FROM dossiers WHERE applicant_id_index = $1 ORDER BY submitted_at, id")
            .bind(self.sealer().index(id_number))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    pub async fn dossier_by_code(&self, code: &str) -> Result<Option<Dossier>> {
        let row = sqlx::query("SELECT doc FROM dossiers WHERE code = $1")
            .bind(code.to_string())
            .fetch_optional(&self.pool)
            .await?;
        self.unsealing(|s| row.as_ref().map(|r| doc_of(s, r)).transpose()).await
    }

    /// Processing history of a dossier, oldest first.
    pub async fn history(&self, dossier_id: &str) -> Result<Vec<HistoryRow>> {
        let rows = sqlx::query(
            "SELECT id, at, action, event, from_status, to_status, actor_id, actor_name, actor_title, unit_code, content, step_deadline
             FROM dossier_history WHERE dossier_id = $1 ORDER BY id",
        )
        .bind(dossier_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let from: Option<i64> = r.try_get("from_status")?;
                let to: i64 = r.try_get("to_status")?;
                let sd: Option<String> = r.try_get("step_deadline")?;
                Ok(HistoryRow {
                    id: r.try_get("id")?,
                    entry: HistoryEntry {
                        at: parse_ts(&r.try_get::<String, _>("at")?)?,
                        action: r.try_get("action")?,
                        event: r.try_get("event")?,
                        from_status: from.and_then(|c| Status::from_code(c as u8)),
                        to_status: Status::from_code(to as u8)
                            .ok_or_else(|| Error::Internal(anyhow::anyhow!("bad status")))?,
                        actor_id: r.try_get("actor_id")?,
                        actor_name: r.try_get("actor_name")?,
                        actor_title: r.try_get("actor_title")?,
                        unit_code: r.try_get("unit_code")?,
                        content: r.try_get("content")?,
                        step_deadline: sd.as_deref().map(parse_ts).transpose()?,
                    },
                })
            })
            .collect()
    }

    /// Change a dossier. `change` gets the current dossier (read inside the write
    /// transaction) and either changes it, returning the history entry and audit record, or
    /// refuses with a problem (nothing is written). Concurrent changes are detected by the
    /// version column and retried.
    pub async fn change_dossier<F>(&self, id: &str, change: F) -> Result<Dossier>
    where
        F: Fn(&mut Dossier) -> Result<Change>,
    {
        for _attempt in 0..5 {
            let mut w = self.begin_write().await?;
            let row = sqlx::query("SELECT doc FROM dossiers WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *w.tx)
                .await?;
            let Some(row) = row else {
                return Err(Error::NotFound(Problem::new(
                    "dossier_not_found",
                    "Không tìm thấy hồ sơ.",
                    "Dossier not found.",
                )));
            };
            let mut d = match doc_of(&self.sealer(), &row) {
                Err(Error::UnknownDataKey(id)) => {
                    drop(w);
                    self.reload_data_keys(Some(&id)).await?;
                    continue;
                }
                r => r?,
            };
            let old_version = d.version;
            let Change {
                history: h,
                audit,
                attach_files,
                file_owner,
            } = change(&mut d)?;
            let n = sqlx::query(
                "UPDATE dossiers SET status = $1, competent_unit_id = $2, accepted_at = $3, appointment_at = $4, paused_at = $5, finished_at = $6,
                 overdue_flag = $7, updated_at = $8, version = $9, doc = $10 WHERE id = $11 AND version = $12",
            )
            .bind(d.status.code() as i64)
            .bind(d.competent_unit_id.clone())
            .bind(d.accepted_at.as_ref().map(ts))
            .bind(d.appointment_at.as_ref().map(ts))
            .bind(d.paused_at.as_ref().map(ts))
            .bind(d.end_of_processing().as_ref().map(ts))
            .bind(d.overdue_for_reporting as i64)
            .bind(ts(&d.updated_at))
            .bind(d.version)
            .bind(sealed_doc(&self.sealer(), &d))
            .bind(d.id.clone())
            .bind(old_version)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if n == 0 {
                drop(w);
                continue;
            }
            insert_history(&mut w.tx, &d.id, &h).await?;
            attach(&mut w.tx, &d.id, &attach_files, &file_owner).await?;
            w.audit(h.at, audit);
            write_outbox(&mut w.tx, &h.at, &h.event, &d.id, &event_payload(&d, &h.event)).await?;
            w.commit().await?;
            return Ok(d);
        }
        Err(Error::Conflict(Problem::new(
            "concurrent_change",
            "Hồ sơ đang được người khác cập nhật. Vui lòng thử lại.",
            "The dossier is being changed by someone else. Please try again.",
        )))
    }

    /// Officials' queues and "my dossiers": filters, sorting and paging on indexed columns.
    pub async fn queue(&self, q: &QueueQuery) -> Result<(Vec<QueueItem>, i64)> {
        let mut wh: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        fn p(binds: &mut Vec<String>, v: String) -> String {
            binds.push(v);
            format!("${}", binds.len())
        }
        if !q.unit_ids.is_empty() {
            let ps: Vec<String> = q.unit_ids.iter().map(|u| p(&mut binds, u.clone())).collect();
            let list = ps.join(", ");
            wh.push(format!(
                "(receiving_unit_id IN ({list}) OR competent_unit_id IN ({list}))"
            ));
        }
        if let Some(a) = &q.applicant_account_id {
            let ph = p(&mut binds, a.clone());
            wh.push(format!("applicant_account_id = {ph}"));
        }
        if !q.statuses.is_empty() {
            let list: Vec<String> = q.statuses.iter().map(|s| s.code().to_string()).collect();
            wh.push(format!("status IN ({})", list.join(", ")));
        }
        if let Some(pc) = &q.procedure_code {
            let ph = p(&mut binds, pc.clone());
            wh.push(format!("procedure_code = {ph}"));
        }
        let now = q.now.unwrap_or_else(citygov_domain::now_local);
        match q.deadline {
            Some(DeadlineFilter::Overdue) => {
                let ph = p(&mut binds, ts(&now));
                wh.push(format!(
                    "(status IN (2, 4, 5, 6) AND ((status IN {ACTIVE} AND appointment_at < {ph}) OR (status = 5 AND paused_at > appointment_at) OR overdue_flag = 1))"
                ));
            }
            Some(DeadlineFilter::DueSoon) => {
                let a = p(&mut binds, ts(&now));
                let b = p(&mut binds, ts(&q.due_soon_before.unwrap_or(now)));
                wh.push(format!(
                    "(status IN {ACTIVE} AND overdue_flag = 0 AND appointment_at >= {a} AND appointment_at < {b})"
                ));
            }
            None => {}
        }
        if let Some(before) = &q.untouched_before {
            let held: Vec<String> = Status::HELD_BY_ADMINISTRATION
                .iter()
                .map(|s| s.code().to_string())
                .collect();
            let ph = p(&mut binds, ts(before));
            wh.push(format!("(status IN ({}) AND updated_at < {ph})", held.join(", ")));
        }
        let wsql = if wh.is_empty() {
            "1 = 1".to_string()
        } else {
            wh.join(" AND ")
        };
        let mut cq = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE {wsql}"
        )));
        for b in &binds {
            cq = cq.bind(b.clone());
        }
        let total: i64 = cq.fetch_one(&self.pool).await?.try_get("n")?;
        let col = match q.sort {
            QueueSort::Submitted => "submitted_at",
            QueueSort::Appointment => "appointment_at",
            QueueSort::Updated => "updated_at",
            QueueSort::Code => "code",
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT id, code, procedure_code, status, channel, applicant_name, submitted_at, appointment_at, receiving_unit_id, competent_unit_id, overdue_flag, updated_at
             FROM dossiers WHERE {wsql} ORDER BY {col} {dir}, id {dir} LIMIT {} OFFSET {}",
            q.limit.clamp(1, 500),
            q.offset.max(0)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            query = query.bind(b.clone());
        }
        let rows = query.fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(QueueItem {
                    id: r.try_get("id")?,
                    code: r.try_get("code")?,
                    procedure_code: r.try_get("procedure_code")?,
                    status: r.try_get::<i64, _>("status")? as u8,
                    channel: r.try_get::<i64, _>("channel")? as u8,
                    applicant_name: r.try_get("applicant_name")?,
                    submitted_at: r.try_get("submitted_at")?,
                    appointment_at: r.try_get("appointment_at")?,
                    receiving_unit_id: r.try_get("receiving_unit_id")?,
                    competent_unit_id: r.try_get("competent_unit_id")?,
                    overdue_flag: r.try_get::<i64, _>("overdue_flag")? != 0,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((items, total))
    }

    /// Load dossiers that were built elsewhere (the demo city, a migration from another
    /// system) with their histories, in one transaction per call, and raise the code
    /// counters so that new codes never collide with loaded ones.
    pub async fn load_dossiers(
        &self,
        batch: &[(Dossier, Vec<HistoryEntry>)],
        counters: &[(String, String, i64)],
        actor: &str,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        insert_dossiers(
            &mut w.tx,
            &self.sealer(),
            &batch.iter().map(|(d, _)| d).collect::<Vec<_>>(),
        )
        .await?;
        let history: Vec<(&str, &HistoryEntry)> = batch
            .iter()
            .flat_map(|(d, hs)| hs.iter().map(move |h| (d.id.as_str(), h)))
            .collect();
        insert_history_rows(&mut w.tx, &history).await?;
        let audits: Vec<(LocalTime, AuditRecord)> = batch
            .iter()
            .map(|(d, hist)| {
                (
                    d.updated_at,
                    AuditRecord {
                        actor_id: None,
                        actor_name: actor.to_string(),
                        action: "dossier.loaded".into(),
                        entity_type: "dossier".into(),
                        entity_id: d.id.clone(),
                        detail: serde_json::json!({ "code": d.code, "status": d.status.code(), "events": hist.len() }),
                    },
                )
            })
            .collect();
        w.audits(audits);
        for (scope, day, value) in counters {
            sqlx::query(
                "INSERT INTO code_counters (scope, day, value) VALUES ($1, $2, $3)
                 ON CONFLICT (scope, day) DO UPDATE SET value = CASE WHEN code_counters.value > excluded.value THEN code_counters.value ELSE excluded.value END",
            )
            .bind(scope.clone())
            .bind(day.clone())
            .bind(*value)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit().await
    }
}
