//! The warehouse catalog and its grants, each change with its audit record in one
//! transaction; and the reads the lake feed needs (the dossiers' history after a cursor, the current
//! rows of dossiers and procedures).

use crate::{AuditRecord, Error, Result, Store, parse_ts, ts};
use citygov_domain::lake::{Dataset, Grant, Grantee, Quality, RowScope, validate_dataset};
use citygov_domain::workflow::Role;
use citygov_domain::{LocalTime, Problem};
use sqlx::Row;

fn not_found(name: &str) -> Error {
    Error::NotFound(
        Problem::new(
            "dataset_not_found",
            format!("Không có bộ dữ liệu «{name}»."),
            format!("There is no dataset “{name}”."),
        )
        .at("dataset"),
    )
}

fn decode(doc: &str) -> Result<Dataset> {
    serde_json::from_str(doc).map_err(|e| Error::Internal(anyhow::anyhow!("bad stored dataset: {e}")))
}

/// One status change of a dossier (its history row), as the lake feed reads it.
#[derive(Debug, Clone)]
pub struct HistoryEvent {
    pub id: i64,
    pub at: LocalTime,
    pub action: String,
    pub event: String,
    pub dossier_id: String,
    pub code: String,
    pub procedure_code: String,
    pub from_status: Option<i64>,
    pub to_status: i64,
    pub acting_unit: Option<String>,
    pub receiving_unit: String,
    pub competent_unit: String,
    pub channel: i64,
    pub step_deadline: Option<LocalTime>,
}

/// The current state of one dossier, flattened for the warehouse.
#[derive(Debug, Clone)]
pub struct DossierRow {
    pub id: String,
    pub code: String,
    pub procedure_code: String,
    pub receiving_unit: String,
    pub competent_unit: String,
    pub channel: i64,
    pub status: i64,
    pub applicant_id_number: String,
    pub applicant_name: String,
    pub submitted_at: LocalTime,
    pub accepted_at: Option<LocalTime>,
    pub appointment_at: Option<LocalTime>,
    pub finished_at: Option<LocalTime>,
    pub overdue: bool,
    pub updated_at: LocalTime,
}

/// One procedure of the catalog, flattened for the warehouse.
#[derive(Debug, Clone)]
pub struct ProcedureRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub field_code: String,
    pub field_name: String,
    pub competent_unit_code: Option<String>,
    pub online_level: String,
    pub active: bool,
}

fn opt_ts(r: &sqlx::any::AnyRow, col: &str) -> Result<Option<LocalTime>> {
    let v: Option<String> = r.try_get(col)?;
    v.as_deref().map(parse_ts).transpose()
}

impl Store {
    /// Create or replace a dataset's definition (its quality and creation time are kept).
    /// Returns whether it was new.
    pub async fn put_dataset(&self, d: &Dataset, actor: &AuditRecord, now: LocalTime) -> Result<bool> {
        let problems = validate_dataset(d);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut w = self.begin_write().await?;
        let existing = sqlx::query("SELECT doc FROM lake_datasets WHERE name = $1")
            .bind(d.name.clone())
            .fetch_optional(&mut *w.tx)
            .await?;
        let mut d = d.clone();
        d.updated_at = ts(&now);
        let created = match &existing {
            Some(r) => {
                let old = decode(&r.try_get::<String, _>("doc")?)?;
                if old.system && !d.system {
                    return Err(Error::Conflict(Problem::new(
                        "system_dataset",
                        "Bộ dữ liệu này do hệ thống tự cập nhật; không thể thay thế.",
                        "This dataset is fed by the platform; it cannot be replaced.",
                    )));
                }
                d.created_at = old.created_at;
                d.quality = old.quality;
                false
            }
            None => {
                d.created_at = ts(&now);
                true
            }
        };
        let doc = serde_json::to_string(&d).map_err(|e| Error::Internal(e.into()))?;
        let sql = if created {
            "INSERT INTO lake_datasets (name, owner_unit, open_data, doc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)"
        } else {
            "UPDATE lake_datasets SET owner_unit = $2, open_data = $3, doc = $4, created_at = $5, updated_at = $6 WHERE name = $1"
        };
        sqlx::query(sql)
            .bind(d.name.clone())
            .bind(d.owner_unit.clone())
            .bind(d.open_data as i64)
            .bind(doc)
            .bind(d.created_at.clone())
            .bind(d.updated_at.clone())
            .execute(&mut *w.tx)
            .await?;
        let mut a = actor.clone();
        a.action = if created {
            "lake.dataset.create"
        } else {
            "lake.dataset.update"
        }
        .into();
        a.entity_type = "lake_dataset".into();
        a.entity_id = d.name.clone();
        w.audit(now, a);
        w.commit().await?;
        Ok(created)
    }

