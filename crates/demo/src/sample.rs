//! Form data that satisfies an e-form built from the standard fields, for load tests and
//! benchmarks that file through the API without a person at the keyboard.

use serde_json::{Value, json};

/// A value that satisfies a field of a standard e-form.
pub fn sample_value(prop: &Value, i: usize) -> Value {
    if let Some(e) = prop.get("enum").and_then(|e| e.as_array()).and_then(|a| a.first()) {
        return e.clone();
    }
    let format = prop.get("format").and_then(|f| f.as_str()).unwrap_or("");
    match prop.get("type").and_then(|t| t.as_str()).unwrap_or("string") {
        "integer" => json!(prop.get("minimum").and_then(|m| m.as_i64()).unwrap_or(0).max(1)),
        "number" => json!(prop.get("minimum").and_then(|m| m.as_f64()).unwrap_or(0.0) + 50.0),
        "boolean" => json!(true),
        "object" => sample_form(prop, i),
        "array" => json!([]),
        _ => match format {
            "cccd" => json!(format!("031{:09}", i % 1_000_000_000)),
            "phone-vn" => json!(format!("09{:08}", i % 100_000_000)),
            "date" => json!("1990-05-17"),
            "date-time" => json!("2026-01-05T09:00:00+07:00"),
            "email" => json!(format!("cong.dan{i}@example.vn")),
            _ => match prop.get("pattern").and_then(|p| p.as_str()) {
                Some(p) if p.contains("\\d{10}") || p.contains("[0-9]{10}") => json!("0201234567"),
                Some(p) if p.contains("\\d") || p.contains("[0-9]") => json!("12"),
                _ => {
                    let min = prop.get("minLength").and_then(|m| m.as_u64()).unwrap_or(1) as usize;
                    let s = "Nội dung kê khai theo mẫu";
                    json!(if s.chars().count() >= min {
                        s.to_string()
                    } else {
                        s.repeat(min)
                    })
                }
            },
        },
    }
}

/// Form data that satisfies an e-form: every property filled.
pub fn sample_form(schema: &Value, i: usize) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
        for (k, p) in props {
            out.insert(k.clone(), sample_value(p, i));
        }
    }
    Value::Object(out)
}
