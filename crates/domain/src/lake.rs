//! The shared data warehouse's catalog and access policy, as pure rules: datasets and their
//! fields with classification, the city's quality measures ("đúng, đủ, sạch, sống"),
//! lineage, grants to units and roles, and the decision of what one principal may see of one
//! dataset (which columns are masked, which rows are filtered). The lake enforces the decision
//! in the query plan; this module only decides.

use crate::Problem;
use crate::workflow::Role;
use serde::{Deserialize, Serialize};

/// How sensitive a field is (Decree 356/2025 distinguishes basic and sensitive personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Public,
    Internal,
    Personal,
    Sensitive,
}

impl Classification {
    pub const ALL: [Classification; 4] = [
        Classification::Public,
        Classification::Internal,
        Classification::Personal,
        Classification::Sensitive,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Internal => "internal",
            Classification::Personal => "personal",
            Classification::Sensitive => "sensitive",
        }
    }
    pub fn parse(s: &str) -> Option<Classification> {
        Classification::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Personal or sensitive: masked unless a grant's purpose allows it, audited when read.
    pub fn is_personal(self) -> bool {
        matches!(self, Classification::Personal | Classification::Sensitive)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Classification::Public => "Công khai",
            Classification::Internal => "Nội bộ",
            Classification::Personal => "Dữ liệu cá nhân cơ bản",
            Classification::Sensitive => "Dữ liệu cá nhân nhạy cảm",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Classification::Public => "Public",
            Classification::Internal => "Internal",
            Classification::Personal => "Basic personal data",
            Classification::Sensitive => "Sensitive personal data",
        }
    }
}

/// The type of a field, mapped to one Arrow/Delta type by the lake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// UTF-8 text.
    Text,
    /// 64-bit integer.
    Integer,
    /// Floating-point number (amounts, shares, measurements).
    Number,
    Boolean,
    /// Calendar date (ISO `2026-12-03` or Vietnamese `03/12/2026` on input).
    Date,
    /// Instant, stored in UTC (input without an offset is read as Vietnam time, UTC+7).
    Timestamp,
}

impl FieldType {
    pub const ALL: [FieldType; 6] = [
        FieldType::Text,
        FieldType::Integer,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Timestamp,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Timestamp => "timestamp",
        }
    }
    pub fn parse(s: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One field (column) of a dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub description_vi: String,
    #[serde(default)]
    pub description_en: String,
    /// Unit of measurement (e.g. `VND`, `người`, `ha`), when the field is a measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub classification: Classification,
    /// A value is required in every row.
    #[serde(default)]
    pub required: bool,
}

/// How often a dataset is updated (DCAT `accrualPeriodicity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Continuous,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    Irregular,
}

impl Frequency {
    pub const ALL: [Frequency; 7] = [
        Frequency::Continuous,
        Frequency::Daily,
        Frequency::Weekly,
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::Yearly,
        Frequency::Irregular,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Continuous => "continuous",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Yearly => "yearly",
            Frequency::Irregular => "irregular",
        }
    }
    pub fn parse(s: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// How many days may pass since the last update before the data is no longer "live"
    /// (sống); `None` when no period applies.
    pub fn live_days(self) -> Option<i64> {
        match self {
            Frequency::Continuous | Frequency::Daily => Some(2),
            Frequency::Weekly => Some(8),
            Frequency::Monthly => Some(32),
            Frequency::Quarterly => Some(93),
            Frequency::Yearly => Some(366),
            Frequency::Irregular => None,
        }
    }
    /// The EU publications-office frequency URI, for DCAT-AP.
    pub fn dcat_uri(self) -> &'static str {
        match self {
            Frequency::Continuous => "http://publications.europa.eu/resource/authority/frequency/CONT",
            Frequency::Daily => "http://publications.europa.eu/resource/authority/frequency/DAILY",
            Frequency::Weekly => "http://publications.europa.eu/resource/authority/frequency/WEEKLY",
            Frequency::Monthly => "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
            Frequency::Quarterly => "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
            Frequency::Yearly => "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
            Frequency::Irregular => "http://publications.europa.eu/resource/authority/frequency/IRREG",
        }
    }
}

