//! The platform's own data flowing into the warehouse: dossiers (current state), their
//! status events and the procedure catalog, read incrementally from the transactional
//! store's change log (each dossier's history, written in the same transaction as the
//! change). Exactly once: the log position reached is committed with the events table's
//! Delta version (an application transaction), so a crash between two steps repeats nothing
//! and loses nothing; the dossier rows are upserts of the current state, so repeating them
//! is harmless.

use citygov_domain::lake::{Classification, Dataset, Field, FieldType, Frequency, Lineage};
use citygov_domain::{LocalTime, now_local};
use citygov_lake::{CommitMeta, Import, Lake, Mode, Source};
use citygov_store::Store;
use citygov_store::lake::{DossierRow, ProcedureRow};
use std::collections::BTreeSet;
use std::time::Duration;

/// The application id of the feed in the events table's commits.
pub const FEED_APP: &str = "citygov-feed";
pub const DOSSIERS: &str = "dossiers";
pub const EVENTS: &str = "dossier_events";
pub const PROCEDURES: &str = "procedures";

/// History rows read per step.
const STEP: i64 = 50_000;

/// A hole in the log's ids younger than this may be a transaction still committing (the
/// database hands out ids before commit): the feed stops before it and looks again next run.
/// An older hole is a rolled-back transaction and is passed.
const SETTLE_SECONDS: i64 = 60;

fn field(name: &str, t: FieldType, c: Classification, required: bool, vi: &str, en: &str) -> Field {
    Field {
        name: name.into(),
        field_type: t,
        description_vi: vi.into(),
        description_en: en.into(),
        unit: None,
        classification: c,
        required,
    }
}

/// The units a dossier belongs to, in the dossiers and in their events.
fn unit_fields() -> Vec<Field> {
    use Classification::Public;
    use FieldType::Text;
    vec![
        field(
            "receiving_unit",
            Text,
            Public,
            true,
            "Mã đơn vị tiếp nhận",
            "Receiving unit code",
        ),
        field(
            "competent_unit",
            Text,
            Public,
            true,
            "Mã đơn vị giải quyết",
            "Competent unit code",
        ),
    ]
}

