//! The procedure catalog: import (all or nothing, every problem listed), export, detail, the
//! fields, and the folded rows that the web layer's in-memory search index is built from.

use crate::{Error, Result, Store, ts};
use citygov_domain::catalog::{Level, OnlineLevel, Procedure};
use citygov_domain::{LocalTime, Problem, text};
use serde::Serialize;
use sqlx::Row;

/// A search hit.
#[derive(Debug, Clone, Serialize)]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub field_code: String,
    pub field_name: String,
    pub level: String,
    pub competent_unit_code: Option<String>,
    pub online_level: String,
}

/// A field of the catalog and the number of its active procedures.
#[derive(Debug, Clone, Serialize)]
pub struct FieldCount {
    pub code: String,
    pub name: String,
    pub procedures: i64,
}

/// Search filters (applied by the web layer's catalog index).
#[derive(Debug, Clone, Default)]
pub struct CatalogQuery {
    pub q: Option<String>,
    pub field_code: Option<String>,
    pub level: Option<Level>,
    pub unit_code: Option<String>,
    pub online_level: Option<OnlineLevel>,
    pub limit: i64,
    pub offset: i64,
}

impl Store {
    /// Import procedures: every entry is checked first; if any is wrong nothing is written
    /// and every problem is returned with the entry's index and code.
    pub async fn import_procedures(&self, procs: &[Procedure], now: LocalTime) -> Result<usize> {
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let known_units: std::collections::HashSet<String> =
            self.units().await?.into_iter().map(|u| u.code.to_string()).collect();
        for (i, p) in procs.iter().enumerate() {
            let at = |f: Option<String>| match f {
                Some(f) => format!("procedures[{i}] ({}).{f}", p.code),
                None => format!("procedures[{i}] ({})", p.code),
            };
            if let Err(ps) = p.validate() {
                for mut pr in ps {
                    pr.field = Some(at(pr.field.take()));
                    problems.push(pr);
                }
            }
            if !seen.insert(p.code.clone()) {
                problems.push(
                    Problem::new(
                        "duplicate",
                        "Mã thủ tục bị trùng trong tệp.",
                        "The procedure code is repeated in the file.",
                    )
                    .at(at(Some("code".into()))),
                );
            }
            if let Some(u) = &p.competent_unit
                && !known_units.contains(u.as_str())
            {
                problems.push(
                    Problem::new(
                        "unknown_unit",
                        format!("Không có đơn vị mã {u}."),
                        format!("There is no unit with code {u}."),
                    )
                    .at(at(Some("competent_unit".into()))),
                );
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut w = self.begin_write().await?;
        for p in procs {
            let search = text::fold(&format!("{} {} {}", p.name, p.field_name, p.code));
            sqlx::query(
                "INSERT INTO procedures (code, name, level, field_code, field_name, competent_unit_code, online_level, active, search_text, doc, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, field_code = excluded.field_code,
                 field_name = excluded.field_name, competent_unit_code = excluded.competent_unit_code, online_level = excluded.online_level,
                 active = excluded.active, search_text = excluded.search_text, doc = excluded.doc, updated_at = excluded.updated_at",
            )
            .bind(p.code.clone())
            .bind(p.name.clone())
            .bind(p.level.as_str().to_string())
            .bind(p.field_code.clone())
            .bind(p.field_name.clone())
            .bind(p.competent_unit.as_ref().map(|c| c.to_string()))
            .bind(p.online_level.as_str().to_string())
            .bind(p.active as i64)
            .bind(search)
            .bind(serde_json::to_string(p).map_err(|e| Error::Internal(e.into()))?)
            .bind(ts(&now))
            .execute(&mut *w.tx)
            .await?;
        }
        w.audit(
            now,
            crate::AuditRecord {
                actor_id: None,
                actor_name: "system".into(),
                action: "catalog.imported".into(),
                entity_type: "catalog".into(),
                entity_id: "procedures".into(),
                detail: serde_json::json!({ "count": procs.len() }),
            },
        );
        w.commit().await?;
        Ok(procs.len())
    }

    pub async fn procedure(&self, code: &str) -> Result<Option<Procedure>> {
        let row = sqlx::query("SELECT doc FROM procedures WHERE code = $1")
            .bind(code.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            let doc: String = r.try_get("doc")?;
            serde_json::from_str(&doc).map_err(|e| Error::Internal(e.into()))
        })
        .transpose()
    }

    /// All procedures, ordered by code.
    pub async fn export_procedures(&self) -> Result<Vec<Procedure>> {
        let rows = sqlx::query("SELECT doc FROM procedures ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let doc: String = r.try_get("doc")?;
                serde_json::from_str(&doc).map_err(|e| Error::Internal(e.into()))
            })
            .collect()
    }

    /// The fields (lĩnh vực) of the active catalog with how many procedures each has, by name.
    pub async fn procedure_fields(&self) -> Result<Vec<FieldCount>> {
        let rows = sqlx::query(
            "SELECT field_code, field_name, COUNT(*) AS n FROM procedures WHERE active = 1 \
             GROUP BY field_code, field_name ORDER BY field_name, field_code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FieldCount {
                    code: r.try_get("field_code")?,
                    name: r.try_get("field_name")?,
                    procedures: r.try_get("n")?,
                })
            })
            .collect()
    }

    /// Every active procedure's summary with its folded search text (for an in-memory index).
    pub async fn procedure_index(&self) -> Result<Vec<(ProcedureSummary, String)>> {
        let rows = sqlx::query(
            "SELECT code, name, field_code, field_name, level, competent_unit_code, online_level, search_text \
             FROM procedures WHERE active = 1",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    ProcedureSummary {
                        code: r.try_get("code")?,
                        name: r.try_get("name")?,
                        field_code: r.try_get("field_code")?,
                        field_name: r.try_get("field_name")?,
                        level: r.try_get("level")?,
                        competent_unit_code: r.try_get("competent_unit_code")?,
                        online_level: r.try_get("online_level")?,
                    },
                    r.try_get("search_text")?,
                ))
            })
            .collect()
    }
}
