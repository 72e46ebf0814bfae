//! E-forms: the fields an applicant fills in for an administrative procedure.
//!
//! Each procedure carries an e-form definition, a JSON Schema (draft 2020-12) object whose
//! `properties` are the fields. Every field has a Vietnamese label in the standard `title`
//! keyword and may have an English one in `x-title-en`. Two further optional annotations are
//! read: `x-order` (an integer that orders fields for printing and error reports, since
//! `serde_json` keeps object keys sorted unless its `preserve_order` feature is on) and
//! `description` / `x-description-en` (a hint appended to a `pattern` error, e.g. "10 or 13
//! digits").
//!
//! Design:
//! - Validation itself is done by the `jsonschema` crate; this module only checks that a
//!   definition is usable as a form ([`check_schema`]), compiles it once ([`EForm::compile`])
//!   and turns the crate's error kinds into stable snake_case codes with plain-language
//!   messages in Vietnamese and English ([`FieldError`]).
//! - Nothing is ever fetched: any `$ref` that is not local to the document (`#…`) is refused
//!   before compiling, and the compiler is additionally set `offline()`.
//! - Format checking is switched on explicitly (2020-12 treats `format` as an annotation by
//!   default). Besides the built-in `date`, `date-time` and `email`, two Vietnamese formats are
//!   registered: `cccd` (citizen ID, exactly 12 digits) and `phone-vn` (10 digits starting with
//!   0, or +84 and 9 digits). A format the validator does not know is refused at check time
//!   rather than silently ignored.
//! - Paths are reported as dotted paths (`applicant.address.ward`, `children[0].name`); a
//!   missing required property is reported on the property itself. Errors are ordered by the
//!   position of their field in the schema (`x-order`, then key order), then deterministically.
//! - [`standard_form`] builds realistic definitions from a catalogue of common fields
//!   ([`StandardField`]), for the demo-data generator and for procedures without a custom form.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, JsonType, ValidationError, ValidationOptions, Validator};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The only JSON Schema dialect accepted for e-forms.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Formats registered by this module on top of the validator's built-in ones.
pub const CUSTOM_FORMATS: &[&str] = &["cccd", "phone-vn"];

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// Why an e-form definition cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("[{code}] {message_en} / {message_vi}")]
pub struct SchemaProblem {
    /// Stable snake_case code: `not_an_object`, `unsupported_dialect`, `remote_ref`,
    /// `invalid_schema`, `not_object_type`, `missing_properties`, `missing_title`,
    /// `bad_annotation`, `unknown_format`.
    pub code: String,
    /// JSON pointer into the schema where the problem sits ("" for the root).
    pub location: String,
    /// Message in Vietnamese.
    pub message_vi: String,
    /// Message in English.
    pub message_en: String,
}

impl SchemaProblem {
    fn new(code: &str, location: &str, message_vi: String, message_en: String) -> Self {
        SchemaProblem {
            code: code.to_string(),
            location: location.to_string(),
            message_vi,
            message_en,
        }
    }
}

/// One problem with the data an applicant submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Dotted path of the field at fault (`applicant.address.ward`, `children[0].name`);
    /// empty for the form as a whole.
    pub field: String,
    /// Stable snake_case code: `required`, `type`, `min_length`, `max_length`, `pattern`,
    /// `format`, `enum`, `const`, `minimum`, `maximum`, `multiple_of`, `min_items`,
    /// `max_items`, `unique_items`, `additional_property`, `not_allowed`, `invalid`.
    pub code: String,
    /// Message in Vietnamese.
    pub message_vi: String,
    /// Message in English.
    pub message_en: String,
}

/// A leaf field of a form: dotted path (`[]` for "every item of this list"), Vietnamese label
/// and English label when the schema gives one.
pub type FieldTitle = (String, String, Option<String>);

/// A compiled e-form definition: check and compile once, validate many submissions.
#[derive(Clone)]
pub struct EForm {
    schema: Value,
    validator: Validator,
}

impl std::fmt::Debug for EForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EForm")
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Checking and compiling a definition
// ---------------------------------------------------------------------------------------------

/// Check that `schema` is a usable e-form definition: a valid JSON Schema 2020-12 object of
/// `"type": "object"` with at least one field in `properties`, every field labelled with a
/// `title`, only local `$ref`s and only formats the validator knows.
pub fn check_schema(schema: &Value) -> Result<(), SchemaProblem> {
    check_and_build(schema).map(|_| ())
}

impl EForm {
    /// Check `schema` (see [`check_schema`]) and compile it for validation.
    pub fn compile(schema: &Value) -> Result<EForm, SchemaProblem> {
        let validator = check_and_build(schema)?;
        Ok(EForm {
            schema: schema.clone(),
            validator,
        })
    }

    /// The definition this form was compiled from.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// Whether `data` satisfies the form, without building messages.
    pub fn is_valid(&self, data: &Value) -> bool {
        self.validator.is_valid(data)
    }

    /// Validate submitted `data`, returning every problem found, ordered by field position.
    pub fn validate(&self, data: &Value) -> Result<(), Vec<FieldError>> {
        let mut keyed: Vec<(SortKey, FieldError)> = Vec::new();
        for error in self.validator.iter_errors(data) {
            for (segs, field_error) in self.describe(&error, data) {
                if !keyed.iter().any(|(_, e)| *e == field_error) {
                    keyed.push((sort_key(&self.schema, &segs), field_error));
                }
            }
        }
        if keyed.is_empty() {
            return Ok(());
        }
        // Stable: ties keep the validator's (deterministic) order.
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        Err(keyed.into_iter().map(|(_, e)| e).collect())
    }

    /// The leaf fields of this form, in display order (see [`field_titles`]).
    pub fn field_titles(&self) -> Vec<FieldTitle> {
        field_titles(&self.schema)
    }
}

fn options() -> ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("cccd", is_cccd)
        .with_format("phone-vn", is_phone_vn)
        .offline()
}

fn check_and_build(schema: &Value) -> Result<Validator, SchemaProblem> {
    let Value::Object(root) = schema else {
        return Err(SchemaProblem::new(
            "not_an_object",
            "",
            "Định nghĩa biểu mẫu phải là một đối tượng JSON Schema (dạng {…}) có \"type\": \"object\".".to_string(),
            "An e-form definition must be a JSON Schema object ({…}) with \"type\": \"object\".".to_string(),
        ));
    };

    if let Some(declared) = root.get("$schema") {
        let ok = declared.as_str().is_some_and(|s| s.trim_end_matches('#') == DIALECT);
        if !ok {
            let shown = declared.as_str().map_or_else(|| declared.to_string(), str::to_string);
            return Err(SchemaProblem::new(
                "unsupported_dialect",
                "/$schema",
                format!(
                    "Định nghĩa biểu mẫu khai báo $schema «{shown}»; hệ thống chỉ hỗ trợ JSON Schema bản 2020-12 ({DIALECT})."
                ),
                format!(
                    "The e-form definition declares $schema “{shown}”; only JSON Schema 2020-12 ({DIALECT}) is supported."
                ),
            ));
        }
    }

    // Refuse external references before the compiler could try to resolve them.
    walk_schema(schema, "", None, &mut |node, ptr, _| check_refs(node, ptr))?;

    let options = options();
    let validator = options.build(schema).map_err(|e| invalid_schema(&e))?;

    if root.get("type").and_then(Value::as_str) != Some("object") {
        return Err(SchemaProblem::new(
            "not_object_type",
            "/type",
            "Định nghĩa biểu mẫu phải có \"type\": \"object\" ở cấp cao nhất, vì dữ liệu nộp vào là một tập hợp các trường."
                .to_string(),
            "The e-form definition must have \"type\": \"object\" at the top level, since a submission is a set of fields."
                .to_string(),
        ));
    }
    if root
        .get("properties")
        .and_then(Value::as_object)
        .is_none_or(|p| p.is_empty())
    {
        return Err(SchemaProblem::new(
            "missing_properties",
            "/properties",
            "Định nghĩa biểu mẫu phải liệt kê các trường trong \"properties\" (ít nhất một trường).".to_string(),
            "The e-form definition must list its fields in \"properties\" (at least one field).".to_string(),
        ));
    }

    walk_schema(schema, "", None, &mut |node, ptr, parent| {
        check_node(&options, node, ptr, parent)
    })?;
    Ok(validator)
}