/// The three datasets the platform feeds, owned by `owner_unit` (the city's data centre).
pub fn system_datasets(owner_unit: &str) -> Vec<Dataset> {
    use Classification::*;
    use FieldType::*;
    let base = |name: &str,
                title_vi: &str,
                title_en: &str,
                desc_vi: &str,
                desc_en: &str,
                fields: Vec<Field>,
                key: Vec<&str>,
                unit_column: Option<&str>| Dataset {
        name: name.into(),
        owner_unit: owner_unit.into(),
        steward: "admin".into(),
        title_vi: title_vi.into(),
        title_en: title_en.into(),
        description_vi: desc_vi.into(),
        description_en: desc_en.into(),
        theme: "hanh-chinh-cong".into(),
        frequency: Frequency::Continuous,
        legal_basis: "Nghị định 45/2020/NĐ-CP; Nghị định 61/2018/NĐ-CP; Quyết định 766/QĐ-TTg".into(),
        licence: String::new(),
        open_data: false,
        fields,
        key: key.into_iter().map(String::from).collect(),
        unit_column: unit_column.map(String::from),
        cluster_by: Vec::new(),
        lineage: Lineage {
            derived_from: Vec::new(),
            jobs: vec![FEED_APP.into()],
        },
        system: true,
        quality: None,
        created_at: String::new(),
        updated_at: String::new(),
    };
    vec![
        base(
            DOSSIERS,
            "Hồ sơ thủ tục hành chính (trạng thái hiện tại)",
            "Administrative dossiers (current state)",
            "Mỗi hồ sơ một dòng, cập nhật liên tục từ hệ thống một cửa điện tử.",
            "One row per dossier, updated continuously from the one-stop system.",
            [
                vec![
                    field("code", Text, Public, true, "Mã hồ sơ", "Dossier code"),
                    field("procedure_code", Text, Public, true, "Mã thủ tục", "Procedure code"),
                ],
                unit_fields(),
                vec![
                    field(
                        "channel",
                        Integer,
                        Public,
                        true,
                        "Kênh nộp (1 trực tiếp, 2 trực tuyến, 3 bưu chính)",
                        "Channel (1 desk, 2 online, 3 post)",
                    ),
                    field(
                        "status",
                        Integer,
                        Public,
                        true,
                        "Trạng thái (mã theo Quyết định 766)",
                        "Status (Decision 766 code)",
                    ),
                    field(
                        "applicant_id_number",
                        Text,
                        Personal,
                        true,
                        "Số định danh của người nộp",
                        "Applicant's ID number",
                    ),
                    field(
                        "applicant_name",
                        Text,
                        Personal,
                        true,
                        "Họ tên người nộp",
                        "Applicant's name",
                    ),
                    field("submitted_at", Timestamp, Public, true, "Thời điểm nộp", "Submitted at"),
                    field(
                        "accepted_at",
                        Timestamp,
                        Public,
                        false,
                        "Thời điểm tiếp nhận",
                        "Accepted at",
                    ),
                    field(
                        "appointment_at",
                        Timestamp,
                        Public,
                        false,
                        "Hẹn trả kết quả",
                        "Appointment",
                    ),
                    field(
                        "finished_at",
                        Timestamp,
                        Public,
                        false,
                        "Thời điểm có kết quả",
                        "Finished at",
                    ),
                    field("overdue", Boolean, Public, true, "Đã quá hạn", "Overdue"),
                    field(
                        "on_time",
                        Boolean,
                        Public,
                        false,
                        "Có kết quả đúng hạn (trống khi chưa xong)",
                        "Finished on time (empty until finished)",
                    ),
                    field(
                        "updated_at",
                        Timestamp,
                        Public,
                        true,
                        "Cập nhật lần cuối",
                        "Last change",
                    ),
                ],
            ]
            .concat(),
            vec!["code"],
            Some("receiving_unit"),
        ),
        base(
            EVENTS,
            "Sự kiện xử lý hồ sơ",
            "Dossier processing events",
            "Mỗi thay đổi trạng thái của hồ sơ một dòng, theo thứ tự xảy ra.",
            "One row per status change of a dossier, in order.",
            [
                vec![
                    field(
                        "history_id",
                        Integer,
                        Public,
                        true,
                        "Số thứ tự sự kiện",
                        "Event sequence number",
                    ),
                    field("at", Timestamp, Public, true, "Thời điểm", "Time"),
                    field("event", Text, Public, true, "Sự kiện", "Event"),
                    field("action", Text, Public, true, "Thao tác", "Action"),
                    field("dossier_code", Text, Public, true, "Mã hồ sơ", "Dossier code"),
                    field("procedure_code", Text, Public, true, "Mã thủ tục", "Procedure code"),
                    field(
                        "from_status",
                        Integer,
                        Public,
                        false,
                        "Trạng thái trước sự kiện",
                        "Status before the event",
                    ),
                    field(
                        "status",
                        Integer,
                        Public,
                        true,
                        "Trạng thái sau sự kiện",
                        "Status after the event",
                    ),
                    field(
                        "acting_unit",
                        Text,
                        Public,
                        false,
                        "Mã đơn vị thực hiện",
                        "Acting unit code",
                    ),
                ],
                unit_fields(),
                vec![
                    field("channel", Integer, Public, true, "Kênh nộp", "Channel"),
                    field(
                        "step_deadline",
                        Timestamp,
                        Public,
                        false,
                        "Hạn của bước xử lý",
                        "Deadline of the step",
                    ),
                ],
            ]
            .concat(),
            vec!["history_id"],
            Some("receiving_unit"),
        ),
        base(
            PROCEDURES,
            "Danh mục thủ tục hành chính",
            "Catalog of administrative procedures",
            "Các thủ tục hành chính của thành phố với cấp thực hiện, lĩnh vực và mức độ trực tuyến.",
            "The city's administrative procedures with level, field and online level.",
            vec![
                field("code", Text, Public, true, "Mã thủ tục", "Procedure code"),
                field("name", Text, Public, true, "Tên thủ tục", "Name"),
                field("level", Text, Public, true, "Cấp thực hiện", "Level"),
                field("field_code", Text, Public, true, "Mã lĩnh vực", "Field code"),
                field("field_name", Text, Public, true, "Lĩnh vực", "Field"),
                field(
                    "competent_unit_code",
                    Text,
                    Public,
                    false,
                    "Cơ quan có thẩm quyền",
                    "Competent agency",
                ),
                field("online_level", Text, Public, true, "Mức độ trực tuyến", "Online level"),
                field("active", Boolean, Public, true, "Đang áp dụng", "In force"),
            ],
            vec!["code"],
            None,
        ),
    ]
    .into_iter()
    .map(|mut d| {
        if d.name == PROCEDURES {
            d.open_data = true;
            d.licence = "CC-BY-4.0".into();
            d.frequency = Frequency::Irregular;
        }
        if d.name == EVENTS {
            d.lineage.derived_from = vec![DOSSIERS.into()];
        }
        d
    })
    .collect()
}

