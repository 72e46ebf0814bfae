//! Loading the demo city into a store: units, catalog, accounts and a year of dossiers.

use citygov_demo::{DemoCity, DemoConfig, build_city, build_dossiers};
use citygov_domain::LocalTime;
use citygov_domain::calendar::Calendar;
use citygov_domain::codes::DossierCodeFormat;
use citygov_store::Store;
use citygov_store::accounts::{NewAccount, RoleGrant, hash_password};
use std::collections::HashMap;

/// The password of every demo account (documented in the README).
pub const DEMO_PASSWORD: &str = "demo12345";

/// What was loaded.
#[derive(Debug)]
pub struct Loaded {
    pub units: usize,
    pub procedures: usize,
    pub accounts: usize,
    pub dossiers: usize,
}

/// Load units, catalog and accounts (no dossiers). Skips what is already there.
pub async fn load_city(
    store: &Store,
    cfg: &DemoConfig,
    now: LocalTime,
) -> anyhow::Result<(DemoCity, HashMap<String, String>)> {
    let city = build_city(cfg);
    store
        .save_units(&city.units, &city.unit_versions, &city.lineage)
        .await?;
    store
        .import_procedures(&city.procedures, now)
        .await
        .map_err(|e| anyhow::anyhow!("demo catalog: {e}"))?;
    let hash = hash_password(DEMO_PASSWORD)?;
    let mut ids = HashMap::new();
    for a in city.officials.iter().chain(city.citizens.iter()) {
        let acc = NewAccount {
            username: a.username.clone(),
            password: String::new(),
            full_name: a.full_name.clone(),
            title: a.title.clone(),
            kind: a.kind.clone(),
            id_number: a.id_number.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            vneid_verified: a.vneid_verified,
            roles: a
                .roles
                .iter()
                .map(|(role, unit)| RoleGrant {
                    role: *role,
                    unit_id: unit.clone(),
                })
                .collect(),
        };
        match store.create_account_hashed(&acc, &a.username, &hash, now).await {
            Ok(created) => {
                ids.insert(a.username.clone(), created.id);
            }
            Err(citygov_store::Error::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((city, ids))
}

/// Build and load the whole demo city with `cfg.dossiers` dossiers.
pub async fn load(
    store: &Store,
    cfg: &DemoConfig,
    cal: &Calendar,
    format: &DossierCodeFormat,
    now: LocalTime,
    progress: impl Fn(usize, usize),
) -> anyhow::Result<Loaded> {
    let (city, ids) = load_city(store, cfg, now).await?;
    let mut built = build_dossiers(cfg, &city, cal, format);
    for (d, _) in built.items.iter_mut() {
        if let Some(u) = &d.applicant_account_id {
            d.applicant_account_id = ids.get(u).cloned();
        }
    }
    let total = built.items.len();
    let mut done = 0;
    for chunk in built.items.chunks(2000) {
        store.load_dossiers(chunk, &[], "demo").await?;
        done += chunk.len();
        progress(done, total);
    }
    store.load_dossiers(&[], &built.counters, "demo").await?;
    store.analyze().await?;
    Ok(Loaded {
        units: city.units.len(),
        procedures: city.procedures.len(),
        accounts: city.officials.len() + city.citizens.len(),
        dossiers: total,
    })
}
