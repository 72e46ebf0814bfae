//! Logins through OpenID Connect providers: an external identity (provider id + subject) is
//! linked to one account, created at its first login and brought up to date from the claims
//! at every later one. The provider authenticates the person (with its own second factor, if
//! any), so these logins open a full session at once.

use crate::accounts::{Account, RoleGrant, token_hash};
use crate::{AuditRecord, Error, Result, Store, ts};
use citygov_domain::workflow::Role;
use citygov_domain::{LocalTime, Problem};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Whom a provider logs in: residents (who file dossiers) or officials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    Citizen,
    Official,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Citizen => "citizen",
            IdentityKind::Official => "official",
        }
    }
}

/// What a provider asserted about a person, already mapped to citygov's terms.
#[derive(Debug, Clone)]
pub struct ExternalIdentity {
    /// The provider's id in the configuration.
    pub provider: String,
    /// The provider's stable identifier of the person (`sub`).
    pub subject: String,
    pub kind: IdentityKind,
    /// The username wished for a new account (made unique if taken).
    pub username: String,
    pub full_name: String,
    /// The citizen identity number (CCCD), when the provider gives one.
    pub id_number: Option<String>,
    /// Roles of an official, mapped from the claims (ignored for citizens, who are applicants).
    pub roles: Vec<RoleGrant>,
    /// The provider is the national e-ID: the session counts as VNeID-authenticated.
    pub vneid: bool,
}

/// The password hash of accounts created by a provider: not a valid hash, so no password
/// ever matches it.
const NO_PASSWORD: &str = "!external";

fn no_role() -> Error {
    Error::Forbidden(Problem::new(
        "oidc_no_role",
        "Tài khoản của bạn ở nhà cung cấp định danh chưa được gán vai trò nào trong hệ thống. Hãy liên hệ quản trị viên của đơn vị.",
        "Your account at the identity provider has no role in this system. Please contact your unit's administrator.",
    ))
}

/// A username of 3–64 characters of `[a-z0-9._@-]` made from a claim.
fn clean_username(wish: &str, subject: &str) -> String {
    let mut u: String = wish
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        .take(48)
        .collect();
    if u.len() < 3 {
        u = format!("id-{}", &hex::encode(Sha256::digest(subject.as_bytes()))[..16]);
    }
    u
}

