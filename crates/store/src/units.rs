//! Administrative units, their code/name versions and their lineage (merges, splits).

use crate::{Error, Result, Store};
use chrono::NaiveDate;
use citygov_domain::codes::AgencyCode;
use citygov_domain::unit::{LineageKind, LineageLink, Unit, UnitKind, UnitVersion};
use sqlx::Row;

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| Error::Internal(anyhow::anyhow!("bad date {s:?}: {e}")))
}

fn row_unit(r: &sqlx::any::AnyRow) -> Result<Unit> {
    let code: String = r.try_get("code")?;
    let kind: String = r.try_get("kind")?;
    let vt: Option<String> = r.try_get("valid_to")?;
    Ok(Unit {
        id: r.try_get("id")?,
        code: AgencyCode::parse(&code).map_err(|p| Error::Internal(anyhow::anyhow!("{p}")))?,
        name: r.try_get("name")?,
        short_name: r.try_get("short_name")?,
        kind: UnitKind::parse(&kind).ok_or_else(|| Error::Internal(anyhow::anyhow!("bad unit kind {kind}")))?,
        parent_id: r.try_get("parent_id")?,
        valid_from: date(&r.try_get::<String, _>("valid_from")?)?,
        valid_to: vt.as_deref().map(date).transpose()?,
    })
}

impl Store {
    /// Insert or update units with their versions and lineage, all in one transaction.
    /// Parents must come before children in `units`.
    pub async fn save_units(&self, units: &[Unit], versions: &[UnitVersion], lineage: &[LineageLink]) -> Result<()> {
        let mut w = self.begin_write().await?;
        for u in units {
            sqlx::query(
                "INSERT INTO units (id, code, name, short_name, kind, parent_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, short_name = excluded.short_name, kind = excluded.kind,
                 parent_id = excluded.parent_id, valid_from = excluded.valid_from, valid_to = excluded.valid_to",
            )
            .bind(u.id.clone())
            .bind(u.code.to_string())
            .bind(u.name.clone())
            .bind(u.short_name.clone())
            .bind(u.kind.as_str().to_string())
            .bind(u.parent_id.clone())
            .bind(u.valid_from.to_string())
            .bind(u.valid_to.map(|d| d.to_string()))
            .execute(&mut *w.tx)
            .await?;
        }
        for v in versions {
            sqlx::query(
                "INSERT INTO unit_versions (unit_id, code, name, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (unit_id, valid_from) DO UPDATE SET code = excluded.code, name = excluded.name, valid_to = excluded.valid_to",
            )
            .bind(v.unit_id.clone())
            .bind(v.code.to_string())
            .bind(v.name.clone())
            .bind(v.valid_from.to_string())
            .bind(v.valid_to.map(|d| d.to_string()))
            .execute(&mut *w.tx)
            .await?;
        }
        for l in lineage {
            sqlx::query(
                "INSERT INTO unit_lineage (predecessor_id, successor_id, kind, effective, legal_basis) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (predecessor_id, successor_id) DO NOTHING",
            )
            .bind(l.predecessor_id.clone())
            .bind(l.successor_id.clone())
            .bind(l.kind.as_str().to_string())
            .bind(l.effective.to_string())
            .bind(l.legal_basis.clone())
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit().await
    }

    pub async fn units(&self) -> Result<Vec<Unit>> {
        let rows = sqlx::query(
            "SELECT id, code, name, short_name, kind, parent_id, valid_from, valid_to FROM units ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row_unit).collect()
    }

    pub async fn unit_by_code(&self, code: &str) -> Result<Option<Unit>> {
        let row = sqlx::query(
            "SELECT id, code, name, short_name, kind, parent_id, valid_from, valid_to FROM units WHERE code = $1",
        )
        .bind(code.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(row_unit).transpose()
    }

    pub async fn unit_by_id(&self, id: &str) -> Result<Option<Unit>> {
        let row = sqlx::query(
            "SELECT id, code, name, short_name, kind, parent_id, valid_from, valid_to FROM units WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(row_unit).transpose()
    }

    /// The code and name versions of a unit, oldest first.
    pub async fn unit_versions(&self, unit_id: &str) -> Result<Vec<UnitVersion>> {
        let rows = sqlx::query("SELECT unit_id, code, name, valid_from, valid_to FROM unit_versions WHERE unit_id = $1 ORDER BY valid_from")
            .bind(unit_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let code: String = r.try_get("code")?;
                let vt: Option<String> = r.try_get("valid_to")?;
                Ok(UnitVersion {
                    unit_id: r.try_get("unit_id")?,
                    code: AgencyCode::parse(&code).map_err(|p| Error::Internal(anyhow::anyhow!("{p}")))?,
                    name: r.try_get("name")?,
                    valid_from: date(&r.try_get::<String, _>("valid_from")?)?,
                    valid_to: vt.as_deref().map(date).transpose()?,
                })
            })
            .collect()
    }

    pub async fn lineage(&self) -> Result<Vec<LineageLink>> {
        let rows = sqlx::query("SELECT predecessor_id, successor_id, kind, effective, legal_basis FROM unit_lineage")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(LineageLink {
                    predecessor_id: r.try_get("predecessor_id")?,
                    successor_id: r.try_get("successor_id")?,
                    kind: LineageKind::parse(&kind)
                        .ok_or_else(|| Error::Internal(anyhow::anyhow!("bad lineage kind")))?,
                    effective: date(&r.try_get::<String, _>("effective")?)?,
                    legal_basis: r.try_get("legal_basis")?,
                })
            })
            .collect()
    }
}