fn invalid_schema(e: &ValidationError<'_>) -> SchemaProblem {
    let location = e.instance_path().as_str().to_string();
    let (where_vi, where_en) = where_in_schema(&location);
    SchemaProblem::new(
        "invalid_schema",
        &location,
        format!("Định nghĩa biểu mẫu không phải là JSON Schema 2020-12 hợp lệ ({where_vi}): {e}."),
        format!("The e-form definition is not a valid JSON Schema 2020-12 ({where_en}): {e}."),
    )
}

fn where_in_schema(ptr: &str) -> (String, String) {
    if ptr.is_empty() {
        ("ở cấp cao nhất".to_string(), "at the top level".to_string())
    } else {
        (format!("tại «{ptr}»"), format!("at “{ptr}”"))
    }
}

fn check_refs(node: &Map<String, Value>, ptr: &str) -> Result<(), SchemaProblem> {
    for keyword in ["$ref", "$dynamicRef", "$recursiveRef"] {
        if let Some(Value::String(target)) = node.get(keyword)
            && !target.starts_with('#')
        {
            let location = format!("{ptr}/{}", escape_pointer(keyword));
            let (where_vi, where_en) = where_in_schema(&location);
            return Err(SchemaProblem::new(
                "remote_ref",
                &location,
                format!(
                    "Định nghĩa biểu mẫu tham chiếu tới lược đồ bên ngoài «{target}» ({where_vi}). Hệ thống không tải lược đồ từ mạng hay từ tệp: hãy chép phần định nghĩa đó vào \"$defs\" của chính biểu mẫu và dùng \"$ref\": \"#/$defs/…\"."
                ),
                format!(
                    "The e-form definition refers to an external schema “{target}” ({where_en}). Schemas are never fetched from the network or from files: copy that definition into the form's own \"$defs\" and use \"$ref\": \"#/$defs/…\"."
                ),
            ));
        }
    }
    Ok(())
}

fn check_node(
    options: &ValidationOptions<'static>,
    node: &Map<String, Value>,
    ptr: &str,
    parent: Option<&str>,
) -> Result<(), SchemaProblem> {
    let key = last_token(ptr);
    let (where_vi, where_en) = where_in_schema(ptr);

    if parent == Some("properties") {
        let titled = node
            .get("title")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.trim().is_empty());
        if !titled {
            return Err(SchemaProblem::new(
                "missing_title",
                ptr,
                format!(
                    "Trường «{key}» ({where_vi}) chưa có nhãn tiếng Việt: hãy thêm \"title\", ví dụ \"title\": \"Họ và tên\"."
                ),
                format!(
                    "The field “{key}” ({where_en}) has no Vietnamese label: add a \"title\", e.g. \"title\": \"Họ và tên\"."
                ),
            ));
        }
    }

    for annotation in ["x-title-en", "x-description-en"] {
        if let Some(v) = node.get(annotation)
            && v.as_str().is_none_or(|s| s.trim().is_empty())
        {
            return Err(SchemaProblem::new(
                "bad_annotation",
                &format!("{ptr}/{annotation}"),
                format!("«{annotation}» ({where_vi}) phải là một chuỗi văn bản không rỗng."),
                format!("“{annotation}” ({where_en}) must be a non-empty string."),
            ));
        }
    }
    if let Some(v) = node.get("x-order")
        && !v.is_i64()
    {
        return Err(SchemaProblem::new(
            "bad_annotation",
            &format!("{ptr}/x-order"),
            format!("«x-order» ({where_vi}) phải là một số nguyên."),
            format!("“x-order” ({where_en}) must be an integer."),
        ));
    }

    if let Some(Value::String(format)) = node.get("format")
        && !options.is_known_format(Draft::Draft202012, format)
    {
        return Err(SchemaProblem::new(
            "unknown_format",
            &format!("{ptr}/format"),
            format!(
                "Định dạng «{format}» ({where_vi}) không được hệ thống hỗ trợ nên không thể kiểm tra. Các định dạng thường dùng: date, date-time, email, cccd, phone-vn."
            ),
            format!(
                "The format “{format}” ({where_en}) is not supported, so it could not be checked. Common formats: date, date-time, email, cccd, phone-vn."
            ),
        ));
    }
    Ok(())
}

/// Keywords whose value is one subschema.
const SINGLE_SCHEMA: &[&str] = &[
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "additionalItems",
];
/// Keywords whose value is an array of subschemas.
const ARRAY_OF_SCHEMAS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to subschemas.
const MAP_OF_SCHEMAS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Called with each subschema, its JSON pointer and the keyword it hangs from.
type SchemaVisitor<'a, 'f> = dyn FnMut(&'a Map<String, Value>, &str, Option<&str>) -> Result<(), SchemaProblem> + 'f;

/// Visit every object subschema of `node` (keyword-aware, so property names and `const` /
/// `enum` / `default` values are never mistaken for schemas). `parent` is the keyword the
/// node hangs from.
fn walk_schema<'a>(
    node: &'a Value,
    ptr: &str,
    parent: Option<&str>,
    visit: &mut SchemaVisitor<'a, '_>,
) -> Result<(), SchemaProblem> {
    let Value::Object(obj) = node else {
        return Ok(());
    };
    visit(obj, ptr, parent)?;
    for (keyword, sub) in obj {
        let here = format!("{ptr}/{}", escape_pointer(keyword));
        let kw = keyword.as_str();
        if SINGLE_SCHEMA.contains(&kw) || (kw == "items" && sub.is_object()) {
            walk_schema(sub, &here, Some(kw), visit)?;
        } else if ARRAY_OF_SCHEMAS.contains(&kw) || kw == "items" {
            if let Value::Array(items) = sub {
                for (i, item) in items.iter().enumerate() {
                    walk_schema(item, &format!("{here}/{i}"), Some(kw), visit)?;
                }
            }
        } else if MAP_OF_SCHEMAS.contains(&kw)
            && let Value::Object(map) = sub
        {
            for (name, item) in map {
                walk_schema(item, &format!("{here}/{}", escape_pointer(name)), Some(kw), visit)?;
            }
        }
    }
    Ok(())
}

fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn last_token(ptr: &str) -> String {
    unescape_pointer(ptr.rsplit('/').next().unwrap_or(""))
}

// ---------------------------------------------------------------------------------------------
// Custom formats
// ---------------------------------------------------------------------------------------------

/// Vietnamese citizen ID (số định danh cá nhân / CCCD): exactly 12 ASCII digits.
fn is_cccd(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Vietnamese phone number: `0` and 9 digits, or `+84` and 9 digits; the digit after the
/// trunk prefix is never 0 (no Vietnamese number starts with 00 or +840).
fn is_phone_vn(s: &str) -> bool {
    let rest = if let Some(rest) = s.strip_prefix("+84") {
        rest
    } else if let Some(rest) = s.strip_prefix('0') {
        rest
    } else {
        return false;
    };
    rest.len() == 9 && rest.bytes().all(|b| b.is_ascii_digit()) && !rest.starts_with('0')
}

// ---------------------------------------------------------------------------------------------
// Paths and schema navigation
// ---------------------------------------------------------------------------------------------

/// One step of an instance path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Split a JSON pointer into steps, using the data to tell array indexes from object keys
/// that happen to be numeric.
fn segments(pointer: &str, data: &Value) -> Vec<Seg> {
    let mut out = Vec::new();
    if pointer.is_empty() {
        return out;
    }
    let mut current = Some(data);
    for raw in pointer.strip_prefix('/').unwrap_or(pointer).split('/') {
        let token = unescape_pointer(raw);
        let seg = match (current, token.parse::<usize>()) {
            (Some(Value::Array(_)), Ok(i)) => Seg::Index(i),
            _ => Seg::Key(token),
        };
        current = match (&seg, current) {
            (Seg::Key(k), Some(Value::Object(m))) => m.get(k),
            (Seg::Index(i), Some(Value::Array(a))) => a.get(*i),
            _ => None,
        };
        out.push(seg);
    }
    out
}

fn dotted(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}

/// Follow local `$ref`s (`#` and `#/…` pointers) from `node`.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some("#") => node = root,
            Some(r) if r.starts_with("#/") => match root.pointer(&r[1..]) {
                Some(target) => node = target,
                None => break,
            },
            _ => break,
        }
    }
    node
}