impl Store {
    /// Log in an external identity: link it to its account (creating the account at the
    /// first login), update the account's name, identity number and (for officials) roles
    /// from the claims, and open a full session (`vneid` recorded on it). Audited as
    /// `auth.login` with the provider. An official whose claims map to no role is refused
    /// ([`Error::Forbidden`]) and nothing is written.
    pub async fn external_login(
        &self,
        who: &ExternalIdentity,
        now: LocalTime,
        ttl_hours: i64,
    ) -> Result<(Account, String)> {
        let roles: Vec<RoleGrant> = match who.kind {
            IdentityKind::Citizen => vec![RoleGrant {
                role: Role::Applicant,
                unit_id: String::new(),
            }],
            IdentityKind::Official => {
                let mut r: Vec<RoleGrant> = who
                    .roles
                    .iter()
                    .filter(|g| g.role != Role::Applicant)
                    .cloned()
                    .collect();
                r.sort_by(|a, b| (a.role.as_str(), &a.unit_id).cmp(&(b.role.as_str(), &b.unit_id)));
                r.dedup();
                r
            }
        };
        if roles.is_empty() {
            return Err(no_role());
        }
        let full_name = if who.full_name.trim().is_empty() {
            who.username.trim().to_string()
        } else {
            who.full_name.trim().to_string()
        };
        let mut w = self.begin_write().await?;
        let linked: Option<String> =
            sqlx::query("SELECT account_id FROM account_identities WHERE provider = $1 AND subject = $2")
                .bind(who.provider.clone())
                .bind(who.subject.clone())
                .fetch_optional(&mut *w.tx)
                .await?
                .map(|r| r.try_get("account_id"))
                .transpose()?;
        let (account_id, created) = match linked {
            Some(id) => {
                let disabled: i64 = sqlx::query("SELECT disabled FROM accounts WHERE id = $1")
                    .bind(id.clone())
                    .fetch_one(&mut *w.tx)
                    .await?
                    .try_get("disabled")?;
                if disabled != 0 {
                    return Err(Error::Forbidden(Problem::new(
                        "account_disabled",
                        "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên.",
                        "This account is disabled. Please contact an administrator.",
                    )));
                }
                let sealer = self.sealer();
                let id_number = who.id_number.as_deref().filter(|v| !v.is_empty());
                sqlx::query("UPDATE accounts SET full_name = $1, id_number = COALESCE($2, id_number), id_number_index = COALESCE($3, id_number_index) WHERE id = $4")
                    .bind(full_name.clone())
                    .bind(sealer.seal_opt(crate::sealing::Field::IdNumber, id_number))
                    .bind(id_number.map(|v| sealer.index(v)))
                    .bind(id.clone())
                    .execute(&mut *w.tx)
                    .await?;
                sqlx::query("UPDATE account_identities SET last_login_at = $1 WHERE provider = $2 AND subject = $3")
                    .bind(ts(&now))
                    .bind(who.provider.clone())
                    .bind(who.subject.clone())
                    .execute(&mut *w.tx)
                    .await?;
                (id, false)
            }
            None => {
                let sealer = self.sealer();
                let id = uuid::Uuid::now_v7().to_string();
                // A local account with the same username is never taken over: the new account
                // gets a username of its own.
                let base = clean_username(&who.username, &who.subject);
                let mut username = base.clone();
                for n in 1.. {
                    let taken = sqlx::query("SELECT 1 AS x FROM accounts WHERE username = $1")
                        .bind(username.clone())
                        .fetch_optional(&mut *w.tx)
                        .await?
                        .is_some();
                    if !taken {
                        break;
                    }
                    username = format!(
                        "{base}.{}{}",
                        who.provider,
                        if n > 1 { n.to_string() } else { String::new() }
                    );
                }
                sqlx::query(
                    "INSERT INTO accounts (id, username, password_hash, full_name, title, kind, id_number, email, phone, vneid_verified, disabled, created_at, id_number_index)
                     VALUES ($1, $2, $3, $4, '', $5, $6, NULL, NULL, $7, 0, $8, $9)",
                )
                .bind(id.clone())
                .bind(username.clone())
                .bind(NO_PASSWORD.to_string())
                .bind(full_name.clone())
                .bind(who.kind.as_str().to_string())
                .bind(sealer.seal_opt(crate::sealing::Field::IdNumber, who.id_number.as_deref().filter(|v| !v.is_empty())))
                .bind(who.vneid as i64)
                .bind(ts(&now))
                .bind(who.id_number.as_deref().filter(|v| !v.is_empty()).map(|v| sealer.index(v)))
                .execute(&mut *w.tx)
                .await?;
                sqlx::query(
                    "INSERT INTO account_identities (provider, subject, account_id, created_at, last_login_at) VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(who.provider.clone())
                .bind(who.subject.clone())
                .bind(id.clone())
                .bind(ts(&now))
                .execute(&mut *w.tx)
                .await?;
                w.audit(
                    now,
                    AuditRecord {
                        actor_id: None,
                        actor_name: "system".into(),
                        action: "account.created".into(),
                        entity_type: "account".into(),
                        entity_id: id.clone(),
                        detail: serde_json::json!({
                            "username": username,
                            "provider": who.provider,
                            "roles": roles.iter().map(|g| format!("{}@{}", g.role.as_str(), g.unit_id)).collect::<Vec<_>>(),
                        }),
                    },
                );
                (id, true)
            }
        };
        // Roles follow the provider: an official's roles are replaced by those of the claims.
        let current: Vec<RoleGrant> = sqlx::query("SELECT role, unit_id FROM account_roles WHERE account_id = $1")
            .bind(account_id.clone())
            .fetch_all(&mut *w.tx)
            .await?
            .iter()
            .filter_map(|r| {
                Some(RoleGrant {
                    role: Role::parse(&r.try_get::<String, _>("role").ok()?)?,
                    unit_id: r.try_get("unit_id").ok()?,
                })
            })
            .collect();
        let changed = created || current.len() != roles.len() || roles.iter().any(|g| !current.contains(g));
        if changed {
            sqlx::query("DELETE FROM account_roles WHERE account_id = $1")
                .bind(account_id.clone())
                .execute(&mut *w.tx)
                .await?;
            for g in &roles {
                sqlx::query("INSERT INTO account_roles (account_id, role, unit_id) VALUES ($1, $2, $3)")
                    .bind(account_id.clone())
                    .bind(g.role.as_str().to_string())
                    .bind(g.unit_id.clone())
                    .execute(&mut *w.tx)
                    .await?;
            }
        }
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, stage, failures, vneid) VALUES ($1, $2, $3, $4, $3, 'full', 0, $5)",
        )
        .bind(token_hash(&token))
        .bind(account_id.clone())
        .bind(ts(&now))
        .bind(ts(&(now + chrono::Duration::hours(ttl_hours))))
        .bind(who.vneid as i64)
        .execute(&mut *w.tx)
        .await?;
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account_id.clone()),
                actor_name: full_name.clone(),
                action: "auth.login".into(),
                entity_type: "account".into(),
                entity_id: account_id.clone(),
                detail: serde_json::json!({
                    "provider": who.provider,
                    "vneid": who.vneid,
                    "roles": if changed && !created {
                        Some(roles.iter().map(|g| format!("{}@{}", g.role.as_str(), g.unit_id)).collect::<Vec<_>>())
                    } else {
                        None
                    },
                }),
            },
        );
        w.commit().await?;
        let account = self
            .account(&account_id)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("account vanished")))?;
        Ok((account, token))
    }
}
