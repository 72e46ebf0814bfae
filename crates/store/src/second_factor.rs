//! The second factor of officials and administrators: time-based one-time passwords
//! (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), as made by any authenticator app.
//!
//! A right password opens a short-lived *pending* session (stage `second_factor`) that is
//! never accepted as a login. The pending session is completed by a code: the first code
//! made with a new secret enrols the authenticator. A code is accepted at most once (the
//! step of the last accepted code is kept, RFC 6238 §5.2) and within one step of the clock.
//! A wrong code counts as a failed login of the username, so that codes cannot be guessed
//! past the password lockout; after [`MAX_CODE_FAILURES`] wrong codes the pending session
//! ends.

use crate::accounts::{Account, LOGIN_MAX_FAILURES, token_hash};
use crate::{AuditRecord, Error, Result, Store, parse_ts, ts};
use citygov_domain::{LocalTime, Problem};
use rand::RngCore;
use serde::Serialize;
use sqlx::Row;

/// How long a pending login waits for its code.
pub const PENDING_MINUTES: i64 = 5;
/// Wrong codes after which a pending login ends (the password must be given again).
pub const MAX_CODE_FAILURES: i64 = LOGIN_MAX_FAILURES;
/// The issuer shown by authenticator apps.
pub const ISSUER: &str = "citygov";
const STEP_SECONDS: i64 = 30;

/// A login waiting for its second factor.
#[derive(Debug, Clone, Serialize)]
pub struct PendingLogin {
    /// Token of the pending session: given back with the code.
    pub challenge: String,
    pub expires_at: LocalTime,
    /// Present when the account has no authenticator yet: the secret to enrol.
    pub enrollment: Option<Enrollment>,
}

/// A new authenticator's secret, shown once at enrolment.
#[derive(Debug, Clone, Serialize)]
pub struct Enrollment {
    /// Base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub otpauth_url: String,
}

/// Seconds since the Unix epoch of a local (UTC+7) time.
fn unix(t: LocalTime) -> i64 {
    (t - chrono::Duration::hours(7)).and_utc().timestamp()
}

const ALPHABET: base32::Alphabet = base32::Alphabet::Rfc4648 { padding: false };

fn secret_bytes(secret_b32: &str) -> Result<Vec<u8>> {
    let clean: String = secret_b32.chars().filter(|c| !c.is_whitespace()).collect();
    base32::decode(ALPHABET, &clean.to_ascii_uppercase())
        .filter(|b| b.len() >= 10)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("bad TOTP secret")))
}

/// HOTP (RFC 4226) with HMAC-SHA1 and 6 digits, for the counter `step`.
fn hotp(key: &[u8], step: i64) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    let tag = ring::hmac::sign(&key, &(step.max(0) as u64).to_be_bytes());
    let h = tag.as_ref();
    let o = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    format!("{:06}", bin % 1_000_000)
}