/// One of the four quality measures with what measured it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityCheck {
    pub passed: bool,
    /// The measured share (0–1) or count the check is based on.
    pub measure: f64,
    pub detail_vi: String,
    pub detail_en: String,
}

/// The city's "đúng, đủ, sạch, sống" (correct, complete, clean, live), measured on one table
/// version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Table version measured.
    pub version: i64,
    /// When (ISO 8601, UTC).
    pub checked_at: String,
    pub rows: i64,
    /// đúng: every value has its declared type and every required value is present.
    pub correct: QualityCheck,
    /// đủ: share of filled cells over all declared fields.
    pub complete: QualityCheck,
    /// sạch: no duplicate rows (by key when the dataset has one).
    pub clean: QualityCheck,
    /// sống: updated within its declared frequency.
    pub live: QualityCheck,
}

/// Where a dataset comes from: other datasets and the job that derived it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Lineage {
    #[serde(default)]
    pub derived_from: Vec<String>,
    /// The job or process that produces it (e.g. `citygov-feed`, `import`).
    #[serde(default)]
    pub jobs: Vec<String>,
}

/// A dataset of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Table name: lowercase letters, digits and `_`, starting with a letter (over HTTP it
    /// comes from the path).
    #[serde(default)]
    pub name: String,
    /// Code of the owning unit (e.g. `SO_TAI_CHINH`).
    pub owner_unit: String,
    /// Username of the data steward.
    pub steward: String,
    pub title_vi: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub description_vi: String,
    #[serde(default)]
    pub description_en: String,
    /// Theme (e.g. `dan-cu`, `dat-dai`, `hanh-chinh-cong`).
    pub theme: String,
    pub frequency: Frequency,
    #[serde(default)]
    pub legal_basis: String,
    /// Licence (an SPDX id or URL); required for open data.
    #[serde(default)]
    pub licence: String,
    /// Published as open data (never with a personal or sensitive column).
    #[serde(default)]
    pub open_data: bool,
    pub fields: Vec<Field>,
    /// Key columns for upsert and for the clean (sạch) check.
    #[serde(default)]
    pub key: Vec<String>,
    /// The column holding the unit (commune, department) code a row belongs to, for row
    /// filters that restrict a unit to its own rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_column: Option<String>,
    /// Columns the rows of each load are clustered by (at most three, e.g. an event type or
    /// a status): every chunk of a load (eight row groups) is written sorted by them, so the
    /// row groups' statistics let a filter on them skip most of the table's data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_by: Vec<String>,
    #[serde(default)]
    pub lineage: Lineage,
    /// Fed by the platform itself (dossiers, events, catalog): not importable by hand.
    #[serde(default)]
    pub system: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
}

impl Field {
    /// A field without description or unit of measurement.
    pub fn new(name: &str, field_type: FieldType, classification: Classification, required: bool) -> Field {
        Field {
            name: name.into(),
            field_type,
            description_vi: String::new(),
            description_en: String::new(),
            unit: None,
            classification,
            required,
        }
    }
}

impl Dataset {
    /// A dataset with what every dataset has; the rest empty: no English title, description,
    /// legal basis, licence, key or unit column, not open, not fed by the platform.
    pub fn new(
        name: &str,
        owner_unit: &str,
        steward: &str,
        title_vi: &str,
        theme: &str,
        frequency: Frequency,
        fields: Vec<Field>,
    ) -> Dataset {
        Dataset {
            name: name.into(),
            owner_unit: owner_unit.into(),
            steward: steward.into(),
            title_vi: title_vi.into(),
            title_en: String::new(),
            description_vi: String::new(),
            description_en: String::new(),
            theme: theme.into(),
            frequency,
            legal_basis: String::new(),
            licence: String::new(),
            open_data: false,
            fields,
            key: Vec::new(),
            unit_column: None,
            cluster_by: Vec::new(),
            lineage: Lineage::default(),
            system: false,
            quality: None,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    pub fn has_personal(&self) -> bool {
        self.fields.iter().any(|f| f.classification.is_personal())
    }
    /// The columns whose values the warehouse stores sealed (when it has keys): text
    /// classified personal or sensitive, except the row-filter column, which the scan must
    /// compare as it is.
    pub fn sealed_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| {
            f.classification.is_personal()
                && f.field_type == FieldType::Text
                && self.unit_column.as_deref() != Some(f.name.as_str())
        })
    }
    pub fn is_sealed(&self, column: &str) -> bool {
        self.sealed_fields().any(|f| f.name == column)
    }
}

