//! The warehouse catalog as DCAT-AP 3 in JSON-LD, for national and EU-style portals to
//! harvest: datasets with bilingual titles, publisher, contact, theme, frequency, licence,
//! access rights, legal basis, lineage (PROV), quality measurements (DQV), the columns
//! (CSVW) and, for open data, CSV and Parquet distributions.

use citygov_domain::lake::{Classification, Dataset};
use serde_json::{Value, json};
use std::collections::HashMap;

const ACCESS_PUBLIC: &str = "http://publications.europa.eu/resource/authority/access-right/PUBLIC";
const ACCESS_RESTRICTED: &str = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED";
const ACCESS_NON_PUBLIC: &str = "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC";

fn lang(vi: &str, en: &str) -> Value {
    let mut v = vec![json!({ "@value": vi, "@language": "vi" })];
    if !en.is_empty() {
        v.push(json!({ "@value": en, "@language": "en" }));
    }
    Value::Array(v)
}

fn csvw_type(t: citygov_domain::lake::FieldType) -> &'static str {
    use citygov_domain::lake::FieldType::*;
    match t {
        Text => "string",
        Integer => "integer",
        Number => "double",
        Boolean => "boolean",
        Date => "date",
        Timestamp => "dateTime",
    }
}

/// One dataset as a `dcat:Dataset`.
pub fn dataset(d: &Dataset, unit_names: &HashMap<String, String>, base: &str) -> Value {
    let id = format!("{base}/data/{}", d.name);
    let access = if d.open_data {
        ACCESS_PUBLIC
    } else if d.has_personal() {
        ACCESS_NON_PUBLIC
    } else {
        ACCESS_RESTRICTED
    };
    let mut v = json!({
        "@id": id,
        "@type": "dcat:Dataset",
        "dct:identifier": d.name,
        "dct:title": lang(&d.title_vi, &d.title_en),
        "dct:description": lang(&d.description_vi, &d.description_en),
        "dcat:keyword": [d.theme],
        "dcat:theme": { "@id": format!("{base}/data?theme={}", d.theme) },
        "dct:accrualPeriodicity": { "@id": d.frequency.dcat_uri() },
        "dct:publisher": {
            "@type": "foaf:Agent",
            "dct:identifier": d.owner_unit,
            "foaf:name": unit_names.get(&d.owner_unit).cloned().unwrap_or_else(|| d.owner_unit.clone()),
        },
        "dcat:contactPoint": { "@type": "vcard:Kind", "vcard:fn": d.steward },
        "dct:accessRights": { "@id": access },
        "dct:language": [{ "@id": "http://publications.europa.eu/resource/authority/language/VIE" }],
        "dcat:landingPage": { "@id": id },
        "csvw:tableSchema": {
            "csvw:column": d.fields.iter().map(|f| json!({
                "csvw:name": f.name,
                "csvw:titles": lang(&f.description_vi, &f.description_en),
                "csvw:datatype": csvw_type(f.field_type),
                "csvw:required": f.required,
                "citygov:classification": f.classification.as_str(),
                "citygov:unit": f.unit,
            })).collect::<Vec<_>>(),
            "csvw:primaryKey": d.key,
        },
    });
    let o = v.as_object_mut().expect("object");
    if !d.created_at.is_empty() {
        o.insert(
            "dct:issued".into(),
            json!({ "@value": d.created_at, "@type": "xsd:dateTime" }),
        );
    }
    if !d.updated_at.is_empty() {
        o.insert(
            "dct:modified".into(),
            json!({ "@value": d.updated_at, "@type": "xsd:dateTime" }),
        );
    }
    if !d.legal_basis.is_empty() {
        o.insert("dcatap:applicableLegislation".into(), json!(d.legal_basis));
    }
    if !d.licence.is_empty() {
        o.insert("dct:license".into(), json!({ "@id": licence_uri(&d.licence) }));
    }
    if !d.lineage.derived_from.is_empty() {
        o.insert(
            "prov:wasDerivedFrom".into(),
            Value::Array(
                d.lineage
                    .derived_from
                    .iter()
                    .map(|n| json!({ "@id": format!("{base}/data/{n}") }))
                    .collect(),
            ),
        );
    }
    if !d.lineage.jobs.is_empty() {
        o.insert(
            "prov:wasGeneratedBy".into(),
            Value::Array(
                d.lineage
                    .jobs
                    .iter()
                    .map(|j| json!({ "@type": "prov:Activity", "dct:identifier": j }))
                    .collect(),
            ),
        );
    }
    if let Some(q) = &d.quality {
        let m = |dim: &str, c: &citygov_domain::lake::QualityCheck| {
            json!({
                "@type": "dqv:QualityMeasurement",
                "dqv:isMeasurementOf": { "@id": format!("{base}/data/quality#{dim}") },
                "dqv:value": c.measure,
                "citygov:passed": c.passed,
                "rdfs:comment": lang(&c.detail_vi, &c.detail_en),
                "prov:generatedAtTime": q.checked_at,
            })
        };
        o.insert(
            "dqv:hasQualityMeasurement".into(),
            json!([
                m("dung", &q.correct),
                m("du", &q.complete),
                m("sach", &q.clean),
                m("song", &q.live)
            ]),
        );
    }
    if d.open_data {
        let dist = |ext: &str, media: &str| {
            json!({
                "@type": "dcat:Distribution",
                "dcat:downloadURL": { "@id": format!("{base}/api/v1/open-data/{}.{ext}", d.name) },
                "dcat:accessURL": { "@id": id },
                "dcat:mediaType": { "@id": format!("https://www.iana.org/assignments/media-types/{media}") },
                "dct:format": ext.to_uppercase(),
                "dct:license": { "@id": licence_uri(&d.licence) },
                "citygov:columns": d.fields.iter().filter(|f| f.classification == Classification::Public).map(|f| f.name.clone()).collect::<Vec<_>>(),
            })
        };
        o.insert(
            "dcat:distribution".into(),
            json!([
                dist("csv", "text/csv"),
                dist("parquet", "application/vnd.apache.parquet")
            ]),
        );
    }
    v
}

fn licence_uri(l: &str) -> String {
    if l.starts_with("http://") || l.starts_with("https://") {
        l.to_string()
    } else {
        format!("https://spdx.org/licenses/{l}")
    }
}

/// The whole catalog as a `dcat:Catalog`.
pub fn catalog(ds: &[Dataset], unit_names: &HashMap<String, String>, base: &str) -> Value {
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatap": "http://data.europa.eu/r5r/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "prov": "http://www.w3.org/ns/prov#",
            "dqv": "http://www.w3.org/ns/dqv#",
            "csvw": "http://www.w3.org/ns/csvw#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "citygov": format!("{base}/ns#"),
        },
        "@id": format!("{base}/api/v1/lake/dcat"),
        "@type": "dcat:Catalog",
        "dct:title": lang("Kho dữ liệu dùng chung của thành phố", "The city's shared data warehouse"),
        "dct:description": lang(
            "Danh mục các bộ dữ liệu do các sở, ngành, địa phương cung cấp và dùng chung.",
            "Datasets provided and shared by the city's departments and communes.",
        ),
        "dct:publisher": { "@type": "foaf:Agent", "foaf:name": "Ủy ban nhân dân thành phố" },
        "dct:language": [{ "@id": "http://publications.europa.eu/resource/authority/language/VIE" }],
        "dcat:dataset": ds.iter().map(|d| dataset(d, unit_names, base)).collect::<Vec<_>>(),
    })
}
