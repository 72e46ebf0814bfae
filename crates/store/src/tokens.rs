//! API tokens for machine clients, and the sessions of an account.
//!
//! A token (`cgt_` and 64 hex digits, shown once; only its SHA-256 is stored) acts as the
//! account that made it, on the routes its scopes name only (the HTTP layer maps each route
//! to a scope and refuses what is not mapped), until it expires or is revoked.

use crate::accounts::{Account, token_hash};
use crate::{AuditRecord, Error, Result, Store, parse_ts, ts};
use citygov_domain::{LocalTime, Problem};
use rand::RngCore;
use serde::Serialize;
use sqlx::Row;

/// The prefix that tells an API token from a session token.
pub const TOKEN_PREFIX: &str = "cgt_";
/// The longest life of a token.
pub const MAX_TOKEN_DAYS: i64 = 366;

/// The scopes a token can hold, with their meaning (vi, en).
pub const SCOPES: &[(&str, &str, &str)] = &[
    (
        "dossiers:read",
        "Xem hồ sơ, lịch sử và tệp đính kèm",
        "Read dossiers, their history and files",
    ),
    (
        "dossiers:write",
        "Nộp hồ sơ, tải tệp lên, thực hiện thao tác xử lý và đánh giá",
        "File dossiers, upload files, take processing actions and rate",
    ),
    (
        "notifications",
        "Xem và đánh dấu thông báo",
        "Read and mark notifications",
    ),
    ("catalog:write", "Nhập danh mục thủ tục", "Import the procedure catalog"),
    (
        "lake:read",
        "Xem danh mục dữ liệu và truy vấn kho dữ liệu",
        "Browse the data catalog and query the warehouse",
    ),
    (
        "lake:write",
        "Khai báo bộ dữ liệu, nạp dữ liệu và cấp quyền",
        "Define datasets, load data and grant access",
    ),
    (
        "audit:read",
        "Xem nhật ký kiểm toán (quản trị hệ thống và thanh tra viên)",
        "Read the audit trail (administrators and auditors)",
    ),
];

/// Whether `scope` is one of [`SCOPES`].
pub fn is_scope(scope: &str) -> bool {
    SCOPES.iter().any(|(s, _, _)| *s == scope)
}

/// An API token as listed (never with its secret).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: LocalTime,
    pub expires_at: LocalTime,
    pub last_used_at: Option<LocalTime>,
    pub revoked_at: Option<LocalTime>,
}

/// A new token: its listing and the secret, shown once.
#[derive(Debug, Clone, Serialize)]
pub struct NewToken {
    pub token: String,
    #[serde(flatten)]
    pub info: ApiToken,
}

/// A live session of an account, as listed to its owner.
#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    /// A short id (a prefix of the token's hash): names the session without revealing it.
    pub id: String,
    pub created_at: LocalTime,
    pub last_seen_at: LocalTime,
    pub expires_at: LocalTime,
    /// The session this request came with.
    pub current: bool,
}

const SESSION_ID_LEN: usize = 16;

/// The listed id of a session token.
pub fn session_id(token: &str) -> String {
    token_hash(token)[..SESSION_ID_LEN].to_string()
}

fn opt_ts(v: Option<String>) -> Result<Option<LocalTime>> {
    v.map(|t| parse_ts(&t)).transpose()
}

fn token_from_row(r: &sqlx::any::AnyRow) -> Result<ApiToken> {
    let scopes: String = r.try_get("scopes")?;
    Ok(ApiToken {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        scopes: scopes.split_whitespace().map(str::to_string).collect(),
        created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
        expires_at: parse_ts(&r.try_get::<String, _>("expires_at")?)?,
        last_used_at: opt_ts(r.try_get("last_used_at")?)?,
        revoked_at: opt_ts(r.try_get("revoked_at")?)?,
    })
}

