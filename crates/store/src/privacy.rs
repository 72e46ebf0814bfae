//! Personal data (Law 91/2025, Decree 356/2025; docs/privacy.md): the citizen's data tracker
//! (who read or changed their data, as a unit and a role, never a person), consents per
//! purpose with their history, the breach record with its 72-hour clock, and the retention
//! job that erases what is kept too long and anonymises old dossiers.
//!
//! Two things are kept in one place on purpose: which dossiers belong to a person
//! ([`Store::dossier_ids_of_person`]; the predicate will move to a keyed-hash column) and how a
//! dossier is anonymised ([`Store::anonymise_dossiers`]).

use crate::accounts::Account;
use crate::{AuditRecord, Error, FileStore, Result, Store, parse_ts, ts};
use citygov_domain::dossier::{Applicant, Dossier, HistoryEntry};
use citygov_domain::privacy::{ANONYMISE_ACTION, ANONYMISED_NAME, BreachClock, Purpose, RetentionPolicy, acting_role};
use citygov_domain::workflow::Role;
use citygov_domain::{LocalTime, Problem};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

/// The most dossiers one person's tracker looks through (a business may file thousands).
const MAX_PERSON_DOSSIERS: i64 = 10_000;

/// Dossiers due for anonymisation: processing ended (refused at intake, withdrawn, stopped,
/// processed, returned), last changed before `$1`, not anonymised yet.
const DUE_FOR_ANONYMISATION: &str = "status IN (3, 7, 8, 9, 10) AND updated_at < $1 AND anonymised_at IS NULL";

/// Rows of one batch of the retention job (each batch is one transaction).
const BATCH: i64 = 200;

/// `$from, $from+1, …` for `n` values; `NULL` for none (an `IN (NULL)` matches nothing).
fn placeholders(from: usize, n: usize) -> String {
    if n == 0 {
        return "NULL".into();
    }
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// One entry of the data tracker: when, which unit, in which role, which dossier, what and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataAccessEvent {
    pub at: LocalTime,
    /// `read` (a view of a dossier), `change` (a step of its processing) or `account` (a change
    /// of the citizen's own account or consents).
    pub kind: String,
    /// The audit action (`dossier.read`, `consent.given`…) or the dossier action (`accept`…).
    pub action: String,
    pub dossier_code: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// A role (`Role::as_str`), or `holder_of_code`, `self`, `system`, `official`: see
    /// `citygov_domain::privacy::role_title`.
    pub role: String,
    /// Why a dossier was read: `processing`, `lookup`, `inspection`, `administration`.
    pub purpose: Option<String>,
}

/// A consent record: open while `revoked_at` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    pub id: i64,
    pub purpose: String,
    /// The data classes the purpose used when the consent was given.
    pub scope: Vec<String>,
    pub given_at: LocalTime,
    pub revoked_at: Option<LocalTime>,
}

/// A breach as recorded, with its notification clock at the time it was read.
#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    pub id: String,
    pub discovered_at: LocalTime,
    pub recorded_at: LocalTime,
    /// The account that recorded it.
    pub recorded_by: String,
    pub description: String,
    pub data_classes: Vec<String>,
    /// Estimated people affected; `None` while unknown.
    pub people_affected: Option<i64>,
    pub measures: String,
    pub notified_at: Option<LocalTime>,
    pub notified_to: Option<String>,
    pub closed_at: Option<LocalTime>,
    pub clock: BreachClock,
}

/// A breach to record.
#[derive(Debug, Clone, Default)]
pub struct NewBreach {
    pub discovered_at: Option<LocalTime>,
    pub description: String,
    pub data_classes: Vec<String>,
    pub people_affected: Option<i64>,
    pub measures: String,
}

/// What one run of the retention job erased (or, in a dry run, would erase), per class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub sessions: u64,
    pub api_tokens: u64,
    pub idempotency_keys: u64,
    pub unattached_files: u64,
    pub dossiers_anonymised: u64,
    /// Codes of the dossiers anonymised.
    pub dossier_codes: Vec<String>,
    /// File records of the anonymised dossiers removed.
    pub dossier_files: u64,
    /// Stored contents deleted from file storage (a content shared by another file is kept).
    pub stored_files_deleted: u64,
}

/// A dossier whose personal data was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonymisedDossier {
    pub id: String,
    pub code: String,
    /// File records removed with it.
    pub files: u64,
}

fn too_long(field: &str, max: usize) -> Problem {
    Problem::new(
        "max_length",
        format!("Nội dung quá dài (tối đa {max} ký tự)."),
        format!("The text is too long (at most {max} characters)."),
    )
    .at(field)
}

