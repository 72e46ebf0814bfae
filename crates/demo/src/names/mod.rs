//! Candidate procedure names that complete the catalog beyond the 292 real rows.
//!
//! The lists are written in the wording of the national catalogue (DVCQG) for each agency's
//! domain after the 2025 restructuring. Three shapes keep them compact:
//! - singles: one full name each; a name of the form "Cấp <giấy phép|giấy chứng nhận|chứng
//!   chỉ|thẻ|giấy xác nhận> …" also yields its usual variants ("Cấp lại …", then "Gia hạn …"
//!   or "Cấp đổi …") at a later tier;
//! - families: a licence and the verbs that apply to it (`C` cấp, `M` cấp mới, `L` cấp lại,
//!   `D` cấp đổi, `S` cấp sửa đổi, bổ sung, `E` điều chỉnh, `G` gia hạn, `T` trả lại);
//! - crosses: every head with every tail (a tail replaces `{}` in the head, or follows it).
//!
//! Each candidate has a tier (0 for the main form, higher for variants). The catalog takes
//! each agency's candidates by tier, so when it needs fewer than the list holds it drops late
//! variants, never whole subjects.

mod city;
mod commune;
mod more;

pub use city::city_pools;
pub use commune::commune_pool;

/// A candidate procedure name.
#[derive(Debug, Clone)]
pub struct Cand {
    pub name: String,
    pub field: &'static str,
    pub tier: u32,
    /// The result document when the name says it ("Cấp lại giấy phép X" → "Giấy phép X").
    pub result: Option<String>,
}

/// The candidates of one agency (`dept` is its short name; `CATP` the police; `XA` communes).
pub struct Pool {
    pub dept: &'static str,
    field: &'static str,
    pub items: Vec<Cand>,
}

const LICENCE_HEADS: &[&str] = &["giấy phép", "giấy chứng nhận", "chứng chỉ", "thẻ", "giấy xác nhận"];

impl Pool {
    pub fn new(dept: &'static str) -> Self {
        Pool {
            dept,
            field: "",
            items: Vec::new(),
        }
    }

    /// Set the field of the candidates that follow.
    pub fn f(&mut self, field: &'static str) -> &mut Self {
        self.field = field;
        self
    }

    fn push(&mut self, name: String, tier: u32, result: Option<String>) {
        self.items.push(Cand {
            name,
            field: self.field,
            tier,
            result,
        });
    }

    /// Full names, with the usual variants of licence-issuing names at later tiers.
    pub fn s(&mut self, names: &[&str]) -> &mut Self {
        for n in names {
            self.single(n, 0);
        }
        self
    }

    fn single(&mut self, name: &str, tier: u32) {
        self.push(name.to_string(), tier, None);
        self.variants(name, tier);
    }

    /// Only the usual variants of a licence-issuing name (for the real rows, which are
    /// already in the catalog).
    pub fn variants_of(&mut self, name: &str, field: &'static str) {
        let keep = self.field;
        self.field = field;
        self.variants(name, 0);
        self.field = keep;
    }

    /// "Cấp lại X" at tier + 2, then the verbs that suit the paper X (renewal for permits and
    /// practice certificates, exchange for certificates and cards, adjustment for permits and
    /// certificates).
    fn variants(&mut self, name: &str, tier: u32) {
        for lead in ["Cấp ", "Thủ tục cấp "] {
            let Some(rest) = name.strip_prefix(lead) else { continue };
            let rest = rest.strip_prefix("mới ").unwrap_or(rest);
            let lower = rest.to_lowercase();
            if lower.contains("điều chỉnh")
                || lower.contains("sửa đổi")
                || lower.starts_with("lại")
                || lower.starts_with("đổi")
            {
                continue;
            }
            let Some(head) = LICENCE_HEADS.iter().find(|h| lower.starts_with(*h)) else {
                continue;
            };
            // One-off permits (an event, a shipment, a copy) are reissued or adjusted, not renewed.
            let one_off = [
                "tổ chức",
                "triển lãm",
                "sao chép",
                "nhập khẩu",
                "vận chuyển",
                "xuất bản",
                "phổ biến",
                "chế bản",
                "tượng đài",
                "mua ",
            ]
            .iter()
            .any(|w| lower.contains(w));
            let verbs: &[&str] = match *head {
                "giấy phép" if one_off => &["Cấp lại", "Điều chỉnh"],
                "giấy phép" => &["Cấp lại", "Gia hạn", "Điều chỉnh"],
                "giấy chứng nhận" => &["Cấp lại", "Cấp đổi", "Điều chỉnh"],
                "chứng chỉ" => &["Cấp lại", "Gia hạn", "Cấp đổi"],
                "thẻ" => &["Cấp lại", "Cấp đổi"],
                _ => &["Cấp lại"],
            };
            let result = Some(crate::text::capitalise(rest));
            for (k, verb) in verbs.iter().enumerate() {
                let verb = if lead.starts_with("Thủ tục") {
                    format!("Thủ tục {}", crate::text::decapitalise(verb))
                } else {
                    verb.to_string()
                };
                self.push(format!("{verb} {rest}"), tier + 2 + k as u32, result.clone());
            }
        }
    }

    /// A licence with the verbs that apply to it (see the module documentation).
    pub fn fam(&mut self, flags: &str, subjects: &[&str]) -> &mut Self {
        for s in subjects {
            for (k, flag) in flags.chars().enumerate() {
                let verb = match flag {
                    'C' => "Cấp",
                    'M' => "Cấp mới",
                    'L' => "Cấp lại",
                    'D' => "Cấp đổi",
                    'S' => "Cấp sửa đổi, bổ sung",
                    'E' => "Điều chỉnh",
                    'G' => "Gia hạn",
                    'T' => "Trả lại",
                    other => panic!("unknown verb flag {other}"),
                };
                let result = if flag == 'T' {
                    Some("Văn bản chấp thuận trả lại".to_string())
                } else {
                    Some(crate::text::capitalise(s))
                };
                self.push(format!("{verb} {s}"), k as u32, result);
            }
        }
        self
    }

    /// Every head with every tail; the tail index is the tier (plus 1 when the head itself is
    /// a variant, so the main forms come first).
    pub fn x(&mut self, heads: &[&str], tails: &[&str]) -> &mut Self {
        for (t, tail) in tails.iter().enumerate() {
            for head in heads {
                let name = if head.contains("{}") {
                    head.replace("{}", tail)
                } else {
                    format!("{head} {tail}")
                };
                self.push(name, t as u32, None);
            }
        }
        self
    }
}
