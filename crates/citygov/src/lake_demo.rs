//! The demo city's own datasets in the warehouse, beside the platform's system datasets:
//! poor and near-poor households (personal and sensitive columns, row filters by commune),
//! schools and air quality (open data). Each is defined in the catalog, loaded as a first
//! version and granted as a department would.

use citygov_domain::lake::{Classification, Dataset, Field, FieldType, Frequency, Grant, Grantee, Lineage, RowScope};
use citygov_domain::now_local;
use citygov_domain::unit::Unit;
use citygov_domain::workflow::Role;
use citygov_lake::{CommitMeta, Import, Lake, Mode, Source};
use citygov_store::{AuditRecord, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn field(name: &str, t: FieldType, c: Classification, required: bool, vi: &str, en: &str, unit: Option<&str>) -> Field {
    Field {
        name: name.into(),
        field_type: t,
        description_vi: vi.into(),
        description_en: en.into(),
        unit: unit.map(str::to_string),
        classification: c,
        required,
    }
}

struct Def {
    dataset: Dataset,
    rows: Vec<Vec<Option<String>>>,
    grants: Vec<(Grantee, &'static str, RowScope)>,
}

fn code_of(units: &[Unit], short: &str) -> Option<String> {
    units
        .iter()
        .find(|u| u.valid_to.is_none() && u.short_name.as_deref() == Some(short))
        .map(|u| u.code.to_string())
}

#[allow(clippy::too_many_arguments)]
fn dataset(
    name: &str,
    owner: String,
    steward: &str,
    title: (&str, &str),
    desc: (&str, &str),
    theme: &str,
    frequency: Frequency,
    legal: &str,
    licence: &str,
    open: bool,
    fields: Vec<Field>,
    key: &[&str],
    unit_column: Option<&str>,
) -> Dataset {
    Dataset {
        name: name.into(),
        owner_unit: owner,
        steward: steward.into(),
        title_vi: title.0.into(),
        title_en: title.1.into(),
        description_vi: desc.0.into(),
        description_en: desc.1.into(),
        theme: theme.into(),
        frequency,
        legal_basis: legal.into(),
        licence: licence.into(),
        open_data: open,
        fields,
        key: key.iter().map(|k| k.to_string()).collect(),
        unit_column: unit_column.map(str::to_string),
        cluster_by: Vec::new(),
        lineage: Lineage {
            derived_from: Vec::new(),
            jobs: vec!["import".into()],
        },
        system: false,
        quality: None,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

fn definitions(units: &[Unit], seed: u64) -> Vec<Def> {
    use Classification::*;
    use FieldType::*;
    let mut rng = StdRng::seed_from_u64(seed);
    let communes: Vec<&Unit> = units
        .iter()
        .filter(|u| u.valid_to.is_none() && u.kind.is_commune_level())
        .collect();
    let mut out = Vec::new();
    let today = now_local().date();

    if let Some(owner) = code_of(units, "SNV") {
        let surnames = [
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
        ];
        let middles = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc"];
        let givens = [
            "An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hoa", "Lan", "Long", "Nam", "Phương", "Quân", "Tâm", "Thảo",
            "Tuấn",
        ];
        let mut rows = Vec::new();
        for i in 0..3_000 {
            let c = communes[rng.gen_range(0..communes.len())];
            let poor = rng.gen_bool(0.55);
            rows.push(vec![
                Some(format!("031{:09}", 100_000_000 + i * 7919 % 900_000_000)),
                Some(format!(
                    "{} {} {}",
                    surnames[rng.gen_range(0..surnames.len())],
                    middles[rng.gen_range(0..middles.len())],
                    givens[rng.gen_range(0..givens.len())]
                )),
                Some(c.code.to_string()),
                Some(if poor { "ngheo" } else { "can_ngheo" }.to_string()),
                Some(rng.gen_range(1..8).to_string()),
                Some((rng.gen_range(800..2_200) * 1_000).to_string()),
                Some(rng.gen_bool(0.12).to_string()),
                Some(
                    (today - chrono::Days::new(rng.gen_range(30..330)))
                        .format("%d/%m/%Y")
                        .to_string(),
                ),
            ]);
        }
        out.push(Def {
            dataset: dataset(
                "ho_ngheo_can_ngheo",
                owner,
                "dl.snv",
                ("Hộ nghèo, hộ cận nghèo", "Poor and near-poor households"),
                (
                    "Danh sách hộ nghèo, hộ cận nghèo theo kết quả rà soát hằng năm của các xã, phường.",
                    "Poor and near-poor households from the communes' and wards' yearly review.",
                ),
                "an-sinh-xa-hoi",
                Frequency::Yearly,
                "Nghị định 07/2021/NĐ-CP (chuẩn nghèo đa chiều giai đoạn 2022–2025)",
                "",
                false,
                vec![
                    field(
                        "cccd_chu_ho",
                        Text,
                        Personal,
                        true,
                        "Số CCCD của chủ hộ",
                        "Citizen ID of the head of household",
                        None,
                    ),
                    field(
                        "ho_ten_chu_ho",
                        Text,
                        Personal,
                        true,
                        "Họ và tên chủ hộ",
                        "Name of the head of household",
                        None,
                    ),
                    field(
                        "ma_xa",
                        Text,
                        Public,
                        true,
                        "Mã xã, phường nơi cư trú",
                        "Commune or ward of residence",
                        None,
                    ),
                    field(
                        "loai_ho",
                        Text,
                        Public,
                        true,
                        "ngheo (hộ nghèo) hoặc can_ngheo (hộ cận nghèo)",
                        "ngheo (poor) or can_ngheo (near-poor)",
                        None,
                    ),
                    field(
                        "so_nhan_khau",
                        Integer,
                        Public,
                        true,
                        "Số nhân khẩu",
                        "Members of the household",
                        Some("người"),
                    ),
                    field(
                        "thu_nhap_binh_quan",
                        Number,
                        Internal,
                        false,
                        "Thu nhập bình quân đầu người mỗi tháng",
                        "Monthly income per member",
                        Some("VND"),
                    ),
                    field(
                        "co_nguoi_khuyet_tat",
                        Boolean,
                        Sensitive,
                        false,
                        "Hộ có người khuyết tật",
                        "A member has a disability",
                        None,
                    ),
                    field(
                        "ngay_cong_nhan",
                        Date,
                        Public,
                        true,
                        "Ngày công nhận",
                        "Date recognised",
                        None,
                    ),
                ],
                &["cccd_chu_ho"],
                Some("ma_xa"),
            ),
            rows,
            grants: vec![
                // Analysts count households city-wide (names and ID numbers stay masked).
                (Grantee::Role(Role::Analyst), "thong_ke", RowScope::All),
                // Commune leaders see their own commune's households in full to process
                // social-assistance dossiers.
                (Grantee::Role(Role::UnitLeader), "giai_quyet_tthc", RowScope::OwnUnit),
            ],
        });
    }

    if let Some(owner) = code_of(units, "SGDĐT") {
        let levels = [
            ("mam_non", "Trường Mầm non"),
            ("tieu_hoc", "Trường Tiểu học"),
            ("thcs", "Trường THCS"),
        ];
        let mut rows = Vec::new();
        for (i, c) in communes.iter().enumerate() {
            let place = c.name.split_once(' ').map(|(_, n)| n).unwrap_or(&c.name).to_string();
            for (j, (lv, prefix)) in levels.iter().enumerate() {
                rows.push(vec![
                    Some(format!("TRUONG-{:03}-{}", i + 1, j + 1)),
                    Some(format!("{prefix} {place}")),
                    Some(lv.to_string()),
                    Some(c.code.to_string()),
                    Some(rng.gen_range(180..1_400).to_string()),
                    Some(rng.gen_range(12..70).to_string()),
                    Some(rng.gen_bool(0.8).to_string()),
                ]);
            }
        }
        out.push(Def {
            dataset: dataset(
                "co_so_giao_duc",
                owner,
                "dl.sgddt",
                ("Cơ sở giáo dục mầm non và phổ thông", "Pre-schools and schools"),
                (
                    "Trường mầm non, tiểu học, trung học cơ sở công lập theo xã, phường.",
                    "Public pre-schools, primary and lower-secondary schools by commune and ward.",
                ),
                "giao-duc",
                Frequency::Yearly,
                "Luật Giáo dục 2019",
                "CC-BY-4.0",
                true,
                vec![
                    field("ma_truong", Text, Public, true, "Mã trường", "School code", None),
                    field("ten_truong", Text, Public, true, "Tên trường", "School name", None),
                    field("cap_hoc", Text, Public, true, "Cấp học", "Level", None),
                    field("ma_xa", Text, Public, true, "Mã xã, phường", "Commune or ward", None),
                    field(
                        "so_hoc_sinh",
                        Integer,
                        Public,
                        true,
                        "Số học sinh",
                        "Pupils",
                        Some("học sinh"),
                    ),
                    field(
                        "so_giao_vien",
                        Integer,
                        Public,
                        true,
                        "Số giáo viên",
                        "Teachers",
                        Some("người"),
                    ),
                    field(
                        "dat_chuan_quoc_gia",
                        Boolean,
                        Public,
                        false,
                        "Đạt chuẩn quốc gia",
                        "Meets the national standard",
                        None,
                    ),
                ],
                &["ma_truong"],
                Some("ma_xa"),
            ),
            rows,
            grants: vec![(Grantee::Role(Role::Analyst), "thong_ke", RowScope::All)],
        });
    }

    if let Some(owner) = code_of(units, "SNNMT") {
        let stations = [
            "Lê Chân",
            "Hồng Bàng",
            "Ngô Quyền",
            "Kiến An",
            "Đồ Sơn",
            "Thủy Nguyên",
            "Hải Dương",
            "Chí Linh",
        ];
        let mut rows = Vec::new();
        for d in 0..180u64 {
            let day = today - chrono::Days::new(180 - d);
            for (i, s) in stations.iter().enumerate() {
                let pm25: f64 = rng.gen_range(8.0..85.0);
                rows.push(vec![
                    Some(format!("QT{:02}", i + 1)),
                    Some(s.to_string()),
                    Some(day.format("%Y-%m-%d").to_string()),
                    Some(format!("{pm25:.1}")),
                    Some(format!("{:.1}", pm25 * rng.gen_range(1.3..1.9))),
                    Some(((pm25 * 2.1) as i64).to_string()),
                ]);
            }
        }
        out.push(Def {
            dataset: dataset(
                "chat_luong_khong_khi",
                owner,
                "dl.snnmt",
                ("Chất lượng không khí hằng ngày", "Daily air quality"),
                (
                    "Nồng độ bụi trung bình ngày và chỉ số AQI tại các trạm quan trắc tự động.",
                    "Daily mean particulate concentration and AQI at the automatic monitoring stations.",
                ),
                "moi-truong",
                Frequency::Daily,
                "Luật Bảo vệ môi trường 2020",
                "CC-BY-4.0",
                true,
                vec![
                    field("ma_tram", Text, Public, true, "Mã trạm", "Station code", None),
                    field("ten_tram", Text, Public, true, "Tên trạm", "Station", None),
                    field("ngay", Date, Public, true, "Ngày", "Day", None),
                    field(
                        "pm25",
                        Number,
                        Public,
                        true,
                        "Bụi PM2.5 trung bình ngày",
                        "Daily mean PM2.5",
                        Some("µg/m³"),
                    ),
                    field(
                        "pm10",
                        Number,
                        Public,
                        false,
                        "Bụi PM10 trung bình ngày",
                        "Daily mean PM10",
                        Some("µg/m³"),
                    ),
                    field(
                        "aqi",
                        Integer,
                        Public,
                        true,
                        "Chỉ số chất lượng không khí (VN_AQI)",
                        "Air quality index (VN_AQI)",
                        None,
                    ),
                ],
                &["ma_tram", "ngay"],
                None,
            ),
            rows,
            grants: Vec::new(),
        });
    }
    out
}

/// Define, load and grant the demo datasets that are not in the catalog yet.
pub async fn load(store: &Store, lake: &Lake, seed: u64) -> anyhow::Result<usize> {
    let units = store.units().await?;
    let mut loaded = 0;
    for def in definitions(&units, seed) {
        let d = &def.dataset;
        if store.dataset(&d.name).await.is_ok() {
            continue;
        }
        let actor = AuditRecord {
            actor_id: None,
            actor_name: d.steward.clone(),
            action: String::new(),
            entity_type: String::new(),
            entity_id: String::new(),
            detail: serde_json::json!({ "demo": true }),
        };
        let now = now_local();
        store.put_dataset(d, &actor, now).await?;
        let columns = d.fields.iter().map(|f| f.name.clone()).collect();
        let commit = CommitMeta {
            user: d.steward.clone(),
            unit: d.owner_unit.clone(),
            reason: "Dữ liệu mẫu / demo data".into(),
            source: "citygov demo".into(),
        };
        let report = lake
            .import(
                d,
                Import::new(
                    Source::Rows {
                        columns,
                        rows: def.rows,
                    },
                    Mode::Overwrite,
                    commit,
                ),
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo dataset {}: {e}", d.name))?;
        store.set_dataset_quality(&d.name, &report.quality).await?;
        for (grantee, purpose, rows) in def.grants {
            let g = Grant {
                id: String::new(),
                dataset: d.name.clone(),
                grantee,
                purpose: purpose.into(),
                rows,
                granted_by: String::new(),
                granted_at: String::new(),
            };
            store.add_grant(&g, &actor, now).await?;
        }
        loaded += 1;
    }
    Ok(loaded)
}
