//! Local accounts (argon2id), roles scoped to units, and sessions (opaque tokens of which
//! only a SHA-256 is stored). Officials and administrators complete their login with a
//! second factor ([`crate::second_factor`]).

use crate::sealing::{Field, Sealer};
use crate::{Error, Result, Store, ts};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use citygov_domain::workflow::Role;
use citygov_domain::{LocalTime, Problem};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Failed logins, counted since the last success and within [`LOGIN_LOCK_MINUTES`], that lock
/// a username.
pub const LOGIN_MAX_FAILURES: i64 = 5;
/// How long a lock lasts after the last failure, and the window in which failures count.
pub const LOGIN_LOCK_MINUTES: i64 = 15;

/// An account with its roles.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub title: String,
    /// `citizen` or `official`.
    pub kind: String,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Authenticated with VNeID: verified once for the account, or, for the account of a
    /// session, by a login through the national e-ID (see [`crate::oidc`]).
    pub vneid_verified: bool,
    pub roles: Vec<RoleGrant>,
}

/// A role held in a unit (empty unit id for roles not tied to a unit: applicant, admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleGrant {
    pub role: Role,
    pub unit_id: String,
}

impl Account {
    /// Roles this account holds in any of the given units.
    pub fn roles_in(&self, unit_ids: &[&str]) -> Vec<Role> {
        let mut out: Vec<Role> = self
            .roles
            .iter()
            .filter(|g| unit_ids.contains(&g.unit_id.as_str()))
            .map(|g| g.role)
            .collect();
        out.sort();
        out.dedup();
        out
    }
    /// Officials (of any unit, including data stewards and analysts) and administrators must
    /// log in with a second factor.
    pub fn requires_second_factor(&self) -> bool {
        self.kind == "official" || self.has_role(Role::Administrator)
    }
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }
    /// Units in which the account holds an official role.
    pub fn official_units(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .roles
            .iter()
            .filter(|g| {
                matches!(g.role, Role::IntakeOfficer | Role::ProcessingOfficer | Role::UnitLeader)
                    && !g.unit_id.is_empty()
            })
            .map(|g| g.unit_id.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub title: String,
    pub kind: String,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vneid_verified: bool,
    pub roles: Vec<RoleGrant>,
}

/// Hash a password with argon2id (the crate's default parameters).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(anyhow::anyhow!("hashing failed: {e}")))
}

/// The outcome of a right or wrong password.
#[derive(Debug, Clone)]
pub enum LoginStep {
    /// Wrong username or password (audited as a failed login).
    Refused,
    /// Logged in: open a session.
    Done(Account),
    /// The password was right; the account must now give its second factor
    /// ([`Store::begin_second_factor`]).
    SecondFactor(Account),
}