/// Why a sealed value did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    /// Sealed with a data key this process has not loaded (made since by another one).
    #[error("sealed with an unknown data key {0}")]
    UnknownKey(String),
    /// Altered, or moved from another column.
    #[error("a sealed value does not open (altered, or moved from another column)")]
    Broken,
}

/// The start of the message of [`CipherError::UnknownKey`], which survives a trip through a
/// query engine's error text.
pub const UNKNOWN_DATA_KEY: &str = "sealed with an unknown data key";

/// The data keys loaded at one moment, taken once for a run of values (a batch); they do
/// not change under the caller. `column` is `dataset.column`.
pub trait ColumnKeys: Send + Sync {
    /// Seal a value (returned as it is when encryption is off; empty stays empty).
    fn seal(&self, column: &str, plain: &str) -> String;
    /// Open a stored value: a sealed one is decrypted, any other returned as it is.
    fn open(&self, column: &str, stored: &str) -> Result<String, CipherError>;
}

/// Column encryption of personal data in the warehouse's tables, by the platform's keys
/// (AES-256-GCM with the column as associated data).
pub trait ColumnCipher: Send + Sync {
    /// The keys loaded now.
    fn keys(&self) -> std::sync::Arc<dyn ColumnKeys>;
    /// Reload the data keys (another process may have rotated them since they were loaded;
    /// a value sealed with such a key fails with [`CipherError::UnknownKey`] until then),
    /// unless they hold the `missing` key by the time this caller's turn comes: callers that
    /// meet the same new key at once load the keys once.
    fn refresh(&self, missing: Option<String>) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>>;
}

