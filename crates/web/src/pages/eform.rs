//! An e-form on a page: the procedure's JSON Schema turned into labelled inputs, split into
//! short steps, and the submitted inputs turned back into the JSON the schema validates.
//!
//! Objects become groups (one step each); a list of objects is shown with one item (the
//! common case of "one child", "one co-owner"); other fields become the input that fits
//! their type and format. The schema stays the only judge: the inputs only make filling it
//! in easy, and [`citygov_domain::eform::EForm::validate`] decides.

use super::{FormData, Lang};
use serde::Serialize;
use serde_json::{Map, Value};

/// Input name prefix of e-form fields (so they never clash with the page's own fields).
pub const PREFIX: &str = "f.";
/// Fields per step when a form has no groups.
const STEP_SIZE: usize = 6;

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Dotted path in the form data, with `[0]` for the first list item: `children[0].name`.
    pub path: String,
    /// The HTML input name (`f.` + path) and id.
    pub name: String,
    pub id: String,
    pub label: String,
    pub hint: Option<String>,
    /// text, textarea, date, number, integer, email, tel, select, checkbox
    pub kind: &'static str,
    pub options: Vec<String>,
    pub required: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub max_length: Option<u64>,
    /// The top-level group it belongs to (for steps), if any.
    pub group: Option<String>,
    pub group_label: Option<String>,
    /// Path segments with their JSON kind, for rebuilding the data.
    #[serde(skip)]
    segments: Vec<Segment>,
    #[serde(skip)]
    json_type: &'static str,
}

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut n = node;
    for _ in 0..16 {
        match n.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with("#/") => {
                let ptr = &r[1..];
                match root.pointer(ptr) {
                    Some(t) => n = t,
                    None => return n,
                }
            }
            _ => return n,
        }
    }
    n
}

fn annotation<'a>(root: &'a Value, node: &'a Value, key: &str) -> Option<&'a str> {
    node.get(key)
        .and_then(Value::as_str)
        .or_else(|| resolve(root, node).get(key).and_then(Value::as_str))
}

fn ordered(root: &Value, node: &Value) -> Vec<(String, Value)> {
    let node = resolve(root, node);
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return vec![];
    };
    let mut v: Vec<(usize, String, Value)> = props
        .iter()
        .enumerate()
        .map(|(i, (k, s))| (i, k.clone(), s.clone()))
        .collect();
    v.sort_by_key(|(i, _, s)| (s.get("x-order").and_then(Value::as_i64).unwrap_or(i64::MAX), *i));
    v.into_iter().map(|(_, k, s)| (k, s)).collect()
}

