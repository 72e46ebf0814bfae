//! Access control as capabilities: after a check, a handler holds a value that can do only
//! what the caller's role allows, and the protected data is reached through that value only.
//!
//! - [`DossierRead`]: one dossier, for viewing, obtained only by checking the caller against
//!   the loaded dossier; it records its [`ReadBasis`] and writes the `dossier.read` audit entry
//!   when it is made (unless the reader is the applicant's own account), so no view can forget
//!   it.
//! - [`Admin`]: administrators only; the admin-only operations are its methods.
//! - [`AuditReader`]: administrators and auditors; reading the audit trail is its method.
//! - [`Uploader`]: accounts that file or process dossiers; storing an upload needs it.
//!
//! Deny by default: a handler that obtains none of these cannot reach the data they guard.
//! The route × role matrix of `crates/web/tests/api.rs` checks every route for every kind of
//! caller.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use citygov_domain::Problem;
use citygov_domain::codes::DossierCode;
use citygov_domain::dossier::Dossier;
use citygov_domain::workflow::Role;
use citygov_store::AuditRecord;
use citygov_store::accounts::Account;
use citygov_store::audit::{AuditPage, AuditQuery};

/// The roles that process dossiers within a unit (and so may read that unit's dossiers).
const PROCESSING_ROLES: [Role; 3] = [Role::ProcessingOfficer, Role::IntakeOfficer, Role::UnitLeader];

/// Why a reader may see a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadBasis {
    /// The applicant's own account.
    Applicant,
    /// An official of the dossier's receiving or competent unit, by this role in this unit.
    Official {
        role: Role,
        unit_code: String,
    },
    Administrator,
    Auditor,
    /// Anyone holding the dossier code and the applicant's identity number.
    HolderOfCode,
}

/// Why personal data was read, as recorded in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// An official handling the dossier.
    Processing,
    /// A holder of the code and identity number following it.
    Lookup,
    /// An auditor's inspection.
    Inspection,
    /// An administrator's work.
    Administration,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Processing => "processing",
            Purpose::Lookup => "lookup",
            Purpose::Inspection => "inspection",
            Purpose::Administration => "administration",
        }
    }
}

impl ReadBasis {
    /// The role recorded in the audit entry (`holder_of_code` for code and identity number).
    pub fn role(&self) -> &'static str {
        match self {
            ReadBasis::Applicant => Role::Applicant.as_str(),
            ReadBasis::Official { role, .. } => role.as_str(),
            ReadBasis::Administrator => Role::Administrator.as_str(),
            ReadBasis::Auditor => Role::Auditor.as_str(),
            ReadBasis::HolderOfCode => "holder_of_code",
        }
    }

    /// The unit whose role gave access.
    pub fn unit(&self) -> Option<&str> {
        match self {
            ReadBasis::Official { unit_code, .. } => Some(unit_code),
            _ => None,
        }
    }

    /// The purpose of the read; none for the applicant reading their own dossier.
    pub fn purpose(&self) -> Option<Purpose> {
        match self {
            ReadBasis::Applicant => None,
            ReadBasis::Official { .. } => Some(Purpose::Processing),
            ReadBasis::Administrator => Some(Purpose::Administration),
            ReadBasis::Auditor => Some(Purpose::Inspection),
            ReadBasis::HolderOfCode => Some(Purpose::Lookup),
        }
    }

    /// The basis on which `account` (or whoever proved the applicant's identity number) may
    /// read `d`, the strongest first: the applicant, an official of the competent then of the
    /// receiving unit, an administrator, an auditor, a holder of the code. `None`: no access.
    pub fn of(account: Option<&Account>, d: &Dossier, id_proof: bool) -> Option<ReadBasis> {
        if let Some(a) = account {
            if d.applicant_account_id.as_deref() == Some(a.id.as_str()) {
                return Some(ReadBasis::Applicant);
            }
            for (unit_id, unit_code) in [
                (&d.competent_unit_id, &d.competent_unit_code),
                (&d.receiving_unit_id, &d.receiving_unit_code),
            ] {
                if let Some(role) = PROCESSING_ROLES
                    .into_iter()
                    .find(|r| a.roles.iter().any(|g| g.role == *r && &g.unit_id == unit_id))
                {
                    return Some(ReadBasis::Official {
                        role,
                        unit_code: unit_code.clone(),
                    });
                }
            }
            if a.has_role(Role::Administrator) {
                return Some(ReadBasis::Administrator);
            }
            if a.has_role(Role::Auditor) {
                return Some(ReadBasis::Auditor);
            }
        }
        id_proof.then_some(ReadBasis::HolderOfCode)
    }
}