/// A string annotation of a schema node, looked up on the node first, then on its `$ref`.
fn annotation<'a>(root: &'a Value, node: &'a Value, key: &str) -> Option<&'a str> {
    node.get(key)
        .and_then(Value::as_str)
        .or_else(|| resolve(root, node).get(key).and_then(Value::as_str))
        .filter(|s| !s.trim().is_empty())
}

/// The properties of a schema node, in display order: `x-order` first, then key order.
fn ordered_properties<'a>(root: &'a Value, node: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let Some(Value::Object(props)) = resolve(root, node).get("properties") else {
        return Vec::new();
    };
    let mut v: Vec<(usize, &String, &Value)> = props.iter().enumerate().map(|(i, (k, s))| (i, k, s)).collect();
    v.sort_by_key(|(i, _, s)| (s.get("x-order").and_then(Value::as_i64).unwrap_or(i64::MAX), *i));
    v.into_iter().map(|(_, k, s)| (k.as_str(), s)).collect()
}

/// The subschema one step below `node`.
fn child<'a>(root: &'a Value, node: &'a Value, seg: &Seg) -> Option<&'a Value> {
    let node = resolve(root, node);
    match seg {
        Seg::Key(k) => node.get("properties").and_then(|p| p.get(k)),
        Seg::Index(i) => {
            if let Some(prefix) = node.get("prefixItems").and_then(Value::as_array)
                && let Some(s) = prefix.get(*i)
            {
                return Some(s);
            }
            match node.get("items") {
                Some(Value::Array(items)) => items.get(*i),
                Some(items @ Value::Object(_)) => Some(items),
                _ => None,
            }
        }
    }
}

/// The subschema for each prefix of `segs` (`result[j]` is the schema of `segs[..=j]`).
fn schemas_along<'a>(root: &'a Value, segs: &[Seg]) -> Vec<Option<&'a Value>> {
    let mut out = Vec::with_capacity(segs.len());
    let mut current = Some(root);
    for seg in segs {
        current = current.and_then(|node| child(root, node, seg));
        out.push(current);
    }
    out
}

type SortKey = Vec<(usize, String)>;

/// Orders fields by their position in the schema; unknown keys go last, by name.
fn sort_key(root: &Value, segs: &[Seg]) -> SortKey {
    let mut key = Vec::with_capacity(segs.len());
    let mut current = Some(root);
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                let rank = current
                    .and_then(|node| ordered_properties(root, node).iter().position(|(name, _)| name == k))
                    .unwrap_or(usize::MAX);
                key.push((rank, k.clone()));
            }
            Seg::Index(i) => key.push((*i, String::new())),
        }
        current = current.and_then(|node| child(root, node, seg));
    }
    key
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/// How a field is named in messages: already quoted («…» / “…”), or a phrase for the form.
struct Label {
    vi: String,
    en: String,
}