fn required_of(root: &Value, node: &Value) -> Vec<String> {
    resolve(root, node)
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The fields of a form definition, in display order, labelled in `lang`.
pub fn fields(schema: &Value, lang: Lang) -> Vec<Field> {
    let mut out = Vec::new();
    walk(schema, schema, lang, &mut Vec::new(), "", None, true, 0, &mut out);
    out
}

#[allow(clippy::too_many_arguments)]
fn walk(
    root: &Value,
    node: &Value,
    lang: Lang,
    segments: &mut Vec<Segment>,
    path: &str,
    group: Option<(String, String)>,
    parent_required: bool,
    depth: usize,
    out: &mut Vec<Field>,
) {
    if depth > 8 {
        return;
    }
    let required = required_of(root, node);
    for (key, prop) in ordered(root, node) {
        let r = resolve(root, &prop);
        let p = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let label = lang
            .pick(
                annotation(root, &prop, "title").unwrap_or(&key),
                annotation(root, &prop, "x-title-en").unwrap_or(""),
            )
            .to_string();
        let is_required = parent_required && required.contains(&key);
        segments.push(Segment::Key(key.clone()));
        let group_here = group.clone().or_else(|| Some((key.clone(), label.clone())));
        if r.get("properties").is_some_and(Value::is_object) {
            walk(root, r, lang, segments, &p, group_here, is_required, depth + 1, out);
        } else if let Some(items) = r.get("items").map(|i| resolve(root, i))
            && items.get("properties").is_some_and(Value::is_object)
        {
            segments.push(Segment::Index(0));
            let min_items = r.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            walk(
                root,
                items,
                lang,
                segments,
                &format!("{p}[0]"),
                group_here,
                is_required && min_items > 0,
                depth + 1,
                out,
            );
            segments.pop();
        } else {
            out.push(leaf(
                root,
                &prop,
                r,
                lang,
                segments,
                &p,
                label,
                is_required,
                group.clone(),
            ));
        }
        segments.pop();
    }
}

#[allow(clippy::too_many_arguments)]
fn leaf(
    root: &Value,
    prop: &Value,
    r: &Value,
    lang: Lang,
    segments: &[Segment],
    path: &str,
    label: String,
    required: bool,
    group: Option<(String, String)>,
) -> Field {
    let json_type = match r.get("type").and_then(Value::as_str) {
        Some("integer") => "integer",
        Some("number") => "number",
        Some("boolean") => "boolean",
        _ => "string",
    };
    let options: Vec<String> = r
        .get("enum")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let max_length = r.get("maxLength").and_then(Value::as_u64);
    let kind = if !options.is_empty() {
        "select"
    } else {
        match (json_type, r.get("format").and_then(Value::as_str)) {
            ("integer", _) => "integer",
            ("number", _) => "number",
            ("boolean", _) => "checkbox",
            (_, Some("date")) => "date",
            (_, Some("email")) => "email",
            (_, Some("phone-vn")) => "tel",
            _ if max_length.is_some_and(|m| m > 255) => "textarea",
            _ => "text",
        }
    };
    let hint = match (
        annotation(root, prop, "description"),
        annotation(root, prop, "x-description-en"),
    ) {
        (Some(vi), en) => Some(lang.pick(vi, en.unwrap_or("")).to_string()),
        _ => None,
    };
    let id = super::field_id(&format!("{PREFIX}{path}"));
    Field {
        path: path.to_string(),
        name: format!("{PREFIX}{path}"),
        id,
        label,
        hint,
        kind,
        options,
        required,
        min: r
            .get("minimum")
            .or_else(|| r.get("exclusiveMinimum"))
            .and_then(Value::as_f64),
        max: r.get("maximum").and_then(Value::as_f64),
        max_length,
        group: group.as_ref().map(|g| g.0.clone()),
        group_label: group.map(|g| g.1),
        segments: segments.to_vec(),
        json_type,
    }
}

/// The steps of a form: each top-level group on its own step, other fields in runs of a few.
pub fn steps(fields: &[Field]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current_group: Option<&str> = None;
    for (i, f) in fields.iter().enumerate() {
        let g = f.group.as_deref();
        let start_new = match out.last() {
            None => true,
            Some(last) => g != current_group || (g.is_none() && last.len() >= STEP_SIZE),
        };
        if start_new {
            out.push(vec![i]);
        } else if let Some(last) = out.last_mut() {
            last.push(i);
        }
        current_group = g;
    }
    if out.is_empty() {
        out.push(vec![]);
    }
    out
}

/// The form data from submitted inputs: blank inputs are left out (so that "required"
/// errors say the field is missing), numbers are read with a comma or a dot as the decimal
/// mark, and a number that does not parse is kept as text for the schema to refuse.
pub fn data_from(form: &FormData, fields: &[Field]) -> Value {
    let mut root = Value::Object(Map::new());
    for f in fields {
        let raw = form.get(&f.name).map(str::trim).unwrap_or("");
        let value = match f.json_type {
            "boolean" => Some(Value::Bool(matches!(raw, "on" | "true" | "1"))),
            _ if raw.is_empty() => None,
            "integer" => Some(
                raw.replace(['.', ' '], "")
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::from(raw)),
            ),
            "number" => Some(
                raw.replace(' ', "")
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or_else(|| Value::from(raw)),
            ),
            _ => Some(Value::from(raw)),
        };
        if let Some(v) = value {
            set(&mut root, &f.segments, v);
        }
    }
    root
}

