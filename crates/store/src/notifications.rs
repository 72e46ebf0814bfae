//! Notifications to applicants, made from the outbox so that nothing is lost: a consumer
//! reads dossier events past its cursor and writes one message per event in the same
//! transaction that advances the cursor. E-mails are sent from the `notifications` table and
//! retried until they go out.

use crate::{Result, Store, ts};
use citygov_domain::LocalTime;
use citygov_domain::dossier::Dossier;
use serde::Serialize;
use sqlx::Row;

const CONSUMER: &str = "notifications";

/// A message as the applicant sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: i64,
    pub dossier_id: String,
    pub event: String,
    pub subject_vi: String,
    pub subject_en: String,
    pub body_vi: String,
    pub body_en: String,
    pub created_at: String,
    pub read_at: Option<String>,
    pub email_status: String,
}

/// An e-mail waiting to be sent.
#[derive(Debug, Clone)]
pub struct PendingEmail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

fn row_notification(r: &sqlx::any::AnyRow) -> Result<Notification> {
    Ok(Notification {
        id: r.try_get("id")?,
        dossier_id: r.try_get("dossier_id")?,
        event: r.try_get("event")?,
        subject_vi: r.try_get("subject_vi")?,
        subject_en: r.try_get("subject_en")?,
        body_vi: r.try_get("body_vi")?,
        body_en: r.try_get("body_en")?,
        created_at: r.try_get("created_at")?,
        read_at: r.try_get("read_at")?,
        email_status: r.try_get("email_status")?,
    })
}

impl Store {
    /// Turn the next outbox events into notifications. Returns how many events were read.
    pub async fn notify_from_outbox(&self, limit: i64, now: LocalTime) -> Result<usize> {
        match self.notify_from_outbox_once(limit, now).await {
            Err(crate::Error::UnknownDataKey(id)) => {
                // A dossier sealed by another process with a newer key: reload and go again.
                self.reload_data_keys(Some(&id)).await?;
                self.notify_from_outbox_once(limit, now).await
            }
            r => r,
        }
    }

    async fn notify_from_outbox_once(&self, limit: i64, now: LocalTime) -> Result<usize> {
        let sealer = self.sealer();
        let mut w = self.begin_write().await?;
        let last: i64 = sqlx::query("SELECT last_id FROM outbox_cursors WHERE consumer = $1")
            .bind(CONSUMER.to_string())
            .fetch_optional(&mut *w.tx)
            .await?
            .map(|r| r.try_get("last_id"))
            .transpose()?
            .unwrap_or(0);
        let events = sqlx::query("SELECT id, topic, entity_id FROM outbox WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(last)
            .bind(limit)
            .fetch_all(&mut *w.tx)
            .await?;
        let Some(max) = events.last().map(|r| r.try_get::<i64, _>("id")).transpose()? else {
            return Ok(0);
        };
        for e in &events {
            let (id, topic, dossier_id): (i64, String, String) =
                (e.try_get("id")?, e.try_get("topic")?, e.try_get("entity_id")?);
            let Some(row) = sqlx::query("SELECT doc FROM dossiers WHERE id = $1")
                .bind(dossier_id.clone())
                .fetch_optional(&mut *w.tx)
                .await?
            else {
                continue;
            };
            let doc: String = row.try_get("doc")?;
            let d: Dossier = crate::keys::open_doc(&sealer, &doc)?;
            let Some(m) = citygov_domain::notification::message(&topic, &d) else {
                continue;
            };
            let email = d.applicant.email.clone().filter(|e| !e.is_empty());
            sqlx::query(
                "INSERT INTO notifications (outbox_id, dossier_id, account_id, email, event, subject_vi, subject_en, body_vi, body_en, created_at, email_status)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (outbox_id) DO NOTHING",
            )
            .bind(id)
            .bind(dossier_id)
            .bind(d.applicant_account_id.clone())
            .bind(sealer.seal_opt(crate::sealing::Field::Email, email.as_deref()))
            .bind(topic)
            .bind(m.subject_vi)
            .bind(m.subject_en)
            .bind(m.body_vi)
            .bind(m.body_en)
            .bind(ts(&now))
            .bind(if email.is_some() { "pending" } else { "none" }.to_string())
            .execute(&mut *w.tx)
            .await?;
        }
        sqlx::query("INSERT INTO outbox_cursors (consumer, last_id) VALUES ($1, $2) ON CONFLICT (consumer) DO UPDATE SET last_id = excluded.last_id")
            .bind(CONSUMER.to_string())
            .bind(max)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await?;
        Ok(events.len())
    }

    /// An account's notifications, newest first.
    pub async fn notifications_for(&self, account_id: &str, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, dossier_id, event, subject_vi, subject_en, body_vi, body_en, created_at, read_at, email_status
             FROM notifications WHERE account_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(account_id.to_string())
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row_notification).collect()
    }

