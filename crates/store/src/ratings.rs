//! Applicants' ratings of their dossiers: one current rating per dossier, written with its
//! audit record and its outbox event (`dossier.rated`) in one transaction.

use crate::{AuditRecord, Error, Result, Store, parse_ts, ts, write_outbox};
use citygov_domain::Problem;
use citygov_domain::dossier::Status;
use citygov_domain::rating::{Rating, Verdict, can_rate, not_ended};
use sqlx::Row;

/// The outbox topic of a rating.
pub const RATED_EVENT: &str = "dossier.rated";

impl Store {
    /// Record the applicant's rating of a dossier, replacing an earlier one (which keeps its
    /// first `rated_at`; `rating.updated_at` is the time of this verdict). The dossier must
    /// have ended (else `Conflict`). The audit record (its detail gains the previous verdict,
    /// if any) and a `dossier.rated` outbox event are written in the same transaction.
    pub async fn rate_dossier(&self, rating: &Rating, audit: AuditRecord) -> Result<()> {
        let mut w = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT code, status, procedure_code, receiving_unit_id, competent_unit_id FROM dossiers WHERE id = $1",
        )
        .bind(rating.dossier_id.clone())
        .fetch_optional(&mut *w.tx)
        .await?
        .ok_or_else(|| {
            Error::NotFound(Problem::new(
                "dossier_not_found",
                "Không tìm thấy hồ sơ.",
                "Dossier not found.",
            ))
        })?;
        let status = Status::from_code(row.try_get::<i64, _>("status")? as u8)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("bad stored status")))?;
        if !can_rate(status) {
            return Err(Error::Conflict(not_ended(status)));
        }
        let previous: Option<String> = sqlx::query("SELECT verdict FROM dossier_ratings WHERE dossier_id = $1")
            .bind(rating.dossier_id.clone())
            .fetch_optional(&mut *w.tx)
            .await?
            .map(|r| r.try_get("verdict"))
            .transpose()?;
        sqlx::query(
            "INSERT INTO dossier_ratings (dossier_id, verdict, comment, account_id, rated_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (dossier_id) DO UPDATE SET verdict = excluded.verdict, comment = excluded.comment,
             account_id = excluded.account_id, updated_at = excluded.updated_at",
        )
        .bind(rating.dossier_id.clone())
        .bind(rating.verdict.as_str().to_string())
        .bind(rating.comment.clone())
        .bind(rating.account_id.clone())
        .bind(ts(&rating.rated_at))
        .bind(ts(&rating.updated_at))
        .execute(&mut *w.tx)
        .await?;
        let mut audit = audit;
        if let serde_json::Value::Object(m) = &mut audit.detail {
            m.insert("previous_verdict".into(), previous.clone().into());
        }
        w.audit(rating.updated_at, audit);
        let payload = serde_json::json!({
            "event": RATED_EVENT,
            "dossier_id": rating.dossier_id,
            "code": row.try_get::<String, _>("code")?,
            "procedure_code": row.try_get::<String, _>("procedure_code")?,
            "receiving_unit_id": row.try_get::<String, _>("receiving_unit_id")?,
            "competent_unit_id": row.try_get::<String, _>("competent_unit_id")?,
            "status": status.code(),
            "verdict": rating.verdict.as_str(),
            "previous_verdict": previous,
            "has_comment": rating.comment.is_some(),
            "updated_at": ts(&rating.updated_at),
        });
        write_outbox(&mut w.tx, &rating.updated_at, RATED_EVENT, &rating.dossier_id, &payload).await?;
        w.commit().await
    }

    /// The current rating of a dossier, if it has been rated.
    pub async fn rating(&self, dossier_id: &str) -> Result<Option<Rating>> {
        let row = sqlx::query(
            "SELECT dossier_id, verdict, comment, account_id, rated_at, updated_at FROM dossier_ratings WHERE dossier_id = $1",
        )
        .bind(dossier_id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let verdict: String = r.try_get("verdict")?;
        Ok(Some(Rating {
            dossier_id: r.try_get("dossier_id")?,
            verdict: Verdict::parse(&verdict)
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("bad stored verdict {verdict:?}")))?,
            comment: r.try_get("comment")?,
            account_id: r.try_get("account_id")?,
            rated_at: parse_ts(&r.try_get::<String, _>("rated_at")?)?,
            updated_at: parse_ts(&r.try_get::<String, _>("updated_at")?)?,
        }))
    }
}