/// Is this a valid table or column name?
pub fn valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && s.len() <= 63
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Check a dataset definition; every problem is listed.
pub fn validate_dataset(d: &Dataset) -> Vec<Problem> {
    let mut out = Vec::new();
    if !valid_name(&d.name) {
        out.push(
            Problem::new(
                "invalid_dataset_name",
                format!("Tên bộ dữ liệu «{}» không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu _, bắt đầu bằng chữ, tối đa 63 ký tự.", d.name),
                format!("Dataset name “{}” is invalid: use lowercase ASCII letters, digits and _, starting with a letter, at most 63 characters.", d.name),
            )
            .at("name"),
        );
    }
    for (field, label_vi, label_en, v) in [
        ("owner_unit", "Đơn vị chủ quản", "Owner unit", &d.owner_unit),
        ("steward", "Người quản lý dữ liệu", "Steward", &d.steward),
        ("title_vi", "Tên (tiếng Việt)", "Title (Vietnamese)", &d.title_vi),
        ("theme", "Chủ đề", "Theme", &d.theme),
    ] {
        if v.trim().is_empty() {
            out.push(Problem::required(field, label_vi, label_en));
        }
    }
    if d.fields.is_empty() {
        out.push(
            Problem::new(
                "no_fields",
                "Bộ dữ liệu phải có ít nhất một trường.",
                "A dataset needs at least one field.",
            )
            .at("fields"),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (i, f) in d.fields.iter().enumerate() {
        let at = format!("fields[{i}].name");
        if !valid_name(&f.name) {
            out.push(
                Problem::new(
                    "invalid_field_name",
                    format!("Tên trường «{}» không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu _, bắt đầu bằng chữ.", f.name),
                    format!("Field name “{}” is invalid: use lowercase ASCII letters, digits and _, starting with a letter.", f.name),
                )
                .at(at),
            );
        } else if !seen.insert(f.name.as_str()) {
            out.push(
                Problem::new(
                    "duplicate_field",
                    format!("Trường «{}» bị khai báo hai lần.", f.name),
                    format!("Field “{}” is declared twice.", f.name),
                )
                .at(at),
            );
        }
    }
    for (i, k) in d.key.iter().enumerate() {
        if d.field(k).is_none() {
            out.push(
                Problem::new(
                    "unknown_key_field",
                    format!("Khoá «{k}» không phải là một trường của bộ dữ liệu."),
                    format!("Key “{k}” is not a field of the dataset."),
                )
                .at(format!("key[{i}]")),
            );
        }
    }
    if d.cluster_by.len() > 3 {
        out.push(
            Problem::new(
                "too_many_cluster_columns",
                "Chỉ phân cụm theo tối đa ba cột.",
                "Rows are clustered by at most three columns.",
            )
            .at("cluster_by"),
        );
    }
    for (i, c) in d.cluster_by.iter().enumerate() {
        if d.field(c).is_none() {
            out.push(
                Problem::new(
                    "unknown_cluster_field",
                    format!("Cột phân cụm «{c}» không phải là một trường của bộ dữ liệu."),
                    format!("Cluster column “{c}” is not a field of the dataset."),
                )
                .at(format!("cluster_by[{i}]")),
            );
        }
    }
    if let Some(c) = &d.unit_column {
        match d.field(c) {
            Some(f) if f.field_type == FieldType::Text => {}
            _ => out.push(
                Problem::new(
                    "invalid_unit_column",
                    format!("Cột đơn vị «{c}» phải là một trường kiểu văn bản của bộ dữ liệu."),
                    format!("Unit column “{c}” must be a text field of the dataset."),
                )
                .at("unit_column"),
            ),
        }
    }
    if d.open_data {
        if d.licence.trim().is_empty() {
            out.push(
                Problem::new(
                    "open_data_licence",
                    "Dữ liệu mở phải ghi rõ giấy phép sử dụng.",
                    "Open data must name its licence.",
                )
                .at("licence"),
            );
        }
        if d.fields.iter().all(|f| f.classification.is_personal()) && !d.fields.is_empty() {
            out.push(
                Problem::new(
                    "open_data_nothing_public",
                    "Dữ liệu mở không có trường nào công khai được.",
                    "Open data has no field that can be published.",
                )
                .at("open_data"),
            );
        }
    }
    out
}

/// A purpose of processing, named in grants and in queries (Law 91/2025: personal data is
/// processed for a stated purpose only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purpose {
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    /// Whether a grant for this purpose may show personal and sensitive columns unmasked.
    pub allows_personal: bool,
}

/// The purposes the warehouse knows.
pub const PURPOSES: &[Purpose] = &[
    Purpose {
        code: "thong_ke",
        label_vi: "Thống kê, báo cáo",
        label_en: "Statistics and reporting",
        allows_personal: false,
    },
    Purpose {
        code: "dieu_hanh",
        label_vi: "Chỉ đạo, điều hành",
        label_en: "Steering and management",
        allows_personal: false,
    },
    Purpose {
        code: "giai_quyet_tthc",
        label_vi: "Giải quyết thủ tục hành chính",
        label_en: "Processing administrative procedures",
        allows_personal: true,
    },
    Purpose {
        code: "thanh_tra",
        label_vi: "Thanh tra, kiểm tra",
        label_en: "Inspection",
        allows_personal: true,
    },
];

pub fn purpose(code: &str) -> Option<&'static Purpose> {
    PURPOSES.iter().find(|p| p.code == code)
}

/// Who a grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Grantee {
    /// Every official of a unit (by unit code).
    Unit(String),
    /// Everyone holding a role, in any unit.
    Role(Role),
}

/// Which rows a grant opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RowScope {
    /// All rows.
    #[default]
    All,
    /// Only rows whose unit column holds one of the principal's units (a commune sees its
    /// commune).
    OwnUnit,
}

/// A grant of one dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    #[serde(default)]
    pub id: String,
    pub dataset: String,
    pub grantee: Grantee,
    /// The purpose the grant is for; personal columns are unmasked only when the query names
    /// this purpose and the purpose allows it.
    pub purpose: String,
    #[serde(default)]
    pub rows: RowScope,
    #[serde(default)]
    pub granted_by: String,
    #[serde(default)]
    pub granted_at: String,
}