/// The refusal of a locked username.
pub(crate) fn locked_error(until: LocalTime) -> Error {
    let at = until.format("%H:%M %d/%m/%Y");
    Error::TooManyAttempts(
        Problem::new(
            "login_locked",
            format!("Tài khoản tạm khóa vì đăng nhập sai {LOGIN_MAX_FAILURES} lần. Vui lòng thử lại sau {at}."),
            format!("The account is locked after {LOGIN_MAX_FAILURES} failed logins. Please try again after {at}."),
        )
        .at("username"),
    )
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    /// Create an account. The username must be free; the password at least 8 characters.
    pub async fn create_account(&self, a: &NewAccount, now: LocalTime) -> Result<Account> {
        let mut problems = Vec::new();
        let username = a.username.trim().to_lowercase();
        if username.len() < 3
            || username.len() > 64
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        {
            problems.push(
                Problem::new(
                    "invalid",
                    "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, . _ - @.",
                    "A username has 3–64 characters: letters, digits, . _ - @.",
                )
                .at("username"),
            );
        }
        if a.password.chars().count() < 8 {
            problems.push(
                Problem::new(
                    "weak_password",
                    "Mật khẩu phải có ít nhất 8 ký tự.",
                    "The password must have at least 8 characters.",
                )
                .at("password"),
            );
        }
        if a.full_name.trim().is_empty() {
            problems.push(Problem::required("full_name", "Họ và tên", "Full name"));
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let hash = hash_password(&a.password)?;
        self.create_account_hashed(a, &username, &hash, now).await
    }

    /// Create an account with an already computed hash (bulk demo accounts share one).
    pub async fn create_account_hashed(
        &self,
        a: &NewAccount,
        username: &str,
        hash: &str,
        now: LocalTime,
    ) -> Result<Account> {
        let id = uuid::Uuid::now_v7().to_string();
        let sealer = self.sealer();
        let mut w = self.begin_write().await?;
        let res = sqlx::query(
            "INSERT INTO accounts (id, username, password_hash, full_name, title, kind, id_number, email, phone, vneid_verified, disabled, created_at, id_number_index)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12)",
        )
        .bind(id.clone())
        .bind(username.to_string())
        .bind(hash.to_string())
        .bind(a.full_name.trim().to_string())
        .bind(a.title.clone())
        .bind(a.kind.clone())
        .bind(sealer.seal_opt(Field::IdNumber, a.id_number.as_deref()))
        .bind(sealer.seal_opt(Field::Email, a.email.as_deref()))
        .bind(sealer.seal_opt(Field::Phone, a.phone.as_deref()))
        .bind(a.vneid_verified as i64)
        .bind(ts(&now))
        .bind(a.id_number.as_deref().filter(|v| !v.is_empty()).map(|v| sealer.index(v)))
        .execute(&mut *w.tx)
        .await;
        if let Err(e) = res {
            if crate::is_unique_violation(&e) {
                return Err(Error::Conflict(
                    Problem::new(
                        "username_taken",
                        "Tên đăng nhập đã có người dùng.",
                        "This username is already taken.",
                    )
                    .at("username"),
                ));
            }
            return Err(e.into());
        }
        for g in &a.roles {
            sqlx::query("INSERT INTO account_roles (account_id, role, unit_id) VALUES ($1, $2, $3)")
                .bind(id.clone())
                .bind(g.role.as_str().to_string())
                .bind(g.unit_id.clone())
                .execute(&mut *w.tx)
                .await?;
        }
        w.audit(
            now,
            crate::AuditRecord {
                actor_id: None,
                actor_name: "system".into(),
                action: "account.created".into(),
                entity_type: "account".into(),
                entity_id: id.clone(),
                detail: serde_json::json!({ "username": username, "roles": a.roles.iter().map(|g| format!("{}@{}", g.role.as_str(), g.unit_id)).collect::<Vec<_>>() }),
            },
        );
        w.commit().await?;
        self.account(&id)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("account vanished")))
    }

    pub async fn account(&self, id: &str) -> Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT id, username, full_name, title, kind, id_number, email, phone, vneid_verified FROM accounts WHERE id = $1 AND disabled = 0",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.account_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// An enabled account by username.
    pub async fn account_by_username(&self, username: &str) -> Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT id, username, full_name, title, kind, id_number, email, phone, vneid_verified FROM accounts WHERE username = $1 AND disabled = 0",
        )
        .bind(username.to_string())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.account_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    pub(crate) async fn account_from_row(&self, r: &sqlx::any::AnyRow) -> Result<Account> {
        let id: String = r.try_get("id")?;
        let roles = sqlx::query("SELECT role, unit_id FROM account_roles WHERE account_id = $1")
            .bind(id.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .filter_map(|r| {
                let role: String = r.try_get("role").ok()?;
                Some(RoleGrant {
                    role: Role::parse(&role)?,
                    unit_id: r.try_get("unit_id").ok()?,
                })
            })
            .collect();
        let (id_number, email, phone) = self.unsealing(|s| personal_data(s, r)).await?;
        Ok(Account {
            id,
            username: r.try_get("username")?,
            full_name: r.try_get("full_name")?,
            title: r.try_get("title")?,
            kind: r.try_get("kind")?,
            id_number,
            email,
            phone,
            vneid_verified: r.try_get::<i64, _>("vneid_verified")? != 0,
            roles,
        })
    }

    /// An enabled account by the identity number of its holder (by the keyed hash: nothing is
    /// decrypted to search).
    pub async fn account_by_id_number(&self, id_number: &str) -> Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT id, username, full_name, title, kind, id_number, email, phone, vneid_verified FROM accounts WHERE id_number_index = $1 AND disabled = 0 ORDER BY created_at LIMIT 1",
        )
        .bind(self.sealer().index(id_number))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.account_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// Check a username and password. Every attempt is audited. After
    /// [`LOGIN_MAX_FAILURES`] failures within [`LOGIN_LOCK_MINUTES`] (counted since the last
    /// success) the username is locked until that many minutes after the last failure:
    /// attempts are refused with [`Error::TooManyAttempts`] without checking the password.
    /// A right password of an account that needs a second factor is audited as
    /// `auth.password_accepted` by [`Store::begin_second_factor`], not as a login.
    pub async fn check_password(&self, username: &str, password: &str, now: LocalTime) -> Result<LoginStep> {
        let username = username.trim().to_lowercase();
        let row = sqlx::query("SELECT id, password_hash FROM accounts WHERE username = $1 AND disabled = 0")
            .bind(username.clone())
            .fetch_optional(&self.pool)
            .await?;
        let account_id: Option<String> = row.as_ref().map(|r| r.try_get("id")).transpose()?;
        if let Some(until) = self.locked_until(&username, account_id.as_deref(), now).await? {
            let mut w = self.begin_write().await?;
            w.audit(
                now,
                crate::AuditRecord {
                    actor_id: None,
                    actor_name: username.clone(),
                    action: "auth.login_locked".into(),
                    entity_type: "account".into(),
                    entity_id: username.clone(),
                    detail: serde_json::json!({ "until": ts(&until) }),
                },
            );
            w.commit().await?;
            return Err(locked_error(until));
        }
        let ok_id = match row {
            Some(r) => {
                let id: String = r.try_get("id")?;
                let hash: String = r.try_get("password_hash")?;
                let pw = password.to_string();
                let good = tokio::task::spawn_blocking(move || {
                    PasswordHash::new(&hash)
                        .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
                        .unwrap_or(false)
                })
                .await
                .map_err(|e| Error::Internal(e.into()))?;
                good.then_some(id)
            }
            None => None,
        };
        let account = match &ok_id {
            Some(id) => self.account(id).await?,
            None => None,
        };
        if let Some(a) = &account
            && a.requires_second_factor()
        {
            return Ok(LoginStep::SecondFactor(a.clone()));
        }
        let mut w = self.begin_write().await?;
        w.audit(
            now,
            crate::AuditRecord {
                actor_id: ok_id.clone(),
                actor_name: username.clone(),
                action: if ok_id.is_some() {
                    "auth.login".into()
                } else {
                    "auth.login_failed".into()
                },
                entity_type: "account".into(),
                entity_id: ok_id.clone().unwrap_or_else(|| username.clone()),
                detail: serde_json::json!({}),
            },
        );
        w.commit().await?;
        Ok(match account {
            Some(a) => LoginStep::Done(a),
            None => LoginStep::Refused,
        })
    }

    /// When the username is locked out: the end of the lock, if it is now.
    pub(crate) async fn locked_until(
        &self,
        username: &str,
        account_id: Option<&str>,
        now: LocalTime,
    ) -> Result<Option<LocalTime>> {
        let mut floor = ts(&(now - chrono::Duration::minutes(LOGIN_LOCK_MINUTES)));
        if let Some(id) = account_id {
            let last_ok: Option<String> = sqlx::query(
                "SELECT MAX(at) AS at FROM audit_log WHERE entity_type = 'account' AND entity_id = $1 AND action = 'auth.login'",
            )
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await?
            .try_get("at")?;
            if let Some(ok) = last_ok
                && ok > floor
            {
                floor = ok;
            }
        }
        let r = sqlx::query(
            "SELECT COUNT(*) AS n, MAX(at) AS last FROM audit_log \
             WHERE entity_type = 'account' AND entity_id = $1 AND action = 'auth.login_failed' AND at > $2",
        )
        .bind(username.to_string())
        .bind(floor)
        .fetch_one(&self.pool)
        .await?;
        let n: i64 = r.try_get("n")?;
        let last: Option<String> = r.try_get("last")?;
        match last {
            Some(last) if n >= LOGIN_MAX_FAILURES => {
                let until = crate::parse_ts(&last)? + chrono::Duration::minutes(LOGIN_LOCK_MINUTES);
                Ok((until > now).then_some(until))
            }
            _ => Ok(None),
        }
    }

    /// Open a session; returns the token (shown once; only its hash is stored).
    pub async fn create_session(&self, account_id: &str, now: LocalTime, ttl_hours: i64) -> Result<String> {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, stage, failures) VALUES ($1, $2, $3, $4, $3, 'full', 0)",
        )
        .bind(token_hash(&token))
        .bind(account_id.to_string())
        .bind(ts(&now))
        .bind(ts(&(now + chrono::Duration::hours(ttl_hours))))
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// The account of a live session token, with its roles, in one query. A session is live
    /// before its absolute expiry and while it has seen a request within `idle`; using it
    /// moves its last-seen time (at most once a minute, so that reads rarely write).
    pub async fn session_account(
        &self,
        token: &str,
        now: LocalTime,
        idle: chrono::Duration,
    ) -> Result<Option<Account>> {
        let hash = token_hash(token);
        let rows = sqlx::query(
            "SELECT a.id, a.username, a.full_name, a.title, a.kind, a.id_number, a.email, a.phone, a.vneid_verified, r.role, r.unit_id,
                    COALESCE(s.last_seen_at, s.created_at) AS last_seen_at, s.vneid
             FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN account_roles r ON r.account_id = a.id
             WHERE s.token_hash = $1 AND s.stage = 'full' AND s.expires_at > $2 AND COALESCE(s.last_seen_at, s.created_at) > $3 AND a.disabled = 0",
        )
        .bind(hash.clone())
        .bind(ts(&now))
        .bind(ts(&(now - idle)))
        .fetch_all(&self.pool)
        .await?;
        let Some(r) = rows.first() else { return Ok(None) };
        let last_seen: String = r.try_get("last_seen_at")?;
        if last_seen < ts(&(now - chrono::Duration::minutes(1))) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND COALESCE(last_seen_at, created_at) < $1")
                .bind(ts(&now))
                .bind(hash)
                .execute(&self.pool)
                .await?;
        }
        let roles = rows
            .iter()
            .filter_map(|r| {
                let role: Option<String> = r.try_get("role").ok()?;
                Some(RoleGrant {
                    role: Role::parse(&role?)?,
                    unit_id: r.try_get("unit_id").ok()?,
                })
            })
            .collect();
        let (id_number, email, phone) = self.unsealing(|s| personal_data(s, r)).await?;
        Ok(Some(Account {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            full_name: r.try_get("full_name")?,
            title: r.try_get("title")?,
            kind: r.try_get("kind")?,
            id_number,
            email,
            phone,
            // Verified once for the account, or for this session by a login through the
            // national e-ID.
            vneid_verified: r.try_get::<i64, _>("vneid_verified")? != 0 || r.try_get::<i64, _>("vneid")? != 0,
            roles,
        }))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The account's identity number, e-mail and phone, opened.
fn personal_data(s: &Sealer, r: &sqlx::any::AnyRow) -> Result<(Option<String>, Option<String>, Option<String>)> {
    Ok((
        s.open_opt(Field::IdNumber, r.try_get("id_number")?)?,
        s.open_opt(Field::Email, r.try_get("email")?)?,
        s.open_opt(Field::Phone, r.try_get("phone")?)?,
    ))
}