/// Equal strings, compared in time independent of where they differ (codes, nonces).
pub fn same_code(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` URL of a secret for an authenticator app (Key Uri Format): issuer and
/// username in the label, SHA-1, 6 digits, 30 seconds (the defaults, left out).
fn otpauth_url(secret_b32: &str, username: &str) -> String {
    let account: String = username
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("otpauth://totp/{ISSUER}:{account}?secret={secret_b32}&issuer={ISSUER}")
}

/// The code an authenticator with `secret` (base32) shows at `at`: for tests, benchmarks and
/// command-line clients that hold their own secret.
pub fn totp_code(secret: &str, at: LocalTime) -> Result<String> {
    totp_code_at_step(secret, step_of(at))
}

/// The time step of `at`.
pub fn step_of(at: LocalTime) -> i64 {
    unix(at).div_euclid(STEP_SECONDS)
}

/// The code for one time step (tests use it to make a code not used yet).
pub fn totp_code_at_step(secret: &str, step: i64) -> Result<String> {
    Ok(hotp(&secret_bytes(secret)?, step))
}

fn invalid_code() -> Error {
    Error::Unauthorized(
        Problem::new(
            "invalid_code",
            "Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới trên ứng dụng xác thực.",
            "The code is wrong or was already used. Enter a new code from the authenticator app.",
        )
        .at("code"),
    )
}

fn pending_expired() -> Error {
    Error::Unauthorized(Problem::new(
        "second_factor_expired",
        "Phiên xác thực hai lớp đã hết hạn. Hãy đăng nhập lại bằng mật khẩu.",
        "The second-factor step has expired. Please log in again with your password.",
    ))
}

impl Store {
    /// After a right password of an account that needs a second factor: open a pending
    /// session. Without a confirmed authenticator, a new secret is made (replacing an
    /// unconfirmed one) and returned for enrolment.
    pub async fn begin_second_factor(&self, account: &Account, now: LocalTime) -> Result<PendingLogin> {
        let row = sqlx::query("SELECT secret, confirmed_at FROM account_totp WHERE account_id = $1")
            .bind(account.id.clone())
            .fetch_optional(&self.pool)
            .await?;
        let confirmed = match &row {
            Some(r) => r.try_get::<Option<String>, _>("confirmed_at")?.is_some(),
            None => false,
        };
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let challenge = hex::encode(bytes);
        let expires_at = now + chrono::Duration::minutes(PENDING_MINUTES);
        let mut w = self.begin_write().await?;
        let enrollment = if confirmed {
            None
        } else {
            let mut raw = [0u8; 20];
            rand::thread_rng().fill_bytes(&mut raw);
            let secret = base32::encode(ALPHABET, &raw);
            sqlx::query("DELETE FROM account_totp WHERE account_id = $1 AND confirmed_at IS NULL")
                .bind(account.id.clone())
                .execute(&mut *w.tx)
                .await?;
            sqlx::query("INSERT INTO account_totp (account_id, secret, created_at, last_step) VALUES ($1, $2, $3, 0)")
                .bind(account.id.clone())
                .bind(secret.clone())
                .bind(ts(&now))
                .execute(&mut *w.tx)
                .await?;
            let otpauth_url = otpauth_url(&secret, &account.username);
            Some(Enrollment { secret, otpauth_url })
        };
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, stage, failures) \
             VALUES ($1, $2, $3, $4, $3, 'second_factor', 0)",
        )
        .bind(token_hash(&challenge))
        .bind(account.id.clone())
        .bind(ts(&now))
        .bind(ts(&expires_at))
        .execute(&mut *w.tx)
        .await?;
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account.id.clone()),
                actor_name: account.username.clone(),
                action: "auth.password_accepted".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "second_factor": if confirmed { "totp" } else { "enrolment" } }),
            },
        );
        w.commit().await?;
        Ok(PendingLogin {
            challenge,
            expires_at,
            enrollment,
        })
    }

    /// The account of a live pending login, and whether it is enrolling (for the page that
    /// asks for the code).
    pub async fn pending_login(&self, challenge: &str, now: LocalTime) -> Result<Option<(Account, bool)>> {
        let row = sqlx::query(
            "SELECT s.account_id, t.confirmed_at FROM sessions s LEFT JOIN account_totp t ON t.account_id = s.account_id \
             WHERE s.token_hash = $1 AND s.stage = 'second_factor' AND s.expires_at > $2",
        )
        .bind(token_hash(challenge))
        .bind(ts(&now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let id: String = r.try_get("account_id")?;
        let enrolling = r.try_get::<Option<String>, _>("confirmed_at")?.is_none();
        Ok(self.account(&id).await?.map(|a| (a, enrolling)))
    }

    /// The secret of a pending enrolment (shown again on the enrolment page while it waits).
    pub async fn pending_enrollment(&self, account: &Account) -> Result<Option<Enrollment>> {
        let row = sqlx::query("SELECT secret FROM account_totp WHERE account_id = $1 AND confirmed_at IS NULL")
            .bind(account.id.clone())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => {
                let secret: String = r.try_get("secret")?;
                let otpauth_url = otpauth_url(&secret, &account.username);
                Ok(Some(Enrollment { secret, otpauth_url }))
            }
            None => Ok(None),
        }
    }

    /// Complete a pending login with a code: on success the pending session becomes a full
    /// session with a new token (returned) and the login is audited; a first accepted code
    /// confirms the authenticator. A wrong or replayed code is audited as a failed login of
    /// the username and counts toward both locks.
    pub async fn complete_second_factor(
        &self,
        challenge: &str,
        code: &str,
        now: LocalTime,
        ttl_hours: i64,
    ) -> Result<(String, Account)> {
        let Some((account, enrolling)) = self.pending_login(challenge, now).await? else {
            return Err(pending_expired());
        };
        if let Some(until) = self.locked_until(&account.username, Some(&account.id), now).await? {
            self.end_pending(challenge).await?;
            return Err(crate::accounts::locked_error(until));
        }
        let r = sqlx::query("SELECT secret, last_step FROM account_totp WHERE account_id = $1")
            .bind(account.id.clone())
            .fetch_one(&self.pool)
            .await?;
        let secret: String = r.try_get("secret")?;
        let last_step: i64 = r.try_get("last_step")?;
        let code = code.trim().replace(' ', "");
        let key = secret_bytes(&secret)?;
        let now_step = step_of(now);
        let matched = (code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()))
            .then(|| (now_step - 1..=now_step + 1).find(|s| *s > last_step && same_code(&hotp(&key, *s), &code)))
            .flatten();
        let Some(step) = matched else {
            let mut w = self.begin_write().await?;
            // The count as this failure left it (none: the login ended meanwhile).
            let failures: i64 =
                sqlx::query("UPDATE sessions SET failures = failures + 1 WHERE token_hash = $1 RETURNING failures")
                    .bind(token_hash(challenge))
                    .fetch_optional(&mut *w.tx)
                    .await?
                    .map(|r| r.try_get("failures"))
                    .transpose()?
                    .unwrap_or(MAX_CODE_FAILURES);
            w.audit(
                now,
                AuditRecord {
                    actor_id: None,
                    actor_name: account.username.clone(),
                    action: "auth.login_failed".into(),
                    entity_type: "account".into(),
                    entity_id: account.username.clone(),
                    detail: serde_json::json!({ "factor": "totp" }),
                },
            );
            w.commit().await?;
            if let Some(until) = self.locked_until(&account.username, Some(&account.id), now).await? {
                self.end_pending(challenge).await?;
                return Err(crate::accounts::locked_error(until));
            }
            if failures >= MAX_CODE_FAILURES {
                self.end_pending(challenge).await?;
                return Err(pending_expired());
            }
            return Err(invalid_code());
        };
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let mut w = self.begin_write().await?;
        // Moves only forward: of two logins racing with the same code, one wins.
        let moved = sqlx::query(
            "UPDATE account_totp SET last_step = $1, confirmed_at = COALESCE(confirmed_at, $2) \
             WHERE account_id = $3 AND last_step < $1",
        )
        .bind(step)
        .bind(ts(&now))
        .bind(account.id.clone())
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        let ended = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND stage = 'second_factor'")
            .bind(token_hash(challenge))
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if moved != 1 || ended != 1 {
            return Err(invalid_code());
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, stage, failures) \
             VALUES ($1, $2, $3, $4, $3, 'full', 0)",
        )
        .bind(token_hash(&token))
        .bind(account.id.clone())
        .bind(ts(&now))
        .bind(ts(&(now + chrono::Duration::hours(ttl_hours))))
        .execute(&mut *w.tx)
        .await?;
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account.id.clone()),
                actor_name: account.username.clone(),
                action: "auth.login".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "second_factor": "totp", "enrolled": enrolling }),
            },
        );
        w.commit().await?;
        Ok((token, account))
    }

    async fn end_pending(&self, challenge: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND stage = 'second_factor'")
            .bind(token_hash(challenge))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether the account has a confirmed authenticator, and since when.
    pub async fn second_factor_since(&self, account_id: &str) -> Result<Option<LocalTime>> {
        let row = sqlx::query("SELECT confirmed_at FROM account_totp WHERE account_id = $1")
            .bind(account_id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        match row
            .map(|r| r.try_get::<Option<String>, _>("confirmed_at"))
            .transpose()?
            .flatten()
        {
            Some(t) => Ok(Some(parse_ts(&t)?)),
            None => Ok(None),
        }
    }

    /// Remove an account's authenticator (lost phone) and end its sessions: the next login
    /// enrols a new one. Audited with who did it.
    pub async fn reset_second_factor(&self, username: &str, by: &str, now: LocalTime) -> Result<()> {
        let Some(account) = self.account_by_username(&username.trim().to_lowercase()).await? else {
            return Err(Error::NotFound(
                Problem::new(
                    "unknown_account",
                    "Không có tài khoản với tên đăng nhập này.",
                    "There is no account with this username.",
                )
                .at("username"),
            ));
        };
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM account_totp WHERE account_id = $1")
            .bind(account.id.clone())
            .execute(&mut *w.tx)
            .await?;
        let sessions = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account.id.clone())
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        w.audit(
            now,
            AuditRecord {
                actor_id: None,
                actor_name: by.to_string(),
                action: "account.second_factor_reset".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "sessions_ended": sessions }),
            },
        );
        w.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B (SHA-1 key "12345678901234567890"), the last six digits.
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        for (t, code) in [
            (59i64, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(hotp(key, t / STEP_SECONDS), code, "T = {t}");
        }
        let b32 = base32::encode(ALPHABET, key);
        let at = chrono::DateTime::from_timestamp(59, 0).unwrap().naive_utc() + chrono::Duration::hours(7);
        assert_eq!(totp_code(&b32, at).unwrap(), "287082");
        assert!(same_code("287082", "287082") && !same_code("287082", "287083") && !same_code("1", "12"));
        assert_eq!(
            otpauth_url("ABC", "tn.thuynguyen"),
            "otpauth://totp/citygov:tn.thuynguyen?secret=ABC&issuer=citygov"
        );
    }
}