impl Store {
    /// Make a token for `account` with a name, scopes (each one of [`SCOPES`]) and a life in
    /// days (1 to [`MAX_TOKEN_DAYS`]). Every problem is listed; nothing is written then.
    pub async fn create_token(
        &self,
        account: &Account,
        name: &str,
        scopes: &[String],
        days: i64,
        now: LocalTime,
    ) -> Result<NewToken> {
        let name = name.trim();
        let mut problems = Vec::new();
        if name.is_empty() || name.chars().count() > 100 {
            problems.push(
                Problem::new(
                    "invalid_token_name",
                    "Tên mã truy cập gồm 1–100 ký tự.",
                    "A token's name has 1–100 characters.",
                )
                .at("name"),
            );
        }
        let mut wanted: Vec<String> = Vec::new();
        for (i, s) in scopes.iter().enumerate() {
            if !is_scope(s) {
                problems.push(
                    Problem::new(
                        "unknown_scope",
                        format!("Phạm vi không tồn tại: {s}."),
                        format!("No such scope: {s}."),
                    )
                    .at(format!("scopes[{i}]")),
                );
            } else if !wanted.contains(s) {
                wanted.push(s.clone());
            }
        }
        if scopes.is_empty() {
            problems.push(
                Problem::new(
                    "no_scope",
                    "Hãy chọn ít nhất một phạm vi.",
                    "Choose at least one scope.",
                )
                .at("scopes"),
            );
        }
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            problems.push(
                Problem::new(
                    "invalid_token_days",
                    format!("Thời hạn của mã là từ 1 đến {MAX_TOKEN_DAYS} ngày."),
                    format!("A token lasts 1 to {MAX_TOKEN_DAYS} days."),
                )
                .at("days"),
            );
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
        let info = ApiToken {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.to_string(),
            scopes: wanted,
            created_at: now,
            expires_at: now + chrono::Duration::days(days),
            last_used_at: None,
            revoked_at: None,
        };
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, account_id, name, token_hash, scopes, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(info.id.clone())
        .bind(account.id.clone())
        .bind(info.name.clone())
        .bind(token_hash(&token))
        .bind(info.scopes.join(" "))
        .bind(ts(&info.created_at))
        .bind(ts(&info.expires_at))
        .execute(&mut *w.tx)
        .await?;
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account.id.clone()),
                actor_name: account.username.clone(),
                action: "auth.token_created".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "token": info.id, "name": info.name, "scopes": info.scopes, "expires_at": ts(&info.expires_at) }),
            },
        );
        w.commit().await?;
        Ok(NewToken { token, info })
    }

    /// The tokens of an account, newest first (revoked and expired ones too).
    pub async fn tokens(&self, account_id: &str) -> Result<Vec<ApiToken>> {
        sqlx::query(
            "SELECT id, name, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_tokens \
             WHERE account_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(account_id.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(token_from_row)
        .collect()
    }

    /// Revoke one of the account's tokens (at once, for every replica: tokens are looked up
    /// on each request). Revoking a revoked token changes nothing.
    pub async fn revoke_token(&self, account: &Account, id: &str, now: LocalTime) -> Result<()> {
        let mut w = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
        )
        .bind(ts(&now))
        .bind(id.to_string())
        .bind(account.id.clone())
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if n == 0 {
            let exists = sqlx::query("SELECT 1 AS one FROM api_tokens WHERE id = $1 AND account_id = $2")
                .bind(id.to_string())
                .bind(account.id.clone())
                .fetch_optional(&mut *w.tx)
                .await?
                .is_some();
            if exists {
                return Ok(());
            }
            return Err(Error::NotFound(Problem::new(
                "unknown_token",
                "Không có mã truy cập này.",
                "There is no such token.",
            )));
        }
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account.id.clone()),
                actor_name: account.username.clone(),
                action: "auth.token_revoked".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "token": id }),
            },
        );
        w.commit().await
    }

    /// The account and scopes of a live token (not expired, not revoked, account enabled).
    /// Its last use is moved at most once a minute.
    pub async fn token_account(&self, token: &str, now: LocalTime) -> Result<Option<(Account, Vec<String>)>> {
        let hash = token_hash(token);
        let row = sqlx::query(
            "SELECT a.id, a.username, a.full_name, a.title, a.kind, a.id_number, a.email, a.phone, a.vneid_verified, \
             t.scopes, t.last_used_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND a.disabled = 0",
        )
        .bind(hash.clone())
        .bind(ts(&now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let scopes: String = r.try_get("scopes")?;
        let last: Option<String> = r.try_get("last_used_at")?;
        if last.is_none_or(|l| l < ts(&(now - chrono::Duration::minutes(1)))) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                .bind(ts(&now))
                .bind(hash)
                .execute(&self.pool)
                .await?;
        }
        let account = self.account_from_row(&r).await?;
        Ok(Some((account, scopes.split_whitespace().map(str::to_string).collect())))
    }

    /// The live sessions of an account, newest first; `current` marks the caller's.
    pub async fn sessions_of(
        &self,
        account_id: &str,
        current_token: Option<&str>,
        now: LocalTime,
        idle: chrono::Duration,
    ) -> Result<Vec<SessionInfo>> {
        let current = current_token.map(token_hash);
        sqlx::query(
            "SELECT token_hash, created_at, COALESCE(last_seen_at, created_at) AS last_seen_at, expires_at FROM sessions \
             WHERE account_id = $1 AND stage = 'full' AND expires_at > $2 AND COALESCE(last_seen_at, created_at) > $3 \
             ORDER BY created_at DESC",
        )
        .bind(account_id.to_string())
        .bind(ts(&now))
        .bind(ts(&(now - idle)))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let hash: String = r.try_get("token_hash")?;
            Ok(SessionInfo {
                id: hash[..SESSION_ID_LEN].to_string(),
                created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
                last_seen_at: parse_ts(&r.try_get::<String, _>("last_seen_at")?)?,
                expires_at: parse_ts(&r.try_get::<String, _>("expires_at")?)?,
                current: current.as_deref() == Some(hash.as_str()),
            })
        })
        .collect()
    }

    /// End one of the account's sessions by its listed id.
    pub async fn end_session_by_id(&self, account: &Account, id: &str, now: LocalTime) -> Result<()> {
        if id.len() != SESSION_ID_LEN || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::NotFound(Problem::new(
                "unknown_session",
                "Không có phiên đăng nhập này.",
                "There is no such session.",
            )));
        }
        let mut w = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND substr(token_hash, 1, 16) = $2")
            .bind(account.id.clone())
            .bind(id.to_ascii_lowercase())
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(Problem::new(
                "unknown_session",
                "Không có phiên đăng nhập này.",
                "There is no such session.",
            )));
        }
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account.id.clone()),
                actor_name: account.username.clone(),
                action: "auth.session_ended".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "session": id }),
            },
        );
        w.commit().await
    }

    /// End every session of an account (log out everywhere); tokens stay unless `tokens`
    /// is set, which revokes them too. `by` is who did it (the account itself, or an
    /// operator's name with no account id). Returns the number of sessions ended.
    pub async fn end_all_sessions(
        &self,
        account_id: &str,
        by: (Option<&str>, &str),
        tokens: bool,
        now: LocalTime,
    ) -> Result<u64> {
        let mut w = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id.to_string())
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        let revoked = if tokens {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
                .bind(ts(&now))
                .bind(account_id.to_string())
                .execute(&mut *w.tx)
                .await?
                .rows_affected()
        } else {
            0
        };
        w.audit(
            now,
            AuditRecord {
                actor_id: by.0.map(str::to_string),
                actor_name: by.1.to_string(),
                action: "auth.logout_everywhere".into(),
                entity_type: "account".into(),
                entity_id: account_id.to_string(),
                detail: serde_json::json!({ "sessions_ended": n, "tokens_revoked": revoked }),
            },
        );
        w.commit().await?;
        Ok(n)
    }
}