impl Label {
    fn vi_cap(&self) -> String {
        capitalise(&self.vi)
    }
    fn en_cap(&self) -> String {
        capitalise(&self.en)
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl EForm {
    /// Name the field at `segs` by its titles, with the list position when inside a list.
    fn label(&self, segs: &[Seg]) -> Label {
        let root = &self.schema;
        if segs.is_empty() {
            return Label {
                vi: "dữ liệu biểu mẫu".to_string(),
                en: "the form data".to_string(),
            };
        }
        let schemas = schemas_along(root, segs);
        // (vi, en) title of the node at segs[..=j]; falls back to its key or path.
        let titles = |j: usize| -> (String, String) {
            let fallback = match &segs[j] {
                Seg::Key(k) => k.clone(),
                Seg::Index(_) => dotted(&segs[..=j]),
            };
            let vi = schemas[j].and_then(|s| annotation(root, s, "title"));
            let en = schemas[j].and_then(|s| annotation(root, s, "x-title-en"));
            let vi = vi.map_or(fallback, str::to_string);
            let en = en.map_or_else(|| vi.clone(), str::to_string);
            (vi, en)
        };

        let last = segs.len() - 1;
        let (mut vi, mut en, mut context_from) = match &segs[last] {
            Seg::Key(_) => {
                let (vi, en) = titles(last);
                (format!("«{vi}»"), format!("“{en}”"), last)
            }
            Seg::Index(i) if last > 0 => {
                let (vi, en) = titles(last - 1);
                (
                    format!("«{vi}» (mục {})", i + 1),
                    format!("“{en}” (item {})", i + 1),
                    last - 1,
                )
            }
            Seg::Index(i) => (format!("mục {}", i + 1), format!("item {}", i + 1), 0),
        };
        // Enclosing list items, innermost first.
        while context_from > 0 {
            context_from -= 1;
            if let Seg::Index(i) = segs[context_from] {
                if context_from == 0 {
                    vi.push_str(&format!(" (mục {})", i + 1));
                    en.push_str(&format!(" (item {})", i + 1));
                } else {
                    let (list_vi, list_en) = titles(context_from - 1);
                    vi.push_str(&format!(" (mục {} của «{list_vi}»)", i + 1));
                    en.push_str(&format!(" (item {} of “{list_en}”)", i + 1));
                }
            }
        }
        Label { vi, en }
    }

    /// Turn one validator error into field errors (several for unexpected properties).
    fn describe(&self, error: &ValidationError<'_>, data: &Value) -> Vec<(Vec<Seg>, FieldError)> {
        let segs = segments(error.instance_path().as_str(), data);
        let at = |segs: Vec<Seg>, code: &str, vi: String, en: String| {
            let field = dotted(&segs);
            (
                segs,
                FieldError {
                    field,
                    code: code.to_string(),
                    message_vi: vi,
                    message_en: en,
                },
            )
        };

        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().map_or_else(|| property.to_string(), str::to_string);
                let mut segs = segs;
                segs.push(Seg::Key(name));
                let l = self.label(&segs);
                let (vi, en) = (
                    format!("Trường {} là bắt buộc.", l.vi),
                    format!("The field {} is required.", l.en),
                );
                vec![at(segs, "required", vi, en)]
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected
                .iter()
                .map(|name| {
                    let mut segs = segs.clone();
                    segs.push(Seg::Key(name.clone()));
                    let shown = dotted(&segs);
                    at(
                        segs,
                        "additional_property",
                        format!("Trường «{shown}» không có trong biểu mẫu này."),
                        format!("The field “{shown}” is not part of this form."),
                    )
                })
                .collect(),
            kind => {
                let l = self.label(&segs);
                let node = schemas_along(&self.schema, &segs).last().copied().flatten();
                let node = if segs.is_empty() { Some(&self.schema) } else { node };
                let empty = error.instance().as_str() == Some("");
                let (code, vi, en) = self.message(kind, &l, node, empty);
                vec![at(segs, code, vi, en)]
            }
        }
    }

    /// Code and messages for the error kinds that concern the value at the path itself.
    /// `empty` says the value is an empty string. Messages never repeat the submitted value.
    fn message(
        &self,
        kind: &ValidationErrorKind,
        l: &Label,
        node: Option<&Value>,
        empty: bool,
    ) -> (&'static str, String, String) {
        let (lv, le) = (l.vi_cap(), l.en_cap());
        match kind {
            ValidationErrorKind::Type { kind } => {
                let types: Vec<JsonType> = match kind {
                    TypeKind::Single(t) => vec![*t],
                    TypeKind::Multiple(set) => set.iter().collect(),
                };
                let vi = types.iter().map(|t| type_vi(*t)).collect::<Vec<_>>().join(" hoặc ");
                let en = types.iter().map(|t| type_en(*t)).collect::<Vec<_>>().join(" or ");
                ("type", format!("{lv} phải là {vi}."), format!("{le} must be {en}."))
            }
            ValidationErrorKind::MinLength { limit } if *limit == 1 || empty => (
                "min_length",
                format!("{lv} không được để trống."),
                format!("{le} must not be empty."),
            ),
            ValidationErrorKind::MinLength { limit } => (
                "min_length",
                format!("{lv} phải có ít nhất {limit} ký tự."),
                format!("{le} must be at least {limit} characters long."),
            ),
            ValidationErrorKind::MaxLength { limit } => (
                "max_length",
                format!("{lv} chỉ được có tối đa {limit} ký tự."),
                format!("{le} must be at most {limit} characters long."),
            ),
            ValidationErrorKind::Pattern { .. } => {
                let hint_vi = node.and_then(|n| annotation(&self.schema, n, "description"));
                let hint_en = node.and_then(|n| annotation(&self.schema, n, "x-description-en"));
                (
                    "pattern",
                    with_hint(format!("{lv} không đúng định dạng."), hint_vi),
                    with_hint(format!("{le} is not in the expected format."), hint_en.or(hint_vi)),
                )
            }
            ValidationErrorKind::Format { format } => {
                let (hint_vi, hint_en) = format_hint(format);
                (
                    "format",
                    format!("{lv} không đúng định dạng. {hint_vi}"),
                    format!("{le} is not in the expected format. {hint_en}"),
                )
            }
            ValidationErrorKind::Enum { options } => {
                let listed = options
                    .as_array()
                    .filter(|o| o.len() <= 12)
                    .map(|o| o.iter().map(value_shown).collect::<Vec<_>>().join(", "));
                match listed {
                    Some(list) => (
                        "enum",
                        format!("{lv} phải là một trong các giá trị: {list}."),
                        format!("{le} must be one of: {list}."),
                    ),
                    None => (
                        "enum",
                        format!("{lv} không phải là một giá trị được chấp nhận."),
                        format!("{le} is not one of the accepted values."),
                    ),
                }
            }
            ValidationErrorKind::Constant { expected_value } => {
                let v = value_shown(expected_value);
                (
                    "const",
                    format!("{lv} phải có giá trị {v}."),
                    format!("{le} must be {v}."),
                )
            }
            ValidationErrorKind::Minimum { limit } => (
                "minimum",
                format!("{lv} phải lớn hơn hoặc bằng {}.", number_vi(limit)),
                format!("{le} must be at least {limit}."),
            ),
            ValidationErrorKind::ExclusiveMinimum { limit } => (
                "minimum",
                format!("{lv} phải lớn hơn {}.", number_vi(limit)),
                format!("{le} must be greater than {limit}."),
            ),
            ValidationErrorKind::Maximum { limit } => (
                "maximum",
                format!("{lv} phải nhỏ hơn hoặc bằng {}.", number_vi(limit)),
                format!("{le} must be at most {limit}."),
            ),
            ValidationErrorKind::ExclusiveMaximum { limit } => (
                "maximum",
                format!("{lv} phải nhỏ hơn {}.", number_vi(limit)),
                format!("{le} must be less than {limit}."),
            ),
            ValidationErrorKind::MultipleOf { .. } => {
                // Read from the schema: the kind's payload type depends on crate features.
                let m = node.map(|n| resolve(&self.schema, n)).and_then(|n| n.get("multipleOf"));
                let m = m.map_or_else(String::new, Value::to_string);
                (
                    "multiple_of",
                    format!("{lv} phải là bội số của {}.", m.replace('.', ",")),
                    format!("{le} must be a multiple of {m}."),
                )
            }
            ValidationErrorKind::MinItems { limit } => (
                "min_items",
                format!("{lv} phải có ít nhất {limit} mục."),
                if *limit == 1 {
                    format!("{le} must have at least one item.")
                } else {
                    format!("{le} must have at least {limit} items.")
                },
            ),
            ValidationErrorKind::MaxItems { limit } => (
                "max_items",
                format!("{lv} chỉ được có tối đa {limit} mục."),
                format!("{le} must have at most {limit} items."),
            ),
            ValidationErrorKind::UniqueItems => (
                "unique_items",
                format!("{lv} có các mục bị trùng nhau."),
                format!("{le} contains duplicate items."),
            ),
            ValidationErrorKind::FalseSchema => (
                "not_allowed",
                format!("Không được điền {}.", l.vi),
                format!("{le} must not be filled in."),
            ),
            _ => ("invalid", format!("{lv} không hợp lệ."), format!("{le} is not valid.")),
        }
    }
}

fn with_hint(message: String, hint: Option<&str>) -> String {
    match hint {
        Some(h) => format!("{message} {}", ensure_full_stop(h)),
        None => message,
    }
}

fn ensure_full_stop(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?', ')']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

fn format_hint(format: &str) -> (String, String) {
    let (vi, en) = match format {
        "date" => (
            "Hãy nhập một ngày có thật theo dạng năm-tháng-ngày, ví dụ 1990-05-31.",
            "Enter a real date as year-month-day, for example 1990-05-31.",
        ),
        "date-time" => (
            "Hãy nhập ngày giờ theo dạng năm-tháng-ngàyTgiờ:phút:giây kèm múi giờ, ví dụ 2024-05-31T08:30:00+07:00.",
            "Enter a date and time with its time zone, for example 2024-05-31T08:30:00+07:00.",
        ),
        "email" => (
            "Hãy nhập một địa chỉ thư điện tử hợp lệ, ví dụ nguyenvana@example.com.",
            "Enter a valid email address, for example nguyenvana@example.com.",
        ),
        "cccd" => (
            "Số căn cước công dân gồm đúng 12 chữ số, ví dụ 001090012345.",
            "A citizen ID number has exactly 12 digits, for example 001090012345.",
        ),
        "phone-vn" => (
            "Số điện thoại gồm 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678), hoặc +84 và 9 chữ số (ví dụ +84912345678).",
            "A phone number has 10 digits starting with 0 (e.g. 0912345678), or +84 followed by 9 digits (e.g. +84912345678).",
        ),
        other => {
            return (
                format!("Giá trị cần theo định dạng «{other}»."),
                format!("The value must be in the “{other}” format."),
            );
        }
    };
    (vi.to_string(), en.to_string())
}

fn type_vi(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "giá trị rỗng (null)",
        JsonType::Boolean => "giá trị đúng/sai",
        JsonType::Integer => "số nguyên",
        JsonType::Number => "số",
        JsonType::String => "văn bản",
        JsonType::Array => "danh sách",
        JsonType::Object => "một nhóm thông tin",
    }
}

fn type_en(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "empty (null)",
        JsonType::Boolean => "true or false",
        JsonType::Integer => "a whole number",
        JsonType::Number => "a number",
        JsonType::String => "text",
        JsonType::Array => "a list",
        JsonType::Object => "a group of fields",
    }
}

/// A value as shown to a person: strings without quotes, anything else as JSON.
fn value_shown(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// A number written the Vietnamese way (decimal comma).
fn number_vi(v: &Value) -> String {
    v.to_string().replace('.', ",")
}

// ---------------------------------------------------------------------------------------------
// Field listing
// ---------------------------------------------------------------------------------------------

/// The leaf fields of a form definition, in display order (`x-order`, then key order), as
/// (dotted path, Vietnamese title, English title). Groups (objects with `properties`) are
/// entered rather than listed; the fields of list items appear as `list[].field`. A field
/// without a title is listed under its key.
pub fn field_titles(schema: &Value) -> Vec<FieldTitle> {
    let mut walk = TitleWalk {
        open: Vec::new(),
        visits: 0,
        out: Vec::new(),
    };
    walk.collect(schema, schema, "");
    walk.out
}

/// Most properties [`field_titles`] looks at for one definition. A definition that refers to
/// the same groups over and over (each level twice to the next: 2^n paths) stops there
/// instead of taking exponential time.
const MAX_TITLE_VISITS: usize = 10_000;

/// Deepest nesting of groups [`field_titles`] enters.
const MAX_TITLE_DEPTH: usize = 32;

struct TitleWalk<'a> {
    /// The groups being entered, outermost first: a group that refers back to one of them
    /// (a recursive definition) is listed as a field rather than entered again.
    open: Vec<&'a Value>,
    visits: usize,
    out: Vec<FieldTitle>,
}