fn set(root: &mut Value, segments: &[Segment], v: Value) {
    let mut cur = root;
    for (i, s) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match s {
            Segment::Key(k) => {
                let Value::Object(map) = cur else { return };
                if last {
                    map.insert(k.clone(), v);
                    return;
                }
                let next_is_index = matches!(segments.get(i + 1), Some(Segment::Index(_)));
                cur = map.entry(k.clone()).or_insert_with(|| {
                    if next_is_index {
                        Value::Array(vec![])
                    } else {
                        Value::Object(Map::new())
                    }
                });
            }
            Segment::Index(n) => {
                let Value::Array(arr) = cur else { return };
                while arr.len() <= *n {
                    arr.push(Value::Object(Map::new()));
                }
                if last {
                    arr[*n] = v;
                    return;
                }
                cur = &mut arr[*n];
            }
        }
    }
}

/// The value of a field in form data, as text for showing back (check-your-answers, inputs).
pub fn value_text(data: &Value, field: &Field) -> String {
    let mut cur = data;
    for s in &field.segments {
        let next = match s {
            Segment::Key(k) => cur.get(k),
            Segment::Index(n) => cur.get(*n),
        };
        match next {
            Some(n) => cur = n,
            None => return String::new(),
        }
    }
    match cur {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(true) => "on".into(),
        Value::Bool(false) => String::new(),
        other => other.to_string(),
    }
}

/// Where a schema error's field (`name`, `children[0].name`, `form_data.x`) is shown.
pub fn error_field(field: &str) -> String {
    let f = field.strip_prefix("form_data.").unwrap_or(field);
    format!("{PREFIX}{f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData {
            fields: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            files: vec![],
        }
    }

    #[test]
    fn nested_groups_and_lists_round_trip_through_inputs() {
        let schema = json!({
            "type": "object",
            "required": ["name", "area"],
            "properties": {
                "area": { "type": "number", "title": "Diện tích", "x-order": 1 },
                "name": { "type": "string", "title": "Họ tên", "x-title-en": "Name", "x-order": 0 },
                "owner": { "type": "object", "title": "Chủ sở hữu", "x-order": 2, "properties": {
                    "floors": { "type": "integer" }
                }},
                "children": { "type": "array", "x-order": 3, "items": { "type": "object", "properties": {
                    "dob": { "type": "string", "format": "date" }
                }}}
            }
        });
        let fs = fields(&schema, Lang::En);
        let paths: Vec<&str> = fs.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["name", "area", "owner.floors", "children[0].dob"]);
        assert_eq!(fs[0].label, "Name");
        assert_eq!(fs[1].label, "Diện tích", "no English title falls back to Vietnamese");
        assert!(fs[0].required && fs[1].required && !fs[2].required);
        assert_eq!(fs[3].kind, "date");
        let data = data_from(
            &form(&[
                ("f.name", " An "),
                ("f.area", "12,5"),
                ("f.owner.floors", "3"),
                ("f.children[0].dob", "2020-01-02"),
            ]),
            &fs,
        );
        assert_eq!(
            data,
            json!({ "name": "An", "area": 12.5, "owner": { "floors": 3 }, "children": [{ "dob": "2020-01-02" }] })
        );
        assert_eq!(value_text(&data, &fs[3]), "2020-01-02");
        assert_eq!(steps(&fs), vec![vec![0, 1], vec![2], vec![3]]);
    }

    #[test]
    fn blank_inputs_are_left_out_and_bad_numbers_kept_for_the_schema_to_refuse() {
        let schema = json!({ "type": "object", "properties": {
            "a": { "type": "string" }, "n": { "type": "integer" } } });
        let fs = fields(&schema, Lang::Vi);
        let data = data_from(&form(&[("f.a", "  "), ("f.n", "ba")]), &fs);
        assert_eq!(data, json!({ "n": "ba" }));
    }

    #[test]
    fn long_flat_forms_are_split_into_steps_of_a_few_fields() {
        let props: Map<String, Value> = (0..14)
            .map(|i| (format!("k{i:02}"), json!({ "type": "string" })))
            .collect();
        let schema = json!({ "type": "object", "properties": props });
        let s = steps(&fields(&schema, Lang::Vi));
        assert_eq!(s.iter().map(Vec::len).collect::<Vec<_>>(), [6, 6, 2]);
    }
}