/// Who is asking: an official's units (codes) and roles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principal {
    pub account_id: String,
    pub username: String,
    pub unit_codes: Vec<String>,
    pub roles: Vec<Role>,
}

/// What one principal may see of one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub dataset: String,
    /// Columns shown masked.
    pub masked: Vec<String>,
    /// `Some(codes)`: only rows whose unit column holds one of these codes.
    pub row_filter: Option<(String, Vec<String>)>,
}

/// Decide what `who` may see of `d` when querying for `purpose_code`: deny by default.
///
/// The owner unit's officials see their own dataset whole, with personal columns masked
/// unless a grant for this purpose allows them. Any other principal needs a grant (to one of
/// its units or roles). Among matching grants the widest wins: all rows over own rows, and
/// unmasked over masked.
pub fn decide(d: &Dataset, grants: &[Grant], who: &Principal, purpose_code: &str) -> Option<Access> {
    let owner = who.unit_codes.iter().any(|u| u == &d.owner_unit);
    let matching: Vec<&Grant> = grants
        .iter()
        .filter(|g| g.dataset == d.name)
        .filter(|g| match &g.grantee {
            Grantee::Unit(u) => who.unit_codes.iter().any(|c| c == u),
            Grantee::Role(r) => who.roles.contains(r),
        })
        .collect();
    if !owner && matching.is_empty() {
        return None;
    }
    let all_rows = owner || matching.iter().any(|g| g.rows == RowScope::All);
    let unmask = matching
        .iter()
        .any(|g| g.purpose == purpose_code && purpose(&g.purpose).is_some_and(|p| p.allows_personal));
    let masked = if unmask {
        Vec::new()
    } else {
        d.fields
            .iter()
            .filter(|f| f.classification.is_personal())
            .map(|f| f.name.clone())
            .collect()
    };
    let row_filter = if all_rows {
        None
    } else {
        // Own rows only: without a unit column there is no row a unit can call its own.
        let col = d.unit_column.clone().unwrap_or_default();
        Some((col, who.unit_codes.clone()))
    };
    Some(Access {
        dataset: d.name.clone(),
        masked,
        row_filter,
    })
}

/// The columns the public sees of an open dataset: those classified public; none of a
/// closed dataset.
pub fn open_columns(d: &Dataset) -> Option<Vec<&Field>> {
    if !d.open_data {
        return None;
    }
    Some(
        d.fields
            .iter()
            .filter(|f| f.classification == Classification::Public)
            .collect(),
    )
}