    /// Mark an account's notification read; false when it is not theirs.
    pub async fn mark_notification_read(&self, account_id: &str, id: i64, now: LocalTime) -> Result<bool> {
        let n =
            sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND account_id = $3 AND read_at IS NULL")
                .bind(ts(&now))
                .bind(id)
                .bind(account_id.to_string())
                .execute(&self.pool)
                .await?
                .rows_affected();
        if n == 1 {
            return Ok(true);
        }
        let exists = sqlx::query("SELECT id FROM notifications WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(exists.is_some())
    }

    /// Mark every unread notification of an account read; how many were unread.
    pub async fn mark_all_notifications_read(&self, account_id: &str, now: LocalTime) -> Result<u64> {
        Ok(
            sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
                .bind(ts(&now))
                .bind(account_id.to_string())
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    /// E-mails due now (pending, or failed fewer than `max_attempts` times and past their
    /// back-off), oldest first.
    pub async fn pending_emails(&self, limit: i64, max_attempts: i64, now: LocalTime) -> Result<Vec<PendingEmail>> {
        let rows = sqlx::query(
            "SELECT id, email, subject_vi, subject_en, body_vi, body_en, email_attempts FROM notifications
             WHERE email_status IN ('pending', 'failed') AND email_attempts < $1 AND (email_next_at IS NULL OR email_next_at <= $2)
             ORDER BY id LIMIT $3",
        )
        .bind(max_attempts)
        .bind(ts(&now))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        self.unsealing(|sealer| {
            rows.iter()
                .map(|r| {
                    let (svi, sen, bvi, ben): (String, String, String, String) = (
                        r.try_get("subject_vi")?,
                        r.try_get("subject_en")?,
                        r.try_get("body_vi")?,
                        r.try_get("body_en")?,
                    );
                    Ok(PendingEmail {
                        id: r.try_get("id")?,
                        to: sealer.open(crate::sealing::Field::Email, &r.try_get::<String, _>("email")?)?,
                        subject: format!("{svi} / {}", sen.split_once("] ").map(|(_, s)| s).unwrap_or(&sen)),
                        body: format!("{bvi}\n\n— English —\n{ben}\n"),
                        attempts: r.try_get("email_attempts")?,
                    })
                })
                .collect()
        })
        .await
    }

    /// Record the outcome of sending an e-mail (`attempts` = attempts before this one).
    pub async fn mark_email(
        &self,
        id: i64,
        attempts: i64,
        sent: bool,
        error: Option<&str>,
        now: LocalTime,
    ) -> Result<()> {
        let backoff = chrono::Duration::seconds(2i64.saturating_pow(attempts.clamp(0, 30) as u32 + 1).min(3600));
        sqlx::query("UPDATE notifications SET email_status = $1, email_attempts = email_attempts + 1, email_sent_at = $2, email_next_at = $3, email_error = $4 WHERE id = $5")
            .bind(if sent { "sent" } else { "failed" }.to_string())
            .bind(sent.then(|| ts(&now)))
            .bind((!sent).then(|| ts(&(now + backoff))))
            .bind(error.map(|e| e.chars().take(500).collect::<String>()))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