/// Whether `id_number` is the applicant's identity number on `d`.
pub fn proves_identity(d: &Dossier, id_number: Option<&str>) -> bool {
    id_number.is_some_and(|n| !n.trim().is_empty() && n.trim().eq_ignore_ascii_case(&d.applicant.id_number))
}

/// One dossier, readable by its holder for viewing. Made only by [`DossierRead::open`] and
/// [`DossierRead::check`], which check the reader and record the read.
#[derive(Debug)]
pub struct DossierRead {
    dossier: Dossier,
    basis: ReadBasis,
}

impl DossierRead {
    /// Load the dossier `code` for `caller` (or for whoever gives the applicant's identity
    /// number) and record the read. A dossier the caller may not read is "not found", as one
    /// that does not exist.
    pub async fn open(st: &AppState, caller: &Caller, code: &str, id_number: Option<&str>) -> ApiResult<DossierRead> {
        let code = DossierCode::parse(code).map_err(ApiError::bad_request)?;
        let d = st
            .store
            .dossier_by_code(code.as_str())
            .await?
            .ok_or_else(ApiError::dossier_not_found)?;
        let proof = proves_identity(&d, id_number);
        DossierRead::check(st, caller.0.as_ref(), d, proof)
            .await?
            .ok_or_else(ApiError::dossier_not_found)
    }

    /// Check `account` (or a proof of the applicant's identity number) against a loaded
    /// dossier; when it may read it, record the read and hand the dossier over.
    pub async fn check(
        st: &AppState,
        account: Option<&Account>,
        d: Dossier,
        id_proof: bool,
    ) -> ApiResult<Option<DossierRead>> {
        let Some(basis) = ReadBasis::of(account, &d, id_proof) else {
            return Ok(None);
        };
        if let Some(purpose) = basis.purpose() {
            let record = AuditRecord {
                actor_id: account.map(|a| a.id.clone()),
                actor_name: account
                    .map(|a| a.username.clone())
                    .unwrap_or_else(|| "anonymous".into()),
                action: "dossier.read".into(),
                entity_type: "dossier".into(),
                entity_id: d.id.clone(),
                detail: serde_json::json!({
                    "code": d.code,
                    "unit": basis.unit(),
                    "role": basis.role(),
                    "purpose": purpose.as_str(),
                }),
            };
            st.store.audit(&record, st.now()).await?;
        }
        Ok(Some(DossierRead { dossier: d, basis }))
    }

    pub fn dossier(&self) -> &Dossier {
        &self.dossier
    }

    pub fn into_dossier(self) -> Dossier {
        self.dossier
    }

    pub fn basis(&self) -> &ReadBasis {
        &self.basis
    }

    /// Whether the reader may act as the applicant (their own account, or the identity number).
    pub fn as_applicant(&self) -> bool {
        matches!(self.basis, ReadBasis::Applicant | ReadBasis::HolderOfCode)
    }

    /// The processing history of the dossier.
    pub async fn history(&self, st: &AppState) -> ApiResult<Vec<citygov_store::dossiers::HistoryRow>> {
        Ok(st.store.history(&self.dossier.id).await?)
    }
}

fn forbidden(vi: &str, en: &str) -> ApiError {
    ApiError::forbidden(Problem::new("forbidden", vi, en))
}

/// An administrator. The admin-only operations are its methods.
#[derive(Debug, Clone)]
pub struct Admin {
    account: Account,
}

impl Admin {
    pub fn check(account: &Account) -> ApiResult<Admin> {
        if account.has_role(Role::Administrator) {
            Ok(Admin {
                account: account.clone(),
            })
        } else {
            Err(forbidden(
                "Chỉ quản trị hệ thống được làm việc này.",
                "Only administrators may do this.",
            ))
        }
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Import procedures into the catalog: all entries or none.
    pub async fn import_procedures(
        &self,
        st: &AppState,
        procedures: &[citygov_domain::catalog::Procedure],
    ) -> ApiResult<usize> {
        let n = st.store.import_procedures(procedures, st.now()).await?;
        st.cache.clear();
        Ok(n)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, st).await?;
        Admin::check(caller.require()?)
    }
}