impl<'a> TitleWalk<'a> {
    fn collect(&mut self, root: &'a Value, node: &'a Value, prefix: &str) {
        if self.open.len() >= MAX_TITLE_DEPTH {
            return;
        }
        self.open.push(resolve(root, node));
        for (key, prop) in ordered_properties(root, node) {
            if self.visits >= MAX_TITLE_VISITS {
                break;
            }
            self.visits += 1;
            let path = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            };
            let resolved = resolve(root, prop);
            let items = resolved
                .get("items")
                .filter(|i| i.is_object())
                .map(|i| resolve(root, i));
            let group = if resolved.get("properties").is_some_and(Value::is_object) {
                Some((resolved, path.clone()))
            } else if let Some(items) = items
                && items.get("properties").is_some_and(Value::is_object)
            {
                Some((items, format!("{path}[]")))
            } else {
                None
            };
            match group {
                Some((group, group_path)) if !self.open.iter().any(|o| std::ptr::eq(*o, group)) => {
                    self.collect(root, group, &group_path);
                }
                _ => {
                    let vi = annotation(root, prop, "title").unwrap_or(key).to_string();
                    let en = annotation(root, prop, "x-title-en").map(str::to_string);
                    self.out.push((path, vi, en));
                }
            }
        }
        self.open.pop();
    }
}

// ---------------------------------------------------------------------------------------------
// Standard fields
// ---------------------------------------------------------------------------------------------

/// Fields that recur across Vietnamese administrative procedures, each with its key, labels
/// and constraints. Build a definition from them with [`standard_form`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardField {
    /// Họ và tên.
    FullName,
    /// Ngày sinh (date).
    DateOfBirth,
    /// Giới tính (Nam / Nữ).
    Gender,
    /// Số CCCD (12 digits).
    Cccd,
    /// Ngày cấp CCCD (date).
    CccdIssueDate,
    /// Số điện thoại (phone-vn).
    Phone,
    /// Thư điện tử (email).
    Email,
    /// Địa chỉ thường trú.
    PermanentAddress,
    /// Nơi ở hiện tại.
    CurrentAddress,
    /// Phường/Xã: name of the commune-level unit.
    Ward,
    /// Lý do, mục đích đề nghị (free text).
    Purpose,
    /// Tên doanh nghiệp/hộ kinh doanh.
    BusinessName,
    /// Mã số thuế: 10 digits, or 13 for a dependent unit (0101234567-001).
    TaxCode,
    /// Ngành, nghề kinh doanh.
    BusinessLine,
    /// Số thửa đất.
    LandParcelNumber,
    /// Số tờ bản đồ.
    MapSheetNumber,
    /// Diện tích đất (m², > 0).
    LandArea,
    /// Diện tích xây dựng (m², ≥ 0).
    ConstructionArea,
    /// Số tầng (1..=100).
    NumberOfFloors,
    /// Số bản đề nghị cấp (1..=20).
    NumberOfCopies,
    /// Hình thức nhận kết quả.
    DeliveryMethod,
}

impl StandardField {
    /// Every standard field, in a sensible display order.
    pub const ALL: [StandardField; 21] = [
        StandardField::FullName,
        StandardField::DateOfBirth,
        StandardField::Gender,
        StandardField::Cccd,
        StandardField::CccdIssueDate,
        StandardField::Phone,
        StandardField::Email,
        StandardField::PermanentAddress,
        StandardField::CurrentAddress,
        StandardField::Ward,
        StandardField::BusinessName,
        StandardField::TaxCode,
        StandardField::BusinessLine,
        StandardField::LandParcelNumber,
        StandardField::MapSheetNumber,
        StandardField::LandArea,
        StandardField::ConstructionArea,
        StandardField::NumberOfFloors,
        StandardField::Purpose,
        StandardField::NumberOfCopies,
        StandardField::DeliveryMethod,
    ];

    /// The property name in the form data.
    pub fn key(self) -> &'static str {
        match self {
            StandardField::FullName => "full_name",
            StandardField::DateOfBirth => "date_of_birth",
            StandardField::Gender => "gender",
            StandardField::Cccd => "cccd",
            StandardField::CccdIssueDate => "cccd_issue_date",
            StandardField::Phone => "phone",
            StandardField::Email => "email",
            StandardField::PermanentAddress => "permanent_address",
            StandardField::CurrentAddress => "current_address",
            StandardField::Ward => "ward",
            StandardField::Purpose => "purpose",
            StandardField::BusinessName => "business_name",
            StandardField::TaxCode => "tax_code",
            StandardField::BusinessLine => "business_line",
            StandardField::LandParcelNumber => "land_parcel_number",
            StandardField::MapSheetNumber => "map_sheet_number",
            StandardField::LandArea => "land_area",
            StandardField::ConstructionArea => "construction_area",
            StandardField::NumberOfFloors => "number_of_floors",
            StandardField::NumberOfCopies => "number_of_copies",
            StandardField::DeliveryMethod => "delivery_method",
        }
    }

    /// Vietnamese label.
    pub fn title_vi(self) -> &'static str {
        match self {
            StandardField::FullName => "Họ và tên",
            StandardField::DateOfBirth => "Ngày sinh",
            StandardField::Gender => "Giới tính",
            StandardField::Cccd => "Số CCCD",
            StandardField::CccdIssueDate => "Ngày cấp CCCD",
            StandardField::Phone => "Số điện thoại",
            StandardField::Email => "Thư điện tử",
            StandardField::PermanentAddress => "Địa chỉ thường trú",
            StandardField::CurrentAddress => "Nơi ở hiện tại",
            StandardField::Ward => "Phường/Xã",
            StandardField::Purpose => "Lý do, mục đích đề nghị",
            StandardField::BusinessName => "Tên doanh nghiệp/hộ kinh doanh",
            StandardField::TaxCode => "Mã số thuế",
            StandardField::BusinessLine => "Ngành, nghề kinh doanh",
            StandardField::LandParcelNumber => "Số thửa đất",
            StandardField::MapSheetNumber => "Số tờ bản đồ",
            StandardField::LandArea => "Diện tích đất (m²)",
            StandardField::ConstructionArea => "Diện tích xây dựng (m²)",
            StandardField::NumberOfFloors => "Số tầng",
            StandardField::NumberOfCopies => "Số bản đề nghị cấp",
            StandardField::DeliveryMethod => "Hình thức nhận kết quả",
        }
    }

    /// English label.
    pub fn title_en(self) -> &'static str {
        match self {
            StandardField::FullName => "Full name",
            StandardField::DateOfBirth => "Date of birth",
            StandardField::Gender => "Sex",
            StandardField::Cccd => "Citizen ID number",
            StandardField::CccdIssueDate => "Citizen ID issue date",
            StandardField::Phone => "Phone number",
            StandardField::Email => "Email address",
            StandardField::PermanentAddress => "Permanent address",
            StandardField::CurrentAddress => "Current address",
            StandardField::Ward => "Ward/commune",
            StandardField::Purpose => "Purpose of the request",
            StandardField::BusinessName => "Business name",
            StandardField::TaxCode => "Tax code",
            StandardField::BusinessLine => "Line of business",
            StandardField::LandParcelNumber => "Land parcel number",
            StandardField::MapSheetNumber => "Map sheet number",
            StandardField::LandArea => "Land area (m²)",
            StandardField::ConstructionArea => "Construction area (m²)",
            StandardField::NumberOfFloors => "Number of floors",
            StandardField::NumberOfCopies => "Number of copies requested",
            StandardField::DeliveryMethod => "How to receive the result",
        }
    }

    /// The property schema: labels plus type and constraints.
    pub fn schema(self) -> Value {
        let text = |min: u64, max: u64| json!({ "type": "string", "minLength": min, "maxLength": max });
        let date = || json!({ "type": "string", "format": "date" });
        let mut schema = match self {
            StandardField::FullName => text(2, 100),
            StandardField::DateOfBirth | StandardField::CccdIssueDate => date(),
            StandardField::Gender => json!({ "type": "string", "enum": ["Nam", "Nữ"] }),
            StandardField::Cccd => json!({ "type": "string", "format": "cccd" }),
            StandardField::Phone => json!({ "type": "string", "format": "phone-vn" }),
            StandardField::Email => {
                json!({ "type": "string", "format": "email", "maxLength": 254 })
            }
            StandardField::PermanentAddress | StandardField::CurrentAddress => text(5, 255),
            StandardField::Ward => text(1, 100),
            StandardField::Purpose => text(1, 2000),
            StandardField::BusinessName => text(1, 255),
            StandardField::BusinessLine => text(1, 500),
            StandardField::TaxCode => json!({
                "type": "string",
                "pattern": "^[0-9]{10}(-?[0-9]{3})?$",
                "description": "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (ví dụ 0101234567 hoặc 0101234567-001).",
                "x-description-en": "A tax code has 10 digits, or 13 for a dependent unit (e.g. 0101234567 or 0101234567-001).",
            }),
            StandardField::LandParcelNumber => json!({
                "type": "string",
                "pattern": "^[0-9]{1,6}$",
                "description": "Số thửa ghi trên giấy chứng nhận hoặc bản đồ địa chính, gồm 1 đến 6 chữ số.",
                "x-description-en": "The parcel number on the certificate or cadastral map: 1 to 6 digits.",
            }),
            StandardField::MapSheetNumber => json!({
                "type": "string",
                "pattern": "^[0-9]{1,4}$",
                "description": "Số tờ bản đồ địa chính, gồm 1 đến 4 chữ số.",
                "x-description-en": "The cadastral map sheet number: 1 to 4 digits.",
            }),
            StandardField::LandArea => json!({ "type": "number", "exclusiveMinimum": 0 }),
            StandardField::ConstructionArea => json!({ "type": "number", "minimum": 0 }),
            StandardField::NumberOfFloors => {
                json!({ "type": "integer", "minimum": 1, "maximum": 100 })
            }
            StandardField::NumberOfCopies => {
                json!({ "type": "integer", "minimum": 1, "maximum": 20 })
            }
            StandardField::DeliveryMethod => json!({
                "type": "string",
                "enum": [
                    "Nhận trực tiếp tại Bộ phận Một cửa",
                    "Qua dịch vụ bưu chính công ích",
                    "Nhận trực tuyến",
                ],
            }),
        };
        if let Value::Object(map) = &mut schema {
            map.insert("title".to_string(), Value::from(self.title_vi()));
            map.insert("x-title-en".to_string(), Value::from(self.title_en()));
        }
        schema
    }
}

