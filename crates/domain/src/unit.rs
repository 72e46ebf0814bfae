//! Administrative units: the city, its departments and service centre, and its communes,
//! wards and special zones. A unit has a stable internal id; its code and name can change
//! over time (each version has validity dates), and units merge and split. A dossier keeps
//! the code and name it was filed under; reports follow a unit through its lineage.

use crate::codes::AgencyCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    City,
    Department,
    ServiceCentre,
    Ward,
    Commune,
    SpecialZone,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::City => "city",
            UnitKind::Department => "department",
            UnitKind::ServiceCentre => "service_centre",
            UnitKind::Ward => "ward",
            UnitKind::Commune => "commune",
            UnitKind::SpecialZone => "special_zone",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "city" => UnitKind::City,
            "department" => UnitKind::Department,
            "service_centre" => UnitKind::ServiceCentre,
            "ward" | "phuong" => UnitKind::Ward,
            "commune" | "xa" => UnitKind::Commune,
            "special_zone" | "dac_khu" => UnitKind::SpecialZone,
            _ => return None,
        })
    }
    /// Commune-level units (cấp xã): wards, communes and special zones.
    pub fn is_commune_level(self) -> bool {
        matches!(self, UnitKind::Ward | UnitKind::Commune | UnitKind::SpecialZone)
    }
    /// The prefix of the full Vietnamese name ("Phường ", "Xã ", "Đặc khu ").
    pub fn name_prefix(self) -> &'static str {
        match self {
            UnitKind::Ward => "Phường ",
            UnitKind::Commune => "Xã ",
            UnitKind::SpecialZone => "Đặc khu ",
            _ => "",
        }
    }
}

/// A unit as it is now (or as it was when it ceased to exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable internal id, kept through renames and recodings.
    pub id: String,
    pub code: AgencyCode,
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    pub kind: UnitKind,
    #[serde(default)]
    pub parent_id: Option<String>,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
}

/// One version of a unit's code and name, valid over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitVersion {
    pub unit_id: String,
    pub code: AgencyCode,
    pub name: String,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
}

/// How units were reorganised: merges and splits link predecessors to successors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    Merge,
    Split,
    Rename,
}

impl LineageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineageKind::Merge => "merge",
            LineageKind::Split => "split",
            LineageKind::Rename => "rename",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "merge" => LineageKind::Merge,
            "split" => LineageKind::Split,
            "rename" => LineageKind::Rename,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineageLink {
    pub predecessor_id: String,
    pub successor_id: String,
    pub kind: LineageKind,
    pub effective: NaiveDate,
    #[serde(default)]
    pub legal_basis: Option<String>,
}

/// All units that a unit became, transitively (itself included): what a report "following the
/// unit through its history" aggregates over, backwards (`predecessors`) or forwards.
pub fn lineage_closure(start: &str, links: &[LineageLink], forwards: bool) -> Vec<String> {
    let mut out = vec![start.to_string()];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i].clone();
        for l in links {
            let (from, to) = if forwards {
                (&l.predecessor_id, &l.successor_id)
            } else {
                (&l.successor_id, &l.predecessor_id)
            };
            if *from == cur && !out.contains(to) {
                out.push(to.clone());
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(p: &str, s: &str) -> LineageLink {
        LineageLink {
            predecessor_id: p.into(),
            successor_id: s.into(),
            kind: LineageKind::Merge,
            effective: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
            legal_basis: None,
        }
    }

    #[test]
    fn a_merged_unit_reaches_back_to_all_its_predecessors() {
        let links = vec![link("a", "c"), link("b", "c"), link("old", "a")];
        let mut back = lineage_closure("c", &links, false);
        back.sort();
        assert_eq!(back, vec!["a", "b", "c", "old"]);
        assert_eq!(lineage_closure("old", &links, true), vec!["old", "a", "c"]);
    }
}
