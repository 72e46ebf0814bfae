//! A deterministic synthetic Hải Phòng for demos, tests and benchmarks: the same seed gives
//! the same city.
//!
//! [`build_city`] builds the administrative units of the two-tier city from 01/07/2025 (the
//! city, its service centre, 14 agencies, the police and the 114 communes of the reference
//! data, with the pre-merger Hải Phòng and Hải Dương agencies and their merge lineage), a
//! catalog of about 1,900 city-level and 328 commune-level procedures grown from the 292 real
//! ones, and demo accounts for officials and citizens. [`build_dossiers`] then files dossiers
//! over the year before [`DemoConfig::end`] and moves each one through the real lifecycle
//! (`citygov_domain::workflow::apply`), so every history, appointment and overdue flag is
//! what the platform itself would have recorded.
//!
//! What is real and what is invented: unit names, counts and the merger follow
//! `data/README.md`; procedure names, time limits and fees are real where the reference data
//! has them and plausible elsewhere; agency codes, people, phone numbers, identity numbers
//! and companies are synthetic. Nothing here does I/O: callers store the result.

mod accounts;
mod catalog;
mod dossiers;
mod fields;
mod names;
mod people;
mod popular;
mod rng;
mod sample;
pub use sample::{sample_form, sample_value};
mod text;
mod units;

#[cfg(test)]
mod tests;

pub use catalog::{CITY_TARGET, COMMUNE_TARGET};
pub use dossiers::{DemoDossiers, build_dossiers};
pub use units::{CENTRE_ID, CITY_ID, POLICE_ID, reorganisation_day};

use chrono::{NaiveDate, NaiveDateTime};
use citygov_domain::catalog::Procedure;
use citygov_domain::unit::{LineageLink, Unit, UnitKind, UnitVersion};
use citygov_domain::workflow::Role;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// Seed of every random choice: the same seed gives the same city and dossiers.
    pub seed: u64,
    /// Number of dossiers [`build_dossiers`] files.
    pub dossiers: usize,
    /// Province part of the invented agency codes (`000.00.00.H31`, `H31.01.01`).
    pub city_code: String,
    /// "Now": dossiers are filed over the year before it (but not before the two-tier city
    /// existed, 01/07/2025), and no event happens after it. The command line passes the
    /// current time; the default is a fixed date so that tests are reproducible.
    pub end: NaiveDateTime,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 20250701,
            dossiers: 50_000,
            city_code: "H31".into(),
            end: NaiveDate::from_ymd_opt(2026, 7, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("valid date"),
        }
    }
}

/// The synthetic city.
#[derive(Debug, Clone)]
pub struct DemoCity {
    /// Current units and their predecessors, parents before children.
    pub units: Vec<Unit>,
    /// Code and name versions: one per unit, two for the renamed Sở Ngoại vụ.
    pub unit_versions: Vec<UnitVersion>,
    /// How the pre-merger agencies became the current ones.
    pub lineage: Vec<LineageLink>,
    /// Commune-level procedures first, then city-level ones by agency.
    pub procedures: Vec<Procedure>,
    /// The administrator first, then three officials per unit, the warehouse's people and
    /// the auditor last.
    pub officials: Vec<DemoAccount>,
    pub citizens: Vec<DemoAccount>,
}

/// A demo account, ready to be stored with a password of the caller's choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// ASCII login name (`tn.stp`, `congdan001`); also the account reference of the dossiers
    /// a citizen filed (`Dossier::applicant_account_id`).
    pub username: String,
    pub full_name: String,
    pub title: String,
    /// "official" or "citizen".
    pub kind: String,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vneid_verified: bool,
    /// Roles with the id of the unit they are held in ("" for none).
    pub roles: Vec<(Role, String)>,
}

/// Build the units, catalog and accounts of the demo city.
pub fn build_city(cfg: &DemoConfig) -> DemoCity {
    let set = units::build_units(&cfg.city_code);
    let depts: catalog::DeptDirectory = set
        .units
        .iter()
        .filter(|u| u.valid_to.is_none() && u.kind == UnitKind::Department)
        .filter_map(|u| u.short_name.clone().map(|s| (s, (u.code.clone(), u.name.clone()))))
        .collect();
    let procedures = catalog::build_catalog(&mut rng::stage_rng(cfg.seed, "catalog"), &depts);
    let (mut officials, citizens) =
        accounts::build_accounts(&set.units, cfg.end.date(), &mut rng::stage_rng(cfg.seed, "accounts"));
    officials.extend(accounts::data_accounts(
        &set.units,
        cfg.end.date(),
        &mut rng::stage_rng(cfg.seed, "data-accounts"),
    ));
    // Last, and without the random generator: every other generated value stays the same.
    officials.push(accounts::auditor());
    DemoCity {
        units: set.units,
        unit_versions: set.versions,
        lineage: set.lineage,
        procedures,
        officials,
        citizens,
    }
}
