//! Short-lived in-process copies of procedures and units, which every filing reads. Entries
//! live a few seconds, so a catalog import made by another `citygov serve` process on the
//! same database is seen quickly; an import through this process clears them at once.

use citygov_domain::catalog::Procedure;
use citygov_domain::unit::Unit;
use citygov_store::catalog::{CatalogQuery, FieldCount, ProcedureSummary};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(10);

type Map<T> = RwLock<HashMap<String, (Instant, Option<Arc<T>>)>>;

#[derive(Default)]
pub struct CatalogCache {
    procedures: Map<Procedure>,
    units: Map<Unit>,
    unit_lists: Map<Vec<Unit>>,
    fields: Map<Vec<FieldCount>>,
    index: Map<CatalogIndex>,
    refreshing: Mutex<HashSet<&'static str>>,
}

/// The active catalog in memory for search: a few thousand short rows, searched in
/// microseconds instead of a scan per request.
pub struct CatalogIndex {
    entries: Vec<(ProcedureSummary, String)>,
}

impl CatalogIndex {
    /// Every folded term must appear, in any order; the words as typed, together, come first,
    /// then shorter names, then by name and code.
    pub fn search(&self, q: &CatalogQuery) -> (Vec<ProcedureSummary>, i64) {
        let terms: Vec<String> =
            q.q.as_deref()
                .map(citygov_domain::text::terms)
                .unwrap_or_default()
                .into_iter()
                .take(8)
                .collect();
        let phrase = format!(" {} ", terms.join(" "));
        let mut hits: Vec<(bool, &ProcedureSummary)> = self
            .entries
            .iter()
            .filter(|(p, text)| {
                terms.iter().all(|t| text.contains(t.as_str()))
                    && q.field_code.as_ref().is_none_or(|f| &p.field_code == f)
                    && q.level.is_none_or(|l| p.level == l.as_str())
                    && q.unit_code
                        .as_ref()
                        .is_none_or(|u| p.competent_unit_code.as_ref() == Some(u))
                    && q.online_level.is_none_or(|o| p.online_level == o.as_str())
            })
            .map(|(p, text)| (terms.len() > 1 && format!(" {text} ").contains(&phrase), p))
            .collect();
        let by_length = !terms.is_empty();
        hits.sort_by(|(pa, a), (pb, b)| {
            pb.cmp(pa)
                .then_with(|| {
                    if by_length {
                        a.name.chars().count().cmp(&b.name.chars().count())
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.code.cmp(&b.code))
        });
        let total = hits.len() as i64;
        let items = hits
            .into_iter()
            .skip(q.offset.max(0) as usize)
            .take(q.limit.clamp(1, 200) as usize)
            .map(|(_, p)| p.clone())
            .collect();
        (items, total)
    }
}

fn get<T>(m: &Map<T>, key: &str) -> Option<Option<Arc<T>>> {
    let g = m.read().expect("cache lock");
    g.get(key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, v)| v.clone())
}

/// A whole-table entry: fresh, it is returned; stale, one request reloads it while the others
/// keep answering from the stale copy (no stampede when it expires under load); missing, it
/// is loaded.
async fn shared<T, F>(
    m: &Map<T>,
    refreshing: &Mutex<HashSet<&'static str>>,
    key: &'static str,
    load: F,
) -> citygov_store::Result<Arc<T>>
where
    F: Future<Output = citygov_store::Result<T>>,
{
    let current = m
        .read()
        .expect("cache lock")
        .get(key)
        .and_then(|(at, v)| v.clone().map(|v| (*at, v)));
    if let Some((at, v)) = &current {
        if at.elapsed() < TTL {
            return Ok(v.clone());
        }
        if !refreshing.lock().expect("cache lock").insert(key) {
            return Ok(v.clone());
        }
    }
    let loaded = load.await;
    if current.is_some() {
        refreshing.lock().expect("cache lock").remove(key);
    }
    let v = Arc::new(loaded?);
    put(m, key, Some(v.clone()));
    Ok(v)
}

fn put<T>(m: &Map<T>, key: &str, v: Option<Arc<T>>) {
    let mut g = m.write().expect("cache lock");
    if g.len() > 20_000 {
        g.clear();
    }
    g.insert(key.to_string(), (Instant::now(), v));
}

impl CatalogCache {
    pub async fn procedure(
        &self,
        store: &citygov_store::Store,
        code: &str,
    ) -> citygov_store::Result<Option<Arc<Procedure>>> {
        if let Some(v) = get(&self.procedures, code) {
            return Ok(v);
        }
        let v = store.procedure(code).await?.map(Arc::new);
        put(&self.procedures, code, v.clone());
        Ok(v)
    }

    pub async fn unit(&self, store: &citygov_store::Store, code: &str) -> citygov_store::Result<Option<Arc<Unit>>> {
        if let Some(v) = get(&self.units, code) {
            return Ok(v);
        }
        let v = store.unit_by_code(code).await?.map(Arc::new);
        put(&self.units, code, v.clone());
        Ok(v)
    }

    /// The current service centre, where city-level dossiers are received by default.
    pub async fn service_centre(&self, store: &citygov_store::Store) -> citygov_store::Result<Option<Arc<Unit>>> {
        const KEY: &str = "#service-centre";
        if let Some(v) = get(&self.units, KEY) {
            return Ok(v);
        }
        let v = store
            .units()
            .await?
            .into_iter()
            .find(|u| u.kind == citygov_domain::unit::UnitKind::ServiceCentre && u.valid_to.is_none())
            .map(Arc::new);
        put(&self.units, KEY, v.clone());
        Ok(v)
    }

    /// The units in existence today, by name (for pickers and filters).
    pub async fn current_units(&self, store: &citygov_store::Store) -> citygov_store::Result<Arc<Vec<Unit>>> {
        shared(&self.unit_lists, &self.refreshing, "#current", async {
            let mut v: Vec<Unit> = store
                .units()
                .await?
                .into_iter()
                .filter(|u| u.valid_to.is_none())
                .collect();
            v.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(v)
        })
        .await
    }

    /// The active catalog, indexed for search.
    pub async fn index(&self, store: &citygov_store::Store) -> citygov_store::Result<Arc<CatalogIndex>> {
        shared(&self.index, &self.refreshing, "#index", async {
            Ok(CatalogIndex {
                entries: store.procedure_index().await?,
            })
        })
        .await
    }

    /// The catalog's fields with their procedure counts.
    pub async fn fields(&self, store: &citygov_store::Store) -> citygov_store::Result<Arc<Vec<FieldCount>>> {
        shared(&self.fields, &self.refreshing, "#fields", store.procedure_fields()).await
    }

    pub fn clear(&self) {
        self.procedures.write().expect("cache lock").clear();
        self.units.write().expect("cache lock").clear();
        self.unit_lists.write().expect("cache lock").clear();
        self.fields.write().expect("cache lock").clear();
        self.index.write().expect("cache lock").clear();
    }
}