/// Build an e-form definition from standard fields, each with whether it is required. Fields
/// keep the given order (through `x-order`); a field listed twice is taken once, first
/// occurrence winning. Unknown properties are refused (`additionalProperties: false`).
pub fn standard_form(fields: &[(StandardField, bool)]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (field, is_required) in fields {
        if properties.contains_key(field.key()) {
            continue;
        }
        let mut schema = field.schema();
        if let Value::Object(map) = &mut schema {
            map.insert("x-order".to_string(), Value::from(properties.len()));
        }
        properties.insert(field.key().to_string(), schema);
        if *is_required {
            required.push(Value::from(field.key()));
        }
    }
    json!({
        "$schema": DIALECT,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn person_form() -> EForm {
        EForm::compile(&standard_form(&[
            (StandardField::FullName, true),
            (StandardField::DateOfBirth, true),
            (StandardField::Cccd, true),
            (StandardField::Phone, true),
            (StandardField::Email, false),
            (StandardField::TaxCode, false),
            (StandardField::NumberOfCopies, false),
        ]))
        .expect("the standard form compiles")
    }

    fn valid_person() -> Value {
        json!({
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "1990-05-31",
            "cccd": "001090012345",
            "phone": "0912345678",
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data.as_object_mut().unwrap().insert(key.to_string(), value);
        data
    }

    fn errors(form: &EForm, data: &Value) -> Vec<FieldError> {
        form.validate(data).expect_err("the data should be refused")
    }

    fn codes_at(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn household_form() -> EForm {
        EForm::compile(&json!({
            "type": "object",
            "properties": {
                "applicant": {
                    "type": "object",
                    "title": "Người đề nghị",
                    "x-title-en": "Applicant",
                    "properties": {
                        "name": { "type": "string", "title": "Họ và tên", "x-title-en": "Full name" },
                        "address": {
                            "type": "object",
                            "title": "Địa chỉ",
                            "x-title-en": "Address",
                            "properties": {
                                "street": { "type": "string", "title": "Số nhà, đường", "x-title-en": "Street" },
                                "ward": { "type": "string", "title": "Phường/Xã", "x-title-en": "Ward/commune" }
                            },
                            "required": ["ward"]
                        }
                    },
                    "required": ["name", "address"]
                },
                "children": {
                    "type": "array",
                    "title": "Danh sách con",
                    "x-title-en": "Children",
                    "items": { "$ref": "#/$defs/child" }
                }
            },
            "required": ["applicant"],
            "$defs": {
                "child": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string", "title": "Họ và tên", "x-title-en": "Full name", "minLength": 1 },
                        "birth_date": { "type": "string", "format": "date", "title": "Ngày sinh", "x-title-en": "Date of birth" }
                    },
                    "required": ["name"]
                }
            }
        }))
        .expect("the household form compiles")
    }

    #[test]
    fn a_valid_form_passes() {
        let form = person_form();
        assert_eq!(form.validate(&valid_person()), Ok(()));
        let full = with(
            with(valid_person(), "email", json!("an@example.com")),
            "tax_code",
            json!("0101234567-001"),
        );
        assert_eq!(form.validate(&with(full, "number_of_copies", json!(3))), Ok(()));
        assert!(form.is_valid(&valid_person()));
    }

    #[test]
    fn a_missing_required_field_names_that_field() {
        let form = person_form();
        let mut data = valid_person();
        data.as_object_mut().unwrap().remove("full_name");
        let errs = errors(&form, &data);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field, "full_name");
        assert_eq!(errs[0].code, "required");
        assert_eq!(errs[0].message_vi, "Trường «Họ và tên» là bắt buộc.");
        assert_eq!(errs[0].message_en, "The field “Full name” is required.");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_reported_as_type() {
        let form = person_form();
        let errs = errors(&form, &with(valid_person(), "number_of_copies", json!("ba")));
        assert_eq!(codes_at(&errs), [("number_of_copies", "type")]);
        assert_eq!(errs[0].message_vi, "«Số bản đề nghị cấp» phải là số nguyên.");
        assert_eq!(
            errs[0].message_en,
            "“Number of copies requested” must be a whole number."
        );

        let errs = errors(&form, &with(valid_person(), "full_name", json!(42)));
        assert_eq!(codes_at(&errs), [("full_name", "type")]);
    }

    #[test]
    fn a_bad_cccd_is_refused_as_a_format_error() {
        let form = person_form();
        for bad in ["00109001234", "0010900123456", "00109001234a", "001 090 012 345", ""] {
            let errs = errors(&form, &with(valid_person(), "cccd", json!(bad)));
            assert_eq!(codes_at(&errs), [("cccd", "format")], "{bad:?}");
            assert!(
                errs[0].message_vi.starts_with("«Số CCCD» không đúng định dạng."),
                "{}",
                errs[0].message_vi
            );
            assert!(errs[0].message_vi.contains("12 chữ số"));
            assert!(errs[0].message_en.contains("“Citizen ID number”"));
        }
    }

    #[test]
    fn a_bad_phone_is_refused_and_good_ones_pass() {
        let form = person_form();
        for good in ["0912345678", "0243825678", "+84912345678"] {
            assert_eq!(
                form.validate(&with(valid_person(), "phone", json!(good))),
                Ok(()),
                "{good}"
            );
        }
        for bad in [
            "091234567",
            "09123456789",
            "912345678",
            "+8491234567",
            "+840912345678",
            "0012345678",
            "0912-345-678",
        ] {
            let errs = errors(&form, &with(valid_person(), "phone", json!(bad)));
            assert_eq!(codes_at(&errs), [("phone", "format")], "{bad}");
            assert!(errs[0].message_vi.starts_with("«Số điện thoại» không đúng định dạng."));
        }
    }

    #[test]
    fn a_bad_date_is_refused() {
        let form = person_form();
        for bad in ["31/05/1990", "1990-02-30", "1990-5-31", "hôm qua"] {
            let errs = errors(&form, &with(valid_person(), "date_of_birth", json!(bad)));
            assert_eq!(codes_at(&errs), [("date_of_birth", "format")], "{bad}");
            assert!(errs[0].message_vi.contains("năm-tháng-ngày"));
        }
        assert_eq!(
            form.validate(&with(valid_person(), "date_of_birth", json!("2000-02-29"))),
            Ok(())
        );
    }

    #[test]
    fn a_bad_email_and_a_bad_date_time_are_refused() {
        let form = person_form();
        let errs = errors(&form, &with(valid_person(), "email", json!("an.example.com")));
        assert_eq!(codes_at(&errs), [("email", "format")]);

        let form = EForm::compile(&json!({
            "type": "object",
            "properties": { "at": { "type": "string", "format": "date-time", "title": "Thời điểm hẹn" } }
        }))
        .unwrap();
        assert_eq!(form.validate(&json!({ "at": "2024-05-31T08:30:00+07:00" })), Ok(()));
        let errs = errors(&form, &json!({ "at": "2024-05-31 08:30" }));
        assert_eq!(codes_at(&errs), [("at", "format")]);
    }

    #[test]
    fn a_nested_object_error_uses_a_dotted_path_to_the_missing_property() {
        let form = household_form();
        let data = json!({ "applicant": { "name": "Trần Thị Bình", "address": { "street": "12 Lê Lợi" } } });
        let errs = errors(&form, &data);
        assert_eq!(codes_at(&errs), [("applicant.address.ward", "required")]);
        assert_eq!(errs[0].message_vi, "Trường «Phường/Xã» là bắt buộc.");
        assert_eq!(errs[0].message_en, "The field “Ward/commune” is required.");
    }

    #[test]
    fn an_array_item_error_uses_an_indexed_path_and_names_the_item() {
        let form = household_form();
        let data = json!({
            "applicant": { "name": "Trần Thị Bình", "address": { "ward": "Phường Bến Thành" } },
            "children": [ { "birth_date": "2015-01-01" }, { "name": "Lê Minh", "birth_date": "2015-13-01" } ]
        });
        let errs = errors(&form, &data);
        assert_eq!(
            codes_at(&errs),
            [("children[0].name", "required"), ("children[1].birth_date", "format")]
        );
        assert_eq!(
            errs[0].message_vi,
            "Trường «Họ và tên» (mục 1 của «Danh sách con») là bắt buộc."
        );
        assert_eq!(
            errs[0].message_en,
            "The field “Full name” (item 1 of “Children”) is required."
        );
    }

    #[test]
    fn several_errors_are_all_returned_in_field_order() {
        let form = person_form();
        let data = json!({
            "full_name": "A",
            "cccd": "123",
            "phone": "12345",
            "number_of_copies": 50,
            "nickname": "Bé Na",
        });
        let errs = errors(&form, &data);
        assert_eq!(
            codes_at(&errs),
            [
                ("full_name", "min_length"),
                ("date_of_birth", "required"),
                ("cccd", "format"),
                ("phone", "format"),
                ("number_of_copies", "maximum"),
                ("nickname", "additional_property"),
            ]
        );
        // Deterministic: the same data gives the same list.
        assert_eq!(form.validate(&data), Err(errs));
    }

    #[test]
    fn a_pattern_error_explains_the_expected_shape() {
        let form = person_form();
        let errs = errors(&form, &with(valid_person(), "tax_code", json!("01012345")));
        assert_eq!(codes_at(&errs), [("tax_code", "pattern")]);
        assert!(
            errs[0]
                .message_vi
                .starts_with("«Mã số thuế» không đúng định dạng. Mã số thuế gồm 10 chữ số")
        );
        assert!(
            errs[0]
                .message_en
                .starts_with("“Tax code” is not in the expected format. A tax code has 10 digits")
        );
    }

    #[test]
    fn range_and_choice_errors_have_their_own_codes() {
        let form = EForm::compile(&standard_form(&[
            (StandardField::Gender, true),
            (StandardField::ConstructionArea, true),
            (StandardField::NumberOfCopies, true),
        ]))
        .unwrap();
        let errs = errors(
            &form,
            &json!({ "gender": "nam", "construction_area": -1.5, "number_of_copies": 0 }),
        );
        assert_eq!(
            codes_at(&errs),
            [
                ("gender", "enum"),
                ("construction_area", "minimum"),
                ("number_of_copies", "minimum")
            ]
        );
        assert_eq!(
            errs[0].message_vi,
            "«Giới tính» phải là một trong các giá trị: Nam, Nữ."
        );
        assert_eq!(
            errs[1].message_vi,
            "«Diện tích xây dựng (m²)» phải lớn hơn hoặc bằng 0."
        );
        assert_eq!(errs[2].message_en, "“Number of copies requested” must be at least 1.");
    }

    #[test]
    fn data_that_is_not_an_object_is_refused_as_a_whole() {
        let errs = errors(&person_form(), &json!("Nguyễn Văn An"));
        assert_eq!(codes_at(&errs), [("", "type")]);
        assert_eq!(errs[0].message_vi, "Dữ liệu biểu mẫu phải là một nhóm thông tin.");
    }

    #[test]
    fn messages_mention_the_field_title_in_both_languages() {
        let form = person_form();
        let data = json!({ "full_name": "", "date_of_birth": "x", "cccd": "x", "phone": "x", "email": "x" });
        let errs = errors(&form, &data);
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert_eq!(errs[0].message_vi, "«Họ và tên» không được để trống.");
        assert_eq!(errs[0].message_en, "“Full name” must not be empty.");
        for e in &errs {
            let field = StandardField::ALL.iter().find(|f| f.key() == e.field).unwrap();
            assert!(
                e.message_vi.contains(&format!("«{}»", field.title_vi())),
                "{}",
                e.message_vi
            );
            assert!(
                e.message_en.contains(&format!("“{}”", field.title_en())),
                "{}",
                e.message_en
            );
        }
    }

    #[test]
    fn a_field_without_an_english_title_is_named_by_its_vietnamese_one_in_english() {
        let form = EForm::compile(&json!({
            "type": "object",
            "properties": { "so_ho": { "type": "string", "title": "Số hộ khẩu" } },
            "required": ["so_ho"]
        }))
        .unwrap();
        let errs = errors(&form, &json!({}));
        assert_eq!(errs[0].message_en, "The field “Số hộ khẩu” is required.");
    }

    #[test]
    fn a_schema_with_a_remote_ref_is_refused_without_fetching() {
        for target in [
            "https://example.com/address.json",
            "http://127.0.0.1:9/x.json",
            "address.json",
            "file:///etc/passwd",
        ] {
            let schema = json!({
                "type": "object",
                "properties": { "address": { "title": "Địa chỉ", "$ref": target } }
            });
            let problem = check_schema(&schema).expect_err("a remote $ref is refused");
            assert_eq!(problem.code, "remote_ref");
            assert_eq!(problem.location, "/properties/address/$ref");
            assert!(problem.message_vi.contains(target) && problem.message_en.contains(target));
            assert!(problem.message_en.contains("never fetched"));
            assert_eq!(EForm::compile(&schema).unwrap_err(), problem);
        }
    }

    #[test]
    fn a_local_ref_is_accepted() {
        let form = household_form();
        let errs = errors(
            &form,
            &json!({ "applicant": { "name": "B", "address": { "ward": "X" } }, "children": [ { "name": 5 } ] }),
        );
        assert_eq!(codes_at(&errs), [("children[0].name", "type")]);
    }

    #[test]
    fn a_non_object_schema_is_refused() {
        assert_eq!(check_schema(&json!(["full_name"])).unwrap_err().code, "not_an_object");
        assert_eq!(check_schema(&json!(true)).unwrap_err().code, "not_an_object");
        let problem = check_schema(&json!({ "type": "string", "title": "Họ và tên" })).unwrap_err();
        assert_eq!(problem.code, "not_object_type");
        assert!(problem.message_vi.contains("\"type\": \"object\""));
    }

    #[test]
    fn a_schema_without_fields_is_refused() {
        assert_eq!(
            check_schema(&json!({ "type": "object" })).unwrap_err().code,
            "missing_properties"
        );
        assert_eq!(
            check_schema(&json!({ "type": "object", "properties": {} }))
                .unwrap_err()
                .code,
            "missing_properties"
        );
    }

    #[test]
    fn an_invalid_json_schema_is_refused_with_its_location() {
        let problem = check_schema(&json!({
            "type": "object",
            "properties": { "a": { "type": "strng", "title": "A" } }
        }))
        .unwrap_err();
        assert_eq!(problem.code, "invalid_schema");
        assert!(problem.location.starts_with("/properties/a"), "{problem:?}");
        assert!(
            problem
                .message_vi
                .starts_with("Định nghĩa biểu mẫu không phải là JSON Schema 2020-12 hợp lệ")
        );
    }

    #[test]
    fn another_dialect_is_refused() {
        let problem = check_schema(&json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": { "a": { "type": "string", "title": "A" } }
        }))
        .unwrap_err();
        assert_eq!(problem.code, "unsupported_dialect");
    }

    #[test]
    fn a_field_without_a_title_is_refused_even_when_nested() {
        let problem = check_schema(&json!({
            "type": "object",
            "properties": {
                "applicant": { "type": "object", "title": "Người đề nghị", "properties": { "name": { "type": "string" } } }
            }
        }))
        .unwrap_err();
        assert_eq!(problem.code, "missing_title");
        assert_eq!(problem.location, "/properties/applicant/properties/name");
        assert!(problem.message_vi.contains("«name»"));
    }

    #[test]
    fn a_non_string_english_title_is_refused() {
        let problem = check_schema(&json!({
            "type": "object",
            "properties": { "a": { "type": "string", "title": "A", "x-title-en": 3 } }
        }))
        .unwrap_err();
        assert_eq!(
            (problem.code.as_str(), problem.location.as_str()),
            ("bad_annotation", "/properties/a/x-title-en")
        );
    }

    #[test]
    fn an_unknown_format_is_refused_rather_than_ignored() {
        let problem = check_schema(&json!({
            "type": "object",
            "properties": { "plate": { "type": "string", "title": "Biển số xe", "format": "bien-so" } }
        }))
        .unwrap_err();
        assert_eq!(problem.code, "unknown_format");
        assert!(problem.message_vi.contains("«bien-so»"));
    }

    #[test]
    fn an_unexpected_property_is_reported_on_itself() {
        let errs = errors(&person_form(), &with(valid_person(), "ghi_chu", json!("x")));
        assert_eq!(codes_at(&errs), [("ghi_chu", "additional_property")]);
        assert_eq!(errs[0].message_vi, "Trường «ghi_chu» không có trong biểu mẫu này.");
    }

    /// Found by the `eform_schema` fuzz target: two properties referring back to the whole
    /// form (`"$ref": "#"`) made listing the fields take 2^32 steps.
    #[test]
    fn field_titles_of_recursive_and_repetitive_definitions_stay_bounded() {
        let recursive = json!({"type": "object", "properties": {
            "a": {"$ref": "#", "title": "A"},
            "b": {"$ref": "#", "title": "B"},
            "c": {"type": "string", "title": "C"}
        }});
        let titles = field_titles(&recursive);
        let paths: Vec<&str> = titles.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(paths, ["a", "b", "c"]);
        assert_eq!(titles[0].1, "A");

        // Each group refers twice to the next one: 2^20 paths to `z`, no cycle. Without the
        // bound every one of them would be listed.
        let mut defs = Map::new();
        for i in 0..20 {
            let next = format!("#/$defs/g{}", i + 1);
            defs.insert(
                format!("g{i}"),
                json!({"type": "object", "properties": {"x": {"$ref": next, "title": "X"}, "y": {"$ref": next, "title": "Y"}}}),
            );
        }
        defs.insert(
            "g20".to_string(),
            json!({"type": "object", "properties": {"z": {"type": "string", "title": "Z"}}}),
        );
        let repetitive =
            json!({"type": "object", "$defs": defs, "properties": {"top": {"$ref": "#/$defs/g0", "title": "Top"}}});
        let titles = field_titles(&repetitive);
        assert!(
            !titles.is_empty() && titles.len() < MAX_TITLE_VISITS,
            "{}",
            titles.len()
        );
        assert_eq!(titles[0].0, format!("top{}.z", ".x".repeat(20)));
        assert!(titles.iter().all(|t| t.0.starts_with("top.") && t.0.ends_with(".z")));
    }

    #[test]
    fn field_titles_lists_nested_leaf_fields_in_order() {
        let titles = household_form().field_titles();
        let paths: Vec<&str> = titles.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            paths,
            [
                "applicant.address.street",
                "applicant.address.ward",
                "applicant.name",
                "children[].birth_date",
                "children[].name"
            ]
        );
        assert_eq!(
            titles[1],
            (
                "applicant.address.ward".to_string(),
                "Phường/Xã".to_string(),
                Some("Ward/commune".to_string())
            )
        );
    }

    #[test]
    fn the_standard_form_keeps_the_given_order_and_every_field_is_usable() {
        let all: Vec<(StandardField, bool)> = StandardField::ALL.iter().map(|f| (*f, true)).collect();
        let schema = standard_form(&all);
        check_schema(&schema).expect("the full standard form is a valid e-form");
        let titles = field_titles(&schema);
        assert_eq!(titles.len(), StandardField::ALL.len());
        for (field, (path, vi, en)) in StandardField::ALL.iter().zip(&titles) {
            assert_eq!(
                (path.as_str(), vi.as_str(), en.as_deref()),
                (field.key(), field.title_vi(), Some(field.title_en()))
            );
        }
        assert_eq!(schema["required"].as_array().unwrap().len(), StandardField::ALL.len());

        let partial = standard_form(&[
            (StandardField::Phone, false),
            (StandardField::FullName, true),
            (StandardField::Phone, true),
        ]);
        assert_eq!(partial["required"], json!(["full_name"]));
        let order: Vec<String> = field_titles(&partial).into_iter().map(|t| t.0).collect();
        assert_eq!(order, ["phone", "full_name"]);
    }

    #[test]
    fn errors_follow_the_order_given_by_x_order() {
        let form = EForm::compile(&standard_form(&[
            (StandardField::Phone, true),
            (StandardField::FullName, true),
        ]))
        .unwrap();
        let errs = errors(&form, &json!({}));
        assert_eq!(codes_at(&errs), [("phone", "required"), ("full_name", "required")]);
    }

    #[test]
    fn a_compiled_form_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<EForm>();
    }

    #[test]
    fn field_errors_round_trip_through_json() {
        let errs = errors(&person_form(), &json!({}));
        let text = serde_json::to_string(&errs).unwrap();
        let back: Vec<FieldError> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, errs);
    }
}