fn split_codes(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn consent_of(r: &sqlx::any::AnyRow) -> Result<ConsentRecord> {
    let revoked: Option<String> = r.try_get("revoked_at")?;
    Ok(ConsentRecord {
        id: r.try_get("id")?,
        purpose: r.try_get("purpose")?,
        scope: split_codes(&r.try_get::<String, _>("scope")?),
        given_at: parse_ts(&r.try_get::<String, _>("given_at")?)?,
        revoked_at: revoked.as_deref().map(parse_ts).transpose()?,
    })
}

fn breach_of(r: &sqlx::any::AnyRow, now: LocalTime) -> Result<Breach> {
    let opt = |c: &str| -> Result<Option<LocalTime>> {
        let v: Option<String> = r.try_get(c)?;
        v.as_deref().map(parse_ts).transpose()
    };
    let discovered_at = parse_ts(&r.try_get::<String, _>("discovered_at")?)?;
    let notified_at = opt("notified_at")?;
    Ok(Breach {
        id: r.try_get("id")?,
        discovered_at,
        recorded_at: parse_ts(&r.try_get::<String, _>("recorded_at")?)?,
        recorded_by: r.try_get("recorded_by")?,
        description: r.try_get("description")?,
        data_classes: split_codes(&r.try_get::<String, _>("data_classes")?),
        people_affected: r.try_get("people_affected")?,
        measures: r.try_get("measures")?,
        notified_at,
        notified_to: r.try_get("notified_to")?,
        closed_at: opt("closed_at")?,
        clock: BreachClock::at(discovered_at, notified_at, now),
    })
}

const BREACH_COLUMNS: &str = "id, discovered_at, recorded_at, recorded_by, description, data_classes, people_affected, measures, notified_at, notified_to, closed_at";

impl Store {
    // -----------------------------------------------------------------------------------------
    // The data tracker
    // -----------------------------------------------------------------------------------------

    /// The dossiers of a person, newest first: those filed from their account, and those
    /// whose applicant has their identity number (desk filings, filings by others for them).
    ///
    /// The only place that knows how a person's dossiers are found.
    pub async fn dossier_ids_of_person(&self, account_id: &str, id_number: Option<&str>) -> Result<Vec<String>> {
        let id_number = id_number.map(str::trim).filter(|n| !n.is_empty());
        let rows = match id_number {
            Some(n) => {
                sqlx::query(
                    "SELECT id FROM dossiers WHERE applicant_account_id = $1 OR applicant_id_index = $2
                     ORDER BY submitted_at DESC, id DESC LIMIT $3",
                )
                .bind(account_id.to_string())
                // The keyed hash of the number: identity numbers are sealed (crate::sealing).
                .bind(self.sealer().index(n))
                .bind(MAX_PERSON_DOSSIERS)
                .fetch_all(&self.pool)
                .await?
            }
            None => sqlx::query(
                "SELECT id FROM dossiers WHERE applicant_account_id = $1 ORDER BY submitted_at DESC, id DESC LIMIT $2",
            )
            .bind(account_id.to_string())
            .bind(MAX_PERSON_DOSSIERS)
            .fetch_all(&self.pool)
            .await?,
        };
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Who read or changed a citizen's data, newest first, a page at a time, with the total:
    /// reads of their dossiers (`dossier.read` audit entries), the processing steps of their
    /// dossiers, and changes of their own account. Each entry names a unit and a role, never
    /// the official.
    pub async fn data_access(
        &self,
        account_id: &str,
        id_number: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<DataAccessEvent>, i64)> {
        let ids = self.dossier_ids_of_person(account_id, id_number).await?;
        let n = ids.len();
        let reads = placeholders(1, n);
        let changes = placeholders(n + 1, n);
        let acc = 2 * n + 1;
        let union = format!(
            "SELECT a.at AS at, 'read' AS kind, a.action AS action, a.entity_id AS dossier_id, a.actor_id AS actor_id,
                    NULL AS unit_code, a.detail AS detail, a.id AS ord
             FROM audit_log a WHERE a.entity_type = 'dossier' AND a.action = 'dossier.read' AND a.entity_id IN ({reads})
             UNION ALL
             SELECT h.at, 'change', h.action, h.dossier_id, h.actor_id, h.unit_code, NULL, h.id
             FROM dossier_history h WHERE h.dossier_id IN ({changes})
             UNION ALL
             SELECT a.at, 'account', a.action, NULL, a.actor_id, NULL, NULL, a.id
             FROM audit_log a WHERE a.entity_type = 'account' AND a.entity_id = ${acc}
               AND (a.action LIKE 'account.%' OR a.action LIKE 'consent.%'
                    OR a.action IN ('auth.token_created', 'auth.token_revoked', 'auth.logout_everywhere'))"
        );
        let bind_all = |sql: String| -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in ids.iter().chain(ids.iter()) {
                q = q.bind(id.clone());
            }
            q.bind(account_id.to_string())
        };
        let total: i64 = bind_all(format!("SELECT COUNT(*) AS n FROM ({union}) t"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind_all(format!(
            "SELECT t.at, t.kind, t.action, t.actor_id, t.unit_code, t.detail, d.code AS dossier_code
             FROM ({union}) t LEFT JOIN dossiers d ON d.id = t.dossier_id
             ORDER BY t.at DESC, t.ord DESC, t.kind LIMIT {} OFFSET {}",
            limit.clamp(1, 500),
            offset.max(0)
        ))
        .fetch_all(&self.pool)
        .await?;

        struct Raw {
            at: LocalTime,
            kind: String,
            action: String,
            actor_id: Option<String>,
            unit_code: Option<String>,
            detail: Option<String>,
            dossier_code: Option<String>,
        }
        let raws = rows
            .iter()
            .map(|r| {
                Ok(Raw {
                    at: parse_ts(&r.try_get::<String, _>("at")?)?,
                    kind: r.try_get("kind")?,
                    action: r.try_get("action")?,
                    actor_id: r.try_get("actor_id")?,
                    unit_code: r.try_get("unit_code")?,
                    detail: r.try_get("detail")?,
                    dossier_code: r.try_get("dossier_code")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;

        // The roles of the officials who acted, by unit code ("" for roles not tied to a unit).
        let mut actors: Vec<String> = raws
            .iter()
            .filter(|r| r.kind != "read")
            .filter_map(|r| r.actor_id.clone())
            .filter(|a| a != account_id)
            .collect();
        actors.sort();
        actors.dedup();
        let mut grants: HashMap<String, Vec<(Role, String)>> = HashMap::new();
        if !actors.is_empty() {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT r.account_id, r.role, COALESCE(u.code, '') AS unit_code
                 FROM account_roles r LEFT JOIN units u ON u.id = r.unit_id WHERE r.account_id IN ({})",
                placeholders(1, actors.len())
            )));
            for a in &actors {
                q = q.bind(a.clone());
            }
            for r in q.fetch_all(&self.pool).await? {
                let role: String = r.try_get("role")?;
                if let Some(role) = Role::parse(&role) {
                    grants
                        .entry(r.try_get("account_id")?)
                        .or_default()
                        .push((role, r.try_get("unit_code")?));
                }
            }
        }

        let mut events = Vec::with_capacity(raws.len());
        for r in raws {
            let (role, unit_code, purpose) = if r.kind == "read" {
                let d: serde_json::Value = r
                    .detail
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok())
                    .unwrap_or_default();
                let text = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
                (
                    text("role").unwrap_or_else(|| "official".into()),
                    text("unit"),
                    text("purpose"),
                )
            } else {
                let role = match r.actor_id.as_deref() {
                    None => "system".to_string(),
                    Some(a) if a == account_id => "self".to_string(),
                    Some(a) => {
                        let held = grants.get(a).map(Vec::as_slice).unwrap_or_default();
                        let in_unit: Vec<Role> = held
                            .iter()
                            .filter(|(_, u)| r.unit_code.as_deref() == Some(u.as_str()))
                            .map(|(role, _)| *role)
                            .collect();
                        let any: Vec<Role> = held.iter().map(|(role, _)| *role).collect();
                        let pick = if in_unit.is_empty() { &any } else { &in_unit };
                        acting_role(&r.action, pick)
                            .map(|role| role.as_str().to_string())
                            .unwrap_or_else(|| "official".into())
                    }
                };
                (role, r.unit_code.clone(), None)
            };
            events.push(DataAccessEvent {
                at: r.at,
                kind: r.kind,
                action: r.action,
                dossier_code: r.dossier_code,
                unit_code,
                unit_name: None,
                role,
                purpose,
            });
        }

        // Unit names, as the units are named now.
        let mut codes: Vec<String> = events.iter().filter_map(|e| e.unit_code.clone()).collect();
        codes.sort();
        codes.dedup();
        if !codes.is_empty() {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT code, name FROM units WHERE code IN ({})",
                placeholders(1, codes.len())
            )));
            for c in &codes {
                q = q.bind(c.clone());
            }
            let names: HashMap<String, String> = q
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
                .collect::<Result<_>>()?;
            for e in &mut events {
                e.unit_name = e.unit_code.as_ref().and_then(|c| names.get(c).cloned());
            }
        }
        Ok((events, total))
    }

    // -----------------------------------------------------------------------------------------
    // Consents
    // -----------------------------------------------------------------------------------------

    /// Every consent record of an account, newest first (open and closed).
    pub async fn consents_of(&self, account_id: &str) -> Result<Vec<ConsentRecord>> {
        let rows = sqlx::query(
            "SELECT id, purpose, scope, given_at, revoked_at FROM consents WHERE account_id = $1 ORDER BY id DESC",
        )
        .bind(account_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(consent_of).collect()
    }

    /// Whether the account has an open consent to the purpose (`Purpose::code`).
    pub async fn has_consent(&self, account_id: &str, purpose: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM consents WHERE account_id = $1 AND purpose = $2 AND revoked_at IS NULL",
        )
        .bind(account_id.to_string())
        .bind(purpose.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    async fn open_consent(&self, account_id: &str, purpose: &str) -> Result<Option<ConsentRecord>> {
        let row = sqlx::query(
            "SELECT id, purpose, scope, given_at, revoked_at FROM consents WHERE account_id = $1 AND purpose = $2 AND revoked_at IS NULL",
        )
        .bind(account_id.to_string())
        .bind(purpose.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(consent_of).transpose()
    }

    /// Give consent to a purpose: a new open record with the purpose's scope, audited
    /// (`consent.given`). Giving a consent already open changes nothing and returns it
    /// (`false`: not new).
    pub async fn give_consent(
        &self,
        account: &Account,
        purpose: &Purpose,
        now: LocalTime,
    ) -> Result<(ConsentRecord, bool)> {
        if let Some(open) = self.open_consent(&account.id, purpose.code).await? {
            return Ok((open, false));
        }
        let scope = purpose.scope.join(",");
        let mut w = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO consents (account_id, purpose, scope, given_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(account.id.clone())
        .bind(purpose.code.to_string())
        .bind(scope.clone())
        .bind(ts(&now))
        .fetch_one(&mut *w.tx)
        .await;
        let id: i64 = match inserted {
            Ok(r) => r.try_get("id")?,
            Err(e) if crate::is_unique_violation(&e) => {
                // Given at the same moment by another request.
                drop(w);
                let open = self.open_consent(&account.id, purpose.code).await?;
                return open
                    .map(|o| (o, false))
                    .ok_or_else(|| Error::Internal(anyhow::anyhow!("consent vanished")));
            }
            Err(e) => return Err(e.into()),
        };
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account.id.clone()),
                actor_name: account.username.clone(),
                action: "consent.given".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "purpose": purpose.code, "scope": purpose.scope, "consent": id }),
            },
        );
        w.commit().await?;
        Ok((
            ConsentRecord {
                id,
                purpose: purpose.code.to_string(),
                scope: purpose.scope.iter().map(|s| s.to_string()).collect(),
                given_at: now,
                revoked_at: None,
            },
            true,
        ))
    }

    /// Revoke an open consent: the record is closed (kept), audited (`consent.revoked`).
    pub async fn revoke_consent(&self, account: &Account, purpose: &Purpose, now: LocalTime) -> Result<ConsentRecord> {
        let mut w = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT id, purpose, scope, given_at, revoked_at FROM consents WHERE account_id = $1 AND purpose = $2 AND revoked_at IS NULL",
        )
        .bind(account.id.clone())
        .bind(purpose.code.to_string())
        .fetch_optional(&mut *w.tx)
        .await?;
        let Some(row) = row else {
            return Err(Error::Conflict(
                Problem::new(
                    "consent_not_given",
                    format!(
                        "Bạn chưa đồng ý cho mục đích «{}», nên không có gì để rút lại.",
                        purpose.title_vi
                    ),
                    format!(
                        "You have not consented to “{}”, so there is nothing to withdraw.",
                        purpose.title_en
                    ),
                )
                .at("purpose"),
            ));
        };
        let mut rec = consent_of(&row)?;
        sqlx::query("UPDATE consents SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(ts(&now))
            .bind(rec.id)
            .execute(&mut *w.tx)
            .await?;
        rec.revoked_at = Some(now);
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(account.id.clone()),
                actor_name: account.username.clone(),
                action: "consent.revoked".into(),
                entity_type: "account".into(),
                entity_id: account.id.clone(),
                detail: serde_json::json!({ "purpose": purpose.code, "consent": rec.id }),
            },
        );
        w.commit().await?;
        Ok(rec)
    }

    // -----------------------------------------------------------------------------------------
    // Breaches
    // -----------------------------------------------------------------------------------------

    /// Every breach, latest discovered first, with its clock at `now`.
    pub async fn breaches(&self, now: LocalTime) -> Result<Vec<Breach>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {BREACH_COLUMNS} FROM breaches ORDER BY discovered_at DESC, id DESC"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| breach_of(r, now)).collect()
    }

    pub async fn breach(&self, id: &str, now: LocalTime) -> Result<Option<Breach>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {BREACH_COLUMNS} FROM breaches WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(|r| breach_of(r, now)).transpose()
    }

    /// Record a breach (audited `breach.recorded`). Every problem of the input is listed and
    /// nothing is written.
    pub async fn record_breach(&self, b: &NewBreach, by: &Account, now: LocalTime) -> Result<Breach> {
        let mut problems = Vec::new();
        match b.discovered_at {
            None => problems.push(Problem::required(
                "discovered_at",
                "Thời điểm phát hiện",
                "Time of discovery",
            )),
            Some(t) if t > now + chrono::Duration::minutes(5) => problems.push(
                Problem::new(
                    "in_future",
                    "Thời điểm phát hiện không thể ở tương lai.",
                    "The time of discovery cannot be in the future.",
                )
                .at("discovered_at"),
            ),
            Some(_) => {}
        }
        let description = b.description.trim();
        if description.is_empty() {
            problems.push(Problem::required(
                "description",
                "Mô tả sự cố",
                "Description of the breach",
            ));
        } else if description.chars().count() > 4000 {
            problems.push(too_long("description", 4000));
        }
        let measures = b.measures.trim();
        if measures.is_empty() {
            problems.push(Problem::required(
                "measures",
                "Biện pháp đã thực hiện",
                "Measures taken",
            ));
        } else if measures.chars().count() > 4000 {
            problems.push(too_long("measures", 4000));
        }
        let classes = match citygov_domain::privacy::parse_data_classes("data_classes", &b.data_classes) {
            Ok(c) => c,
            Err(p) => {
                problems.push(p);
                vec![]
            }
        };
        if b.people_affected.is_some_and(|n| n < 0) {
            problems.push(
                Problem::new(
                    "out_of_range",
                    "Số người bị ảnh hưởng phải là số không âm.",
                    "The number of people affected cannot be negative.",
                )
                .at("people_affected"),
            );
        }
        let Some(discovered_at) = b.discovered_at.filter(|_| problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let id = uuid::Uuid::now_v7().to_string();
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO breaches (id, discovered_at, recorded_at, recorded_by, description, data_classes, people_affected, measures)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.clone())
        .bind(ts(&discovered_at))
        .bind(ts(&now))
        .bind(by.id.clone())
        .bind(description.to_string())
        .bind(classes.join(","))
        .bind(b.people_affected)
        .bind(measures.to_string())
        .execute(&mut *w.tx)
        .await?;
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(by.id.clone()),
                actor_name: by.username.clone(),
                action: "breach.recorded".into(),
                entity_type: "breach".into(),
                entity_id: id.clone(),
                detail: serde_json::json!({
                    "discovered_at": ts(&discovered_at),
                    "data_classes": classes,
                    "people_affected": b.people_affected,
                }),
            },
        );
        w.commit().await?;
        self.breach(&id, now)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("breach {id} vanished")))
    }

    /// Record that a breach was notified to the authority (audited `breach.notified`): to
    /// whom, and when (default `now`; not before its discovery, not in the future).
    pub async fn mark_breach_notified(
        &self,
        id: &str,
        notified_to: &str,
        notified_at: Option<LocalTime>,
        by: &Account,
        now: LocalTime,
    ) -> Result<Breach> {
        let Some(b) = self.breach(id, now).await? else {
            return Err(Error::NotFound(Problem::new(
                "breach_not_found",
                "Không tìm thấy sự cố.",
                "Breach not found.",
            )));
        };
        let at = notified_at.unwrap_or(now);
        let to = notified_to.trim();
        let mut problems = Vec::new();
        if to.is_empty() {
            problems.push(Problem::required(
                "notified_to",
                "Cơ quan được thông báo",
                "Authority notified",
            ));
        } else if to.chars().count() > 500 {
            problems.push(too_long("notified_to", 500));
        }
        if at < b.discovered_at {
            problems.push(
                Problem::new(
                    "before_discovery",
                    "Thời điểm thông báo không thể trước thời điểm phát hiện.",
                    "The notification cannot come before the discovery.",
                )
                .at("notified_at"),
            );
        } else if at > now + chrono::Duration::minutes(5) {
            problems.push(
                Problem::new(
                    "in_future",
                    "Thời điểm thông báo không thể ở tương lai.",
                    "The time of notification cannot be in the future.",
                )
                .at("notified_at"),
            );
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut w = self.begin_write().await?;
        let n =
            sqlx::query("UPDATE breaches SET notified_at = $1, notified_to = $2 WHERE id = $3 AND notified_at IS NULL")
                .bind(ts(&at))
                .bind(to.to_string())
                .bind(id.to_string())
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
        if n == 0 {
            return Err(Error::Conflict(Problem::new(
                "already_notified",
                "Sự cố này đã được ghi nhận là đã thông báo.",
                "This breach is already recorded as notified.",
            )));
        }
        let clock = BreachClock::at(b.discovered_at, Some(at), now);
        w.audit(
            now,
            AuditRecord {
                actor_id: Some(by.id.clone()),
                actor_name: by.username.clone(),
                action: "breach.notified".into(),
                entity_type: "breach".into(),
                entity_id: id.to_string(),
                detail: serde_json::json!({
                    "notified_at": ts(&at),
                    "notified_to": to,
                    "in_time": clock.notified_in_time,
                }),
            },
        );
        w.commit().await?;
        self.breach(id, now)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("breach {id} vanished")))
    }

    // -----------------------------------------------------------------------------------------
    // Retention
    // -----------------------------------------------------------------------------------------

    /// Remove the personal data of dossiers, in one transaction: the applicant's name becomes
    /// [`ANONYMISED_NAME`]; identity number, phone, e-mail, address, the link to their
    /// account and the e-form data go, from the columns and from the JSON document; the
    /// applicant's name in the history, their notifications and their rating comment go; the
    /// dossier's files are unrecorded and their contents queued for deletion from file
    /// storage (done by [`Store::erase_queued_files`]). Code, procedure, units, dates and
    /// statuses stay for statistics. Dossiers already anonymised are skipped.
    ///
    /// The one place that knows where a dossier keeps personal data.
    pub async fn anonymise_dossiers(&self, ids: &[String], now: LocalTime) -> Result<Vec<AnonymisedDossier>> {
        let mut w = self.begin_write().await?;
        let mut out = Vec::new();
        for id in ids {
            let row = sqlx::query("SELECT code, doc, anonymised_at FROM dossiers WHERE id = $1")
                .bind(id.clone())
                .fetch_optional(&mut *w.tx)
                .await?;
            let Some(row) = row else { continue };
            if row.try_get::<Option<String>, _>("anonymised_at")?.is_some() {
                continue;
            }
            let code: String = row.try_get("code")?;
            let mut d: Dossier =
                serde_json::from_str(&row.try_get::<String, _>("doc")?).map_err(|e| Error::Internal(e.into()))?;
            let name = std::mem::take(&mut d.applicant.full_name);
            let account = d.applicant_account_id.take();
            d.applicant = Applicant {
                kind: d.applicant.kind,
                full_name: ANONYMISED_NAME.into(),
                id_number: String::new(),
                phone: None,
                email: None,
                address: None,
            };
            d.form_data = serde_json::json!({});
            for doc in &mut d.documents {
                doc.file = None;
            }
            for r in &mut d.results {
                r.file = None;
            }
            d.version += 1;
            sqlx::query(
                "UPDATE dossiers SET applicant_name = $1, applicant_id_number = '', applicant_id_index = NULL, applicant_account_id = NULL, doc = $2, version = $3, anonymised_at = $4 WHERE id = $5",
            )
            .bind(ANONYMISED_NAME.to_string())
            .bind(serde_json::to_string(&d).map_err(|e| Error::Internal(e.into()))?)
            .bind(d.version)
            .bind(ts(&now))
            .bind(id.clone())
            .execute(&mut *w.tx)
            .await?;
            sqlx::query(
                "UPDATE dossier_history SET actor_name = $1 WHERE dossier_id = $2 AND (actor_name = $3 OR actor_id = $4)",
            )
            .bind(ANONYMISED_NAME.to_string())
            .bind(id.clone())
            .bind(name)
            .bind(account.unwrap_or_default())
            .execute(&mut *w.tx)
            .await?;
            sqlx::query("DELETE FROM notifications WHERE dossier_id = $1")
                .bind(id.clone())
                .execute(&mut *w.tx)
                .await?;
            sqlx::query("UPDATE dossier_ratings SET comment = NULL, account_id = NULL WHERE dossier_id = $1")
                .bind(id.clone())
                .execute(&mut *w.tx)
                .await?;
            let keys: Vec<String> = sqlx::query("SELECT storage_key FROM files WHERE dossier_id = $1")
                .bind(id.clone())
                .fetch_all(&mut *w.tx)
                .await?
                .iter()
                .map(|r| r.try_get("storage_key"))
                .collect::<Result<_, _>>()?;
            sqlx::query("DELETE FROM files WHERE dossier_id = $1")
                .bind(id.clone())
                .execute(&mut *w.tx)
                .await?;
            queue_unreferenced(&mut w.tx, &keys, now).await?;
            // In the dossier's history, which is also the change log the warehouse copies
            // from: the warehouse's copy of the dossier is anonymised by the next feed run.
            crate::dossiers::insert_history(
                &mut w.tx,
                id,
                &HistoryEntry {
                    at: now,
                    action: ANONYMISE_ACTION.into(),
                    event: "anonymised".into(),
                    from_status: Some(d.status),
                    to_status: d.status,
                    actor_id: None,
                    actor_name: String::new(),
                    actor_title: String::new(),
                    unit_code: None,
                    content: "Dữ liệu cá nhân được ẩn danh khi hết thời hạn lưu trữ / personal data anonymised at the end of its retention period".into(),
                    step_deadline: None,
                },
            )
            .await?;
            out.push(AnonymisedDossier {
                id: id.clone(),
                code,
                files: keys.len() as u64,
            });
        }
        w.commit().await?;
        Ok(out)
    }

    /// Delete from file storage the contents queued by erasures, unless a file recorded since
    /// uses the same content. Returns how many were deleted.
    pub async fn erase_queued_files(&self, files: &dyn FileStore) -> Result<u64> {
        let mut deleted = 0;
        loop {
            let keys: Vec<String> = sqlx::query("SELECT storage_key FROM file_erasures ORDER BY storage_key LIMIT $1")
                .bind(BATCH)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("storage_key"))
                .collect::<Result<_, _>>()?;
            if keys.is_empty() {
                return Ok(deleted);
            }
            for key in keys {
                let used: i64 = sqlx::query("SELECT COUNT(*) AS n FROM files WHERE storage_key = $1")
                    .bind(key.clone())
                    .fetch_one(&self.pool)
                    .await?
                    .try_get("n")?;
                if used == 0 {
                    files.delete(&key).await.map_err(Error::Internal)?;
                    deleted += 1;
                }
                sqlx::query("DELETE FROM file_erasures WHERE storage_key = $1")
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
            }
        }
    }

    /// Run the retention policy at `now`: delete ended sessions and API tokens, old
    /// idempotency keys and uploads never attached, anonymise dossiers ended long ago, and
    /// delete the stored contents no file uses any more. Each batch is one transaction; a run
    /// repeated finds nothing more to do. One audit entry (`privacy.retention`) records the
    /// counts and the codes of the dossiers anonymised. A dry run counts and changes nothing.
    pub async fn run_retention(
        &self,
        policy: &RetentionPolicy,
        files: &dyn FileStore,
        now: LocalTime,
        dry_run: bool,
        actor: &str,
    ) -> Result<RetentionReport> {
        let mut rep = RetentionReport {
            dry_run,
            ..RetentionReport::default()
        };
        let days = |d: u32| ts(&(now - chrono::Duration::days(d as i64)));
        let count = |sql: &'static str, cutoff: String| async move {
            let n: i64 = sqlx::query(sql)
                .bind(cutoff)
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?;
            Ok::<u64, Error>(n as u64)
        };
        const SESSIONS: &str = "expires_at < $1 OR COALESCE(last_seen_at, created_at) < $1";
        const TOKENS: &str = "expires_at < $1 OR revoked_at < $1";
        if policy.session_days > 0 {
            let cutoff = days(policy.session_days);
            if dry_run {
                rep.sessions = count("SELECT COUNT(*) AS n FROM sessions WHERE expires_at < $1 OR COALESCE(last_seen_at, created_at) < $1", cutoff.clone()).await?;
                rep.api_tokens = count(
                    "SELECT COUNT(*) AS n FROM api_tokens WHERE expires_at < $1 OR revoked_at < $1",
                    cutoff,
                )
                .await?;
            } else {
                let mut w = self.begin_write().await?;
                rep.sessions = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM sessions WHERE {SESSIONS}")))
                    .bind(cutoff.clone())
                    .execute(&mut *w.tx)
                    .await?
                    .rows_affected();
                rep.api_tokens = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM api_tokens WHERE {TOKENS}")))
                    .bind(cutoff)
                    .execute(&mut *w.tx)
                    .await?
                    .rows_affected();
                w.commit().await?;
            }
        }
        if policy.idempotency_days > 0 {
            let cutoff = days(policy.idempotency_days);
            if dry_run {
                rep.idempotency_keys = count(
                    "SELECT COUNT(*) AS n FROM idempotency_keys WHERE created_at < $1",
                    cutoff,
                )
                .await?;
            } else {
                let mut w = self.begin_write().await?;
                rep.idempotency_keys = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                    .bind(cutoff)
                    .execute(&mut *w.tx)
                    .await?
                    .rows_affected();
                w.commit().await?;
            }
        }
        if policy.unattached_file_days > 0 {
            let cutoff = days(policy.unattached_file_days);
            if dry_run {
                rep.unattached_files = count(
                    "SELECT COUNT(*) AS n FROM files WHERE dossier_id IS NULL AND created_at < $1",
                    cutoff,
                )
                .await?;
            } else {
                loop {
                    let mut w = self.begin_write().await?;
                    let rows = sqlx::query(
                        "SELECT id, storage_key FROM files WHERE dossier_id IS NULL AND created_at < $1 ORDER BY created_at, id LIMIT $2",
                    )
                    .bind(cutoff.clone())
                    .bind(BATCH)
                    .fetch_all(&mut *w.tx)
                    .await?;
                    if rows.is_empty() {
                        break;
                    }
                    let mut keys = Vec::new();
                    for r in &rows {
                        let id: String = r.try_get("id")?;
                        keys.push(r.try_get::<String, _>("storage_key")?);
                        rep.unattached_files += sqlx::query("DELETE FROM files WHERE id = $1 AND dossier_id IS NULL")
                            .bind(id)
                            .execute(&mut *w.tx)
                            .await?
                            .rows_affected();
                    }
                    queue_unreferenced(&mut w.tx, &keys, now).await?;
                    w.commit().await?;
                }
            }
        }
        if policy.dossier_years > 0 {
            let cutoff = ts(&citygov_domain::privacy::years_before(now, policy.dossier_years));
            if dry_run {
                let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT code FROM dossiers WHERE {DUE_FOR_ANONYMISATION} ORDER BY updated_at, id"
                )))
                .bind(cutoff.clone())
                .fetch_all(&self.pool)
                .await?;
                rep.dossier_codes = rows.iter().map(|r| r.try_get("code")).collect::<Result<_, _>>()?;
                rep.dossiers_anonymised = rep.dossier_codes.len() as u64;
                rep.dossier_files = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) AS n FROM files WHERE dossier_id IN (SELECT id FROM dossiers WHERE {DUE_FOR_ANONYMISATION})"
                )))
                .bind(cutoff)
                .fetch_one(&self.pool)
                .await?
                .try_get::<i64, _>("n")? as u64;
            } else {
                loop {
                    let ids: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT id FROM dossiers WHERE {DUE_FOR_ANONYMISATION} ORDER BY updated_at, id LIMIT $2"
                    )))
                    .bind(cutoff.clone())
                    .bind(BATCH)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(|r| r.try_get("id"))
                    .collect::<Result<_, _>>()?;
                    if ids.is_empty() {
                        break;
                    }
                    let done = self.anonymise_dossiers(&ids, now).await?;
                    if done.is_empty() {
                        break;
                    }
                    for d in done {
                        rep.dossiers_anonymised += 1;
                        rep.dossier_files += d.files;
                        rep.dossier_codes.push(d.code);
                    }
                }
            }
        }
        if dry_run {
            rep.stored_files_deleted = sqlx::query("SELECT COUNT(*) AS n FROM file_erasures")
                .fetch_one(&self.pool)
                .await?
                .try_get::<i64, _>("n")? as u64;
            return Ok(rep);
        }
        rep.stored_files_deleted = self.erase_queued_files(files).await?;
        self.audit(
            &AuditRecord {
                actor_id: None,
                actor_name: actor.to_string(),
                action: "privacy.retention".into(),
                entity_type: "privacy".into(),
                entity_id: "retention".into(),
                detail: serde_json::json!({
                    "policy": policy,
                    "sessions": rep.sessions,
                    "api_tokens": rep.api_tokens,
                    "idempotency_keys": rep.idempotency_keys,
                    "unattached_files": rep.unattached_files,
                    "dossiers_anonymised": rep.dossiers_anonymised,
                    "dossier_files": rep.dossier_files,
                    "stored_files_deleted": rep.stored_files_deleted,
                    "dossier_codes": rep.dossier_codes,
                }),
            },
            now,
        )
        .await?;
        Ok(rep)
    }
}

/// Queue for deletion the stored contents among `keys` that no file record uses any more
/// (contents are shared by identical uploads).
async fn queue_unreferenced(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    keys: &[String],
    now: LocalTime,
) -> Result<()> {
    let mut keys = keys.to_vec();
    keys.sort();
    keys.dedup();
    for key in keys {
        let used: i64 = sqlx::query("SELECT COUNT(*) AS n FROM files WHERE storage_key = $1")
            .bind(key.clone())
            .fetch_one(&mut **tx)
            .await?
            .try_get("n")?;
        if used == 0 {
            sqlx::query("INSERT INTO file_erasures (storage_key, queued_at) VALUES ($1, $2) ON CONFLICT (storage_key) DO NOTHING")
                .bind(key)
                .bind(ts(&now))
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