/// The unit that owns the platform's datasets: the Department of Science and Technology
/// (which runs the city's data centre) when there is one, else the first unit.
pub async fn owner_unit(store: &Store) -> anyhow::Result<String> {
    let units = store.units().await?;
    Ok(units
        .iter()
        .find(|u| u.short_name.as_deref() == Some("SKHCN") && u.valid_to.is_none())
        .or_else(|| units.first())
        .map(|u| u.code.to_string())
        .unwrap_or_default())
}

/// Put the system datasets in the catalog (once; later runs keep them).
pub async fn ensure_datasets(store: &Store) -> anyhow::Result<Vec<Dataset>> {
    let owner = owner_unit(store).await?;
    let mut out = Vec::new();
    for d in system_datasets(&owner) {
        match store.dataset(&d.name).await {
            Ok(existing) => out.push(existing),
            Err(citygov_store::Error::NotFound(_)) => {
                let actor = citygov_store::AuditRecord {
                    actor_id: None,
                    actor_name: FEED_APP.into(),
                    action: String::new(),
                    entity_type: String::new(),
                    entity_id: String::new(),
                    detail: serde_json::json!({ "system": true }),
                };
                store.put_dataset(&d, &actor, now_local()).await?;
                out.push(store.dataset(&d.name).await?);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

fn t(v: &LocalTime) -> String {
    v.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn dossier_cells(d: &DossierRow) -> Vec<Option<String>> {
    let on_time = d.finished_at.map(|f| d.appointment_at.is_none_or(|a| f <= a));
    vec![
        Some(d.code.clone()),
        Some(d.procedure_code.clone()),
        Some(d.receiving_unit.clone()),
        Some(d.competent_unit.clone()),
        Some(d.channel.to_string()),
        Some(d.status.to_string()),
        Some(d.applicant_id_number.clone()),
        Some(d.applicant_name.clone()),
        Some(t(&d.submitted_at)),
        d.accepted_at.as_ref().map(t),
        d.appointment_at.as_ref().map(t),
        d.finished_at.as_ref().map(t),
        Some(d.overdue.to_string()),
        on_time.map(|b| b.to_string()),
        Some(t(&d.updated_at)),
    ]
}

fn columns(d: &Dataset) -> Vec<String> {
    d.fields.iter().map(|f| f.name.clone()).collect()
}

fn meta(reason: &str) -> CommitMeta {
    CommitMeta {
        user: FEED_APP.into(),
        unit: String::new(),
        reason: reason.into(),
        source: "dossier_history".into(),
    }
}

fn procedure_cells(p: &ProcedureRow) -> Vec<Option<String>> {
    vec![
        Some(p.code.clone()),
        Some(p.name.clone()),
        Some(p.level.clone()),
        Some(p.field_code.clone()),
        Some(p.field_name.clone()),
        p.competent_unit_code.clone(),
        Some(p.online_level.clone()),
        Some(p.active.to_string()),
    ]
}

/// What one run of the feed did.
#[derive(Debug, Default, Clone, Copy)]
pub struct FeedStats {
    pub events: usize,
    pub dossiers: usize,
    pub procedures: usize,
}

fn by_name<'a>(ds: &'a [Dataset], name: &str) -> anyhow::Result<&'a Dataset> {
    ds.iter()
        .find(|d| d.name == name)
        .ok_or_else(|| anyhow::anyhow!("no dataset {name}"))
}

/// Bring the lake up to date with the store; the catalog records the quality of each new
/// version, as for any load.
pub async fn run_once(store: &Store, lake: &Lake) -> anyhow::Result<FeedStats> {
    let ds = ensure_datasets(store).await?;
    let (dossiers, events, procedures) = (
        by_name(&ds, DOSSIERS)?,
        by_name(&ds, EVENTS)?,
        by_name(&ds, PROCEDURES)?,
    );
    let mut stats = FeedStats::default();

    // The catalog: rewritten when it changed since the last copy (read only then).
    let stamp = store.procedure_stamp().await?;
    // The last copy (a vacuum of the retention job changes no data).
    let last = lake.history(PROCEDURES, 10).await?;
    let copied = last.iter().find(|v| !v.operation.starts_with("VACUUM"));
    if copied.map(|v| v.source.as_str()) != Some(stamp.as_str()) {
        let rows = store.procedure_rows().await?;
        if !rows.is_empty() {
            let mut m = meta("catalog copy");
            m.source = stamp;
            stats.procedures = rows.len();
            let src = Source::Rows {
                columns: columns(procedures),
                rows: rows.iter().map(procedure_cells).collect(),
            };
            let r = lake.import(procedures, Import::new(src, Mode::Overwrite, m)).await?;
            store.set_dataset_quality(PROCEDURES, &r.quality).await?;
        }
    }

    // First run: copy every dossier as it is now; the history up to now needs no upsert.
    let mut copied_through = 0;
    if lake.version(DOSSIERS).await?.is_none() {
        copied_through = store.history_max_id().await?;
        let mut after = String::new();
        loop {
            let page = store.dossier_rows(None, &after, 20_000).await?;
            let Some(last) = page.last() else { break };
            after = last.id.clone();
            stats.dossiers += page.len();
            let src = Source::Rows {
                columns: columns(dossiers),
                rows: page.iter().map(dossier_cells).collect(),
            };
            let r = lake
                .import(dossiers, Import::new(src, Mode::Append, meta("first copy")))
                .await?;
            store.set_dataset_quality(DOSSIERS, &r.quality).await?;
        }
    }

    // Then the change log, step by step.
    let settle = now_local() - chrono::Duration::seconds(SETTLE_SECONDS);
    loop {
        let cursor = lake.app_txn_version(EVENTS, FEED_APP).await?.unwrap_or(0);
        let mut batch = store.history_after(cursor, STEP).await?;
        let full = batch.len() as i64 == STEP;
        let mut expected = cursor + 1;
        let settled = batch.iter().position(|e| {
            let hole = e.id != expected;
            expected = e.id + 1;
            hole && e.at > settle
        });
        let stopped = settled.is_some();
        if let Some(i) = settled {
            batch.truncate(i);
        }
        let Some(last) = batch.last() else { break };
        let last_id = last.id;
        let mut touched = BTreeSet::new();
        let rows: Vec<Vec<Option<String>>> = batch
            .iter()
            .map(|e| {
                touched.insert(e.dossier_id.clone());
                vec![
                    Some(e.id.to_string()),
                    Some(t(&e.at)),
                    Some(e.event.clone()),
                    Some(e.action.clone()),
                    Some(e.code.clone()),
                    Some(e.procedure_code.clone()),
                    e.from_status.map(|s| s.to_string()),
                    Some(e.to_status.to_string()),
                    e.acting_unit.clone(),
                    Some(e.receiving_unit.clone()),
                    Some(e.competent_unit.clone()),
                    Some(e.channel.to_string()),
                    e.step_deadline.as_ref().map(t),
                ]
            })
            .collect();
        // Current state of the dossiers these events touched (an upsert: safe to repeat).
        let ids: Vec<String> = touched.into_iter().collect();
        if !ids.is_empty() && last_id > copied_through {
            let current = store.dossier_rows(Some(&ids), "", 0).await?;
            stats.dossiers += current.len();
            let src = Source::Rows {
                columns: columns(dossiers),
                rows: current.iter().map(dossier_cells).collect(),
            };
            let mut req = Import::new(src, Mode::Upsert, meta("dossier history"));
            req.key = vec!["code".into()];
            let r = lake.import(dossiers, req).await?;
            store.set_dataset_quality(DOSSIERS, &r.quality).await?;
        }
        stats.events += rows.len();
        let src = Source::Rows {
            columns: columns(events),
            rows,
        };
        let mut req = Import::new(src, Mode::Append, meta("dossier history"));
        req.app_txn = Some((FEED_APP.into(), last_id));
        let r = lake.import(events, req).await?;
        store.set_dataset_quality(EVENTS, &r.quality).await?;
        if !full || stopped {
            break;
        }
    }
    Ok(stats)
}

/// Run the feed every `every` until the process stops.
pub fn spawn(store: Store, lake: Lake, every: Duration) {
    tokio::spawn(async move {
        loop {
            match run_once(&store, &lake).await {
                Ok(s) if s.events + s.dossiers + s.procedures > 0 => {
                    tracing::info!(
                        events = s.events,
                        dossiers = s.dossiers,
                        procedures = s.procedures,
                        "lake feed"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("lake feed: {e:#}"),
            }
            tokio::time::sleep(every).await;
        }
    });
}