/// An administrator or an auditor: may read the audit trail.
#[derive(Debug, Clone)]
pub struct AuditReader {
    account: Account,
}

impl AuditReader {
    pub fn check(account: &Account) -> ApiResult<AuditReader> {
        if account.has_role(Role::Administrator) || account.has_role(Role::Auditor) {
            Ok(AuditReader {
                account: account.clone(),
            })
        } else {
            Err(forbidden(
                "Chỉ quản trị hệ thống và thanh tra viên được xem nhật ký kiểm toán.",
                "Only administrators and auditors may read the audit trail.",
            ))
        }
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// One page of the audit trail.
    pub async fn page(&self, st: &AppState, q: &AuditQuery) -> ApiResult<AuditPage> {
        Ok(st.store.audit_page(q).await?)
    }
}

impl FromRequestParts<AppState> for AuditReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, st).await?;
        AuditReader::check(caller.require()?)
    }
}

/// An account that files dossiers (an applicant) or processes them (an intake or processing
/// officer, a unit leader): the only ones whose uploads are kept.
#[derive(Debug, Clone)]
pub struct Uploader {
    owner: String,
}

impl Uploader {
    pub fn check(account: &Account) -> ApiResult<Uploader> {
        let may = account.has_role(Role::Applicant) || !account.official_units().is_empty();
        if may {
            Ok(Uploader {
                owner: account.id.clone(),
            })
        } else {
            Err(forbidden(
                "Tài khoản này không nộp hay xử lý hồ sơ nên không được tải tệp lên.",
                "This account neither files nor processes dossiers, so it may not upload files.",
            ))
        }
    }

    /// The account the uploaded files belong to.
    pub fn owner(&self) -> &str {
        &self.owner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygov_store::accounts::RoleGrant;

    fn account(id: &str, grants: &[(Role, &str)]) -> Account {
        Account {
            id: id.into(),
            username: id.into(),
            full_name: id.into(),
            title: String::new(),
            kind: "official".into(),
            id_number: None,
            email: None,
            phone: None,
            vneid_verified: false,
            roles: grants
                .iter()
                .map(|(r, u)| RoleGrant {
                    role: *r,
                    unit_id: (*u).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn data_people_of_a_unit_do_not_read_its_dossiers_and_auditors_read_all() {
        let routing = citygov_domain::dossier::Routing {
            receiving_unit_id: "w1".into(),
            receiving_unit_code: "H31.01.01".into(),
            receiving_unit_name: "Phường Thủy Nguyên".into(),
            competent_unit_id: "w1".into(),
            competent_unit_code: "H31.01.01".into(),
        };
        let applicant = citygov_domain::dossier::Applicant {
            kind: citygov_domain::codes::ApplicantType::Citizen,
            full_name: "Nguyễn Văn An".into(),
            id_number: "031090001234".into(),
            phone: None,
            email: None,
            address: None,
        };
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let d = Dossier::submitted(
            "d1".into(),
            "1.000001",
            "Đăng ký khai sinh",
            routing,
            citygov_domain::dossier::Channel::Online,
            applicant,
            at,
        );
        let steward = account("s", &[(Role::DataSteward, "w1"), (Role::Analyst, "w1")]);
        assert_eq!(ReadBasis::of(Some(&steward), &d, false), None);
        let auditor = account("a", &[(Role::Auditor, "")]);
        assert_eq!(ReadBasis::of(Some(&auditor), &d, false), Some(ReadBasis::Auditor));
        let officer = account("o", &[(Role::IntakeOfficer, "w1")]);
        assert_eq!(
            ReadBasis::of(Some(&officer), &d, false),
            Some(ReadBasis::Official {
                role: Role::IntakeOfficer,
                unit_code: "H31.01.01".into()
            })
        );
        assert_eq!(ReadBasis::of(None, &d, false), None);
        assert!(proves_identity(&d, Some(" 031090001234 ")));
        assert_eq!(ReadBasis::of(None, &d, true), Some(ReadBasis::HolderOfCode));
        assert!(Uploader::check(&auditor).is_err());
        assert!(Uploader::check(&steward).is_err());
        assert!(Uploader::check(&officer).is_ok());
        assert!(AuditReader::check(&auditor).is_ok());
        assert!(Admin::check(&auditor).is_err());
    }
}