    /// One dataset.
    pub async fn dataset(&self, name: &str) -> Result<Dataset> {
        let row = sqlx::query("SELECT doc FROM lake_datasets WHERE name = $1")
            .bind(name.to_string())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => decode(&r.try_get::<String, _>("doc")?),
            None => Err(not_found(name)),
        }
    }

    /// Every dataset, by name.
    pub async fn datasets(&self) -> Result<Vec<Dataset>> {
        let rows = sqlx::query("SELECT doc FROM lake_datasets ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| decode(&r.try_get::<String, _>("doc")?)).collect()
    }

    /// Record the quality measured on a table version.
    pub async fn set_dataset_quality(&self, name: &str, q: &Quality) -> Result<()> {
        let mut w = self.begin_write().await?;
        let row = sqlx::query("SELECT doc FROM lake_datasets WHERE name = $1")
            .bind(name.to_string())
            .fetch_optional(&mut *w.tx)
            .await?;
        let Some(row) = row else { return Err(not_found(name)) };
        let mut d = decode(&row.try_get::<String, _>("doc")?)?;
        d.quality = Some(q.clone());
        let doc = serde_json::to_string(&d).map_err(|e| Error::Internal(e.into()))?;
        sqlx::query("UPDATE lake_datasets SET doc = $2 WHERE name = $1")
            .bind(name.to_string())
            .bind(doc)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await
    }

    /// Every grant (of one dataset when `dataset` is given).
    pub async fn grants(&self, dataset: Option<&str>) -> Result<Vec<Grant>> {
        let rows = match dataset {
            Some(d) => sqlx::query("SELECT id, dataset, grantee_kind, grantee, purpose, row_scope, granted_by, granted_at FROM lake_grants WHERE dataset = $1 ORDER BY granted_at, id")
                .bind(d.to_string())
                .fetch_all(&self.pool)
                .await?,
            None => sqlx::query("SELECT id, dataset, grantee_kind, grantee, purpose, row_scope, granted_by, granted_at FROM lake_grants ORDER BY dataset, granted_at, id")
                .fetch_all(&self.pool)
                .await?,
        };
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("grantee_kind")?;
                let grantee: String = r.try_get("grantee")?;
                let grantee = match kind.as_str() {
                    "role" => Grantee::Role(
                        Role::parse(&grantee)
                            .ok_or_else(|| Error::Internal(anyhow::anyhow!("bad stored role {grantee}")))?,
                    ),
                    _ => Grantee::Unit(grantee),
                };
                let scope: String = r.try_get("row_scope")?;
                Ok(Grant {
                    id: r.try_get("id")?,
                    dataset: r.try_get("dataset")?,
                    grantee,
                    purpose: r.try_get("purpose")?,
                    rows: if scope == "own_unit" {
                        RowScope::OwnUnit
                    } else {
                        RowScope::All
                    },
                    granted_by: r.try_get("granted_by")?,
                    granted_at: r.try_get("granted_at")?,
                })
            })
            .collect()
    }

    /// Grant a dataset (audited). The purpose must be one the warehouse knows.
    pub async fn add_grant(&self, g: &Grant, actor: &AuditRecord, now: LocalTime) -> Result<Grant> {
        if citygov_domain::lake::purpose(&g.purpose).is_none() {
            return Err(Error::invalid(
                Problem::new(
                    "unknown_purpose",
                    format!(
                        "Mục đích «{}» không có trong danh mục mục đích xử lý dữ liệu.",
                        g.purpose
                    ),
                    format!(
                        "Purpose “{}” is not one of the known purposes of processing.",
                        g.purpose
                    ),
                )
                .at("purpose"),
            ));
        }
        let (kind, grantee) = match &g.grantee {
            Grantee::Unit(u) => {
                if self.unit_by_code(u).await?.is_none() {
                    return Err(Error::invalid(
                        Problem::new(
                            "unknown_unit",
                            format!("Không có đơn vị mã «{u}»."),
                            format!("There is no unit with code “{u}”."),
                        )
                        .at("grantee"),
                    ));
                }
                ("unit", u.clone())
            }
            Grantee::Role(r) => ("role", r.as_str().to_string()),
        };
        self.dataset(&g.dataset).await?;
        let mut g = g.clone();
        g.id = uuid::Uuid::now_v7().to_string();
        g.granted_by = actor.actor_name.clone();
        g.granted_at = ts(&now);
        let mut w = self.begin_write().await?;
        let res = sqlx::query("INSERT INTO lake_grants (id, dataset, grantee_kind, grantee, purpose, row_scope, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(g.id.clone())
            .bind(g.dataset.clone())
            .bind(kind)
            .bind(grantee)
            .bind(g.purpose.clone())
            .bind(match g.rows {
                RowScope::All => "all",
                RowScope::OwnUnit => "own_unit",
            })
            .bind(g.granted_by.clone())
            .bind(g.granted_at.clone())
            .execute(&mut *w.tx)
            .await;
        if let Err(e) = res {
            if crate::is_unique_violation(&e) {
                return Err(Error::Conflict(Problem::new(
                    "duplicate_grant",
                    "Quyền này đã được cấp cho đối tượng và mục đích này.",
                    "This grant already exists for this grantee and purpose.",
                )));
            }
            return Err(e.into());
        }
        let mut a = actor.clone();
        a.action = "lake.grant.add".into();
        a.entity_type = "lake_dataset".into();
        a.entity_id = g.dataset.clone();
        a.detail = serde_json::to_value(&g).map_err(|e| Error::Internal(e.into()))?;
        w.audit(now, a);
        w.commit().await?;
        Ok(g)
    }

    /// Revoke a grant (audited).
    pub async fn revoke_grant(&self, id: &str, actor: &AuditRecord, now: LocalTime) -> Result<()> {
        let mut w = self.begin_write().await?;
        let row = sqlx::query("SELECT dataset FROM lake_grants WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *w.tx)
            .await?;
        let Some(row) = row else {
            return Err(Error::NotFound(
                Problem::new("grant_not_found", "Không có quyền này.", "There is no such grant.").at("id"),
            ));
        };
        let dataset: String = row.try_get("dataset")?;
        sqlx::query("DELETE FROM lake_grants WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *w.tx)
            .await?;
        let mut a = actor.clone();
        a.action = "lake.grant.revoke".into();
        a.entity_type = "lake_dataset".into();
        a.entity_id = dataset;
        a.detail = serde_json::json!({ "grant_id": id });
        w.audit(now, a);
        w.commit().await
    }

    /// Write one audit record on its own (a warehouse query or import).
    pub async fn audit(&self, record: &AuditRecord, now: LocalTime) -> Result<()> {
        let mut w = self.begin_write().await?;
        w.audit(now, record.clone());
        w.commit().await
    }

    /// Dossier history rows after `after_id`, oldest first, with their dossier's facts.
    pub async fn history_after(&self, after_id: i64, limit: i64) -> Result<Vec<HistoryEvent>> {
        let rows = sqlx::query(
            "SELECT h.id, h.at, h.action, h.event, h.dossier_id, d.code, d.procedure_code, h.from_status, h.to_status, \
             h.unit_code, r.code AS receiving_unit, c.code AS competent_unit, d.channel, h.step_deadline \
             FROM dossier_history h JOIN dossiers d ON d.id = h.dossier_id \
             JOIN units r ON r.id = d.receiving_unit_id JOIN units c ON c.id = d.competent_unit_id \
             WHERE h.id > $1 ORDER BY h.id LIMIT $2",
        )
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryEvent {
                    id: r.try_get("id")?,
                    at: parse_ts(&r.try_get::<String, _>("at")?)?,
                    action: r.try_get("action")?,
                    event: r.try_get("event")?,
                    dossier_id: r.try_get("dossier_id")?,
                    code: r.try_get("code")?,
                    procedure_code: r.try_get("procedure_code")?,
                    from_status: r.try_get::<Option<i64>, _>("from_status")?,
                    to_status: r.try_get::<i64, _>("to_status")?,
                    acting_unit: r.try_get("unit_code")?,
                    receiving_unit: r.try_get("receiving_unit")?,
                    competent_unit: r.try_get("competent_unit")?,
                    channel: r.try_get::<i64, _>("channel")?,
                    step_deadline: opt_ts(r, "step_deadline")?,
                })
            })
            .collect()
    }

    /// Dossiers in id order after `after_id` (for the first full copy), or the given ids.
    pub async fn dossier_rows(&self, ids: Option<&[String]>, after_id: &str, limit: i64) -> Result<Vec<DossierRow>> {
        const COLS: &str = "d.id, d.code, d.procedure_code, r.code AS receiving_unit, c.code AS competent_unit, d.channel, d.status, d.applicant_id_number, d.applicant_name, d.submitted_at, d.accepted_at, d.appointment_at, d.finished_at, d.overdue_flag, d.updated_at FROM dossiers d JOIN units r ON r.id = d.receiving_unit_id JOIN units c ON c.id = d.competent_unit_id";
        let rows = match ids {
            Some(ids) => {
                let mut out = Vec::new();
                for chunk in ids.chunks(500) {
                    let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                    let sql = format!("SELECT {COLS} WHERE d.id IN ({})", marks.join(", "));
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for id in chunk {
                        q = q.bind(id.clone());
                    }
                    out.extend(q.fetch_all(&self.pool).await?);
                }
                out
            }
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {COLS} WHERE d.id > $1 ORDER BY d.id LIMIT $2"
                )))
                .bind(after_id.to_string())
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        self.unsealing(|sealer| {
            rows.iter()
                .map(|r| {
                    Ok(DossierRow {
                        id: r.try_get("id")?,
                        code: r.try_get("code")?,
                        procedure_code: r.try_get("procedure_code")?,
                        receiving_unit: r.try_get("receiving_unit")?,
                        competent_unit: r.try_get("competent_unit")?,
                        channel: r.try_get::<i64, _>("channel")?,
                        status: r.try_get::<i64, _>("status")?,
                        // The warehouse holds it in clear: its policies mask it for whoever is not
                        // granted it (crates/lake/src/policy.rs).
                        applicant_id_number: sealer.open(
                            crate::sealing::Field::IdNumber,
                            &r.try_get::<String, _>("applicant_id_number")?,
                        )?,
                        applicant_name: r.try_get("applicant_name")?,
                        submitted_at: parse_ts(&r.try_get::<String, _>("submitted_at")?)?,
                        accepted_at: opt_ts(r, "accepted_at")?,
                        appointment_at: opt_ts(r, "appointment_at")?,
                        finished_at: opt_ts(r, "finished_at")?,
                        overdue: r.try_get::<i64, _>("overdue_flag")? != 0,
                        updated_at: parse_ts(&r.try_get::<String, _>("updated_at")?)?,
                    })
                })
                .collect()
        })
        .await
    }

    /// What changes whenever the catalog does (every import stamps the procedures it
    /// writes): their number and the latest stamp.
    pub async fn procedure_stamp(&self) -> Result<String> {
        let r = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), '') AS m FROM procedures")
            .fetch_one(&self.pool)
            .await?;
        Ok(format!(
            "{}@{}",
            r.try_get::<i64, _>("n")?,
            r.try_get::<String, _>("m")?
        ))
    }

    /// Every procedure of the catalog, flattened.
    pub async fn procedure_rows(&self) -> Result<Vec<ProcedureRow>> {
        let rows = sqlx::query("SELECT code, name, level, field_code, field_name, competent_unit_code, online_level, active FROM procedures ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ProcedureRow {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    level: r.try_get("level")?,
                    field_code: r.try_get("field_code")?,
                    field_name: r.try_get("field_name")?,
                    competent_unit_code: r.try_get("competent_unit_code")?,
                    online_level: r.try_get("online_level")?,
                    active: r.try_get::<i64, _>("active")? != 0,
                })
            })
            .collect()
    }

    /// The highest dossier history id (0 when empty).
    pub async fn history_max_id(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COALESCE(MAX(id), 0) AS m FROM dossier_history")
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get::<i64, _>("m")?)
    }
}

/// The warehouse seals its personal columns with the platform's data keys: the same keys,
/// rotation and reseal as the rest of the personal data, bound to each column.
impl citygov_domain::lake::ColumnKeys for crate::sealing::Sealer {
    fn seal(&self, column: &str, plain: &str) -> String {
        self.seal_column(column, plain)
    }

    fn open(&self, column: &str, stored: &str) -> std::result::Result<String, citygov_domain::lake::CipherError> {
        use citygov_domain::lake::CipherError;
        self.open_column(column, stored).map_err(|e| match e {
            Error::UnknownDataKey(id) => CipherError::UnknownKey(id),
            _ => CipherError::Broken,
        })
    }
}

impl citygov_domain::lake::ColumnCipher for Store {
    fn keys(&self) -> std::sync::Arc<dyn citygov_domain::lake::ColumnKeys> {
        self.sealer()
    }

    fn refresh(&self, missing: Option<String>) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            if let Err(e) = self.reload_data_keys(missing.as_deref()).await {
                tracing::warn!("reloading data keys: {e}");
            }
        })
    }
}