/// Mask a personal text for display: text of eight characters or more keeps its first four,
/// the rest become `*` (a CCCD number `001099012345` shows as `0010********`); shorter text
/// is masked whole, so that a short code or a yes/no answer shows nothing.
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    if n < 8 {
        return "*".repeat(n);
    }
    let mut out: String = value.chars().take(4).collect();
    out.extend(std::iter::repeat_n('*', n - 4));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset() -> Dataset {
        let mut d = Dataset::new(
            "ho_ngheo",
            "SO_Y_TE",
            "steward",
            "Hộ nghèo",
            "an-sinh",
            Frequency::Yearly,
            vec![
                Field::new("ma_xa", FieldType::Text, Classification::Public, true),
                Field::new("cccd", FieldType::Text, Classification::Personal, false),
            ],
        );
        d.title_en = "Poor households".into();
        d.key = vec!["cccd".into()];
        d.unit_column = Some("ma_xa".into());
        d
    }

    #[test]
    fn personal_text_is_sealed_except_the_row_filter_column() {
        let mut d = dataset();
        d.fields.push(Field::new(
            "dien_thoai",
            FieldType::Text,
            Classification::Sensitive,
            false,
        ));
        d.fields.push(Field::new(
            "ngay_sinh",
            FieldType::Date,
            Classification::Personal,
            false,
        ));
        let sealed: Vec<&str> = d.sealed_fields().map(|f| f.name.as_str()).collect();
        assert_eq!(sealed, ["cccd", "dien_thoai"]);
        d.fields[0].classification = Classification::Personal;
        assert!(!d.is_sealed("ma_xa"), "the row filter compares the stored value");
        assert!(
            CipherError::UnknownKey("s2".into())
                .to_string()
                .starts_with(UNKNOWN_DATA_KEY)
        );
    }

    fn grant(grantee: Grantee, purpose: &str, rows: RowScope) -> Grant {
        Grant {
            id: "g".into(),
            dataset: "ho_ngheo".into(),
            grantee,
            purpose: purpose.into(),
            rows,
            granted_by: String::new(),
            granted_at: String::new(),
        }
    }

    fn commune() -> Principal {
        Principal {
            account_id: "a".into(),
            username: "u".into(),
            unit_codes: vec!["XA_1".into()],
            roles: vec![Role::IntakeOfficer],
        }
    }

    #[test]
    fn cluster_columns_must_be_fields() {
        let mut d = dataset();
        d.cluster_by = vec!["ma_xa".into()];
        assert!(validate_dataset(&d).is_empty(), "{:?}", validate_dataset(&d));
        d.cluster_by = vec!["ma_xa".into(), "khong_co".into()];
        let problems = validate_dataset(&d);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "unknown_cluster_field");
        assert_eq!(problems[0].field.as_deref(), Some("cluster_by[1]"));
        d.cluster_by = vec!["ma_xa".into(); 4];
        assert!(
            validate_dataset(&d)
                .iter()
                .any(|p| p.code == "too_many_cluster_columns")
        );
    }

    #[test]
    fn deny_by_default() {
        assert_eq!(decide(&dataset(), &[], &commune(), "thong_ke"), None);
        let other = grant(Grantee::Unit("XA_2".into()), "thong_ke", RowScope::All);
        assert_eq!(decide(&dataset(), &[other], &commune(), "thong_ke"), None);
    }

    #[test]
    fn own_rows_masked_unless_the_purpose_allows() {
        let g = grant(Grantee::Unit("XA_1".into()), "giai_quyet_tthc", RowScope::OwnUnit);
        let a = decide(&dataset(), std::slice::from_ref(&g), &commune(), "thong_ke").unwrap();
        assert_eq!(a.masked, vec!["cccd".to_string()]);
        assert_eq!(a.row_filter, Some(("ma_xa".into(), vec!["XA_1".into()])));
        let a = decide(&dataset(), &[g], &commune(), "giai_quyet_tthc").unwrap();
        assert!(a.masked.is_empty());
        // A statistics grant never unmasks, whatever the query says.
        let g = grant(Grantee::Role(Role::IntakeOfficer), "thong_ke", RowScope::All);
        let a = decide(&dataset(), &[g], &commune(), "thong_ke").unwrap();
        assert_eq!(a.masked, vec!["cccd".to_string()]);
        assert_eq!(a.row_filter, None);
    }

    #[test]
    fn owner_sees_all_rows_masked() {
        let mut p = commune();
        p.unit_codes = vec!["SO_Y_TE".into()];
        let a = decide(&dataset(), &[], &p, "thong_ke").unwrap();
        assert_eq!(a.row_filter, None);
        assert_eq!(a.masked, vec!["cccd".to_string()]);
    }

    #[test]
    fn masks_keep_four_characters() {
        assert_eq!(mask("001099012345"), "0010********");
        assert_eq!(mask("abc"), "***");
        assert_eq!(mask("false"), "*****");
        assert_eq!(mask("Nguyễn Văn A"), "Nguy********");
    }

    #[test]
    fn validation_lists_every_problem() {
        let mut d = dataset();
        d.name = "Hộ nghèo".into();
        d.fields.push(d.fields[0].clone());
        d.key = vec!["nope".into()];
        d.open_data = true;
        let codes: Vec<String> = validate_dataset(&d).into_iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            vec![
                "invalid_dataset_name",
                "duplicate_field",
                "unknown_key_field",
                "open_data_licence"
            ]
        );
        assert!(validate_dataset(&dataset()).is_empty());
    }
}
