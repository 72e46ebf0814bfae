//! Synthetic dossiers, each moved through the real lifecycle.
//!
//! Submission times are drawn over the working days of the window (more on Mondays and
//! Tuesdays and in the mornings, none on days off), then sorted so that daily sequence
//! numbers follow filing order. Each dossier is filed at status 1 and every later step is a
//! call to `workflow::apply` by the right official of the right unit, at increasing working
//! times; a step that would happen after `cfg.end` is not taken, so the most recent dossiers
//! are still open. Outcomes are drawn with these shares: about 2.8% of dossiers that were
//! not filed at the desk are refused at intake, 1% withdrawn, 0.5% stopped, 10% get a
//! supplement request (about one in eight of those a second one, which counts as overdue),
//! and 3.6% finish after the appointment (0.6% stuck for weeks, the backlog still open at
//! the end), a third of those after an apology with a new date. Processing delays are
//! shares of the legal time left, so the other dossiers finish on time.
//!
//! The form data is attached after the lifecycle: `apply` never reads it, and each step
//! copies the dossier, so carrying the form through the steps would only cost time.

use crate::DemoCity;
use crate::DemoConfig;
use crate::accounts::unit_tag;
use crate::fields::{self, Profile};
use crate::people::{self, BUSINESS_LINES, Person};
use crate::popular;
use crate::rng::{chance, digits, pick, stage_rng, uuid};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use citygov_domain::calendar::Calendar;
use citygov_domain::catalog::{FeeLine, Level, Procedure};
use citygov_domain::codes::{AgencyCode, ApplicantType, DossierCodeFormat};
use citygov_domain::dossier::{
    Applicant, Channel, Digitisation, Dossier, HistoryEntry, ResultDocument, Routing, Status, SubmittedDocument,
};
use citygov_domain::eform::StandardField as SF;
use citygov_domain::unit::{Unit, UnitKind};
use citygov_domain::workflow::{self, Action, Actor, Command, Role};
use rand::Rng;
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

/// Generated dossiers with their histories, oldest first, and the daily code counters used.
#[derive(Debug, Clone)]
pub struct DemoDossiers {
    pub items: Vec<(Dossier, Vec<HistoryEntry>)>,
    /// (receiving agency code, day `YYYY-MM-DD`, highest sequence used that day).
    pub counters: Vec<(String, String, i64)>,
}

/// Reasons as the desk records them: a code of the action's list (`reasons::reasons_for`), with
/// the details written out now and then; "khac" always with its text.
type Reasoned = (&'static str, Option<&'static str>);

const REFUSAL_REASONS: &[Reasoned] = &[
    ("khong_thuoc_tham_quyen", None),
    ("ho_so_khong_day_du", None),
    ("ho_so_khong_day_du", Some("Thiếu tờ khai theo mẫu")),
    ("thong_tin_sai_su_that", None),
    ("ho_so_trung", None),
    ("giay_to_khong_doc_duoc", Some("Bản chụp giấy tờ không rõ nét")),
    ("khong_thuoc_doi_tuong", None),
    ("thu_tuc_khong_ap_dung", None),
    ("khac", Some("Thủ tục đã được thay thế, đề nghị nộp theo thủ tục mới")),
];
const SUPPLEMENT_REASONS: &[Reasoned] = &[
    ("thieu_giay_to", None),
    ("thong_tin_khong_khop", None),
    ("ban_chup_khong_ro", None),
    ("thieu_chung_thuc", None),
    ("giay_to_het_han", None),
    ("khac", Some("Cần bổ sung giấy tờ chứng minh điều kiện theo quy định")),
];
const WITHDRAW_REASONS: &[Reasoned] = &[
    ("theo_de_nghi_nguoi_nop", Some("Rút để bổ sung thông tin")),
    ("khong_con_nhu_cau", None),
    ("nop_nham", Some("Nộp lại theo thủ tục khác")),
    ("hoan_thien_nop_lai", None),
];
const STOP_REASONS: &[Reasoned] = &[("khong_du_dieu_kien", None), ("nguoi_nop_de_nghi_dung", None)];
const STOP_NO_SUPPLEMENT: Reasoned = ("khong_bo_sung_dung_han", None);
const APOLOGY_REASONS: &[Reasoned] = &[
    (
        "cho_y_kien_co_quan_khac",
        Some("Cần xác minh thêm thông tin với cơ quan liên quan"),
    ),
    ("cho_y_kien_co_quan_khac", None),
    ("xac_minh_thuc_dia", None),
    ("qua_tai", None),
];

/// Officials of a unit, ready to act.
struct Staff {
    intake: Actor,
    processing: Actor,
    leader: Actor,
}

/// What the generator needs of a procedure, computed once.
struct ProcInfo {
    profile: Profile,
    form: Vec<(SF, bool)>,
    /// Index of the competent unit (city-level procedures).
    competent: Option<usize>,
    online_ok: bool,
}

fn standard_field(key: &str) -> Option<SF> {
    SF::ALL.into_iter().find(|f| f.key() == key)
}

/// The standard fields of a procedure's e-form with whether each is required.
fn form_of(p: &Procedure) -> Vec<(SF, bool)> {
    let required: Vec<&str> = p.eform["required"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut fields: Vec<(i64, SF, bool)> = p.eform["properties"]
        .as_object()
        .map(|props| {
            props
                .iter()
                .filter_map(|(k, v)| {
                    standard_field(k).map(|f| (v["x-order"].as_i64().unwrap_or(0), f, required.contains(&k.as_str())))
                })
                .collect()
        })
        .unwrap_or_default();
    fields.sort_by_key(|(o, _, _)| *o);
    fields.into_iter().map(|(_, f, r)| (f, r)).collect()
}

/// The applicant of one dossier, with the person who fills in the form.
struct Filer {
    applicant: Applicant,
    person: Person,
    account: Option<usize>,
    business: Option<(String, String)>,
    foreign: bool,
    /// The commune-level unit of the applicant's address.
    home: usize,
}

/// A citizen account as a person: birth year and sex come from the CCCD number, the rest of
/// the birth date from its serial digits, so a citizen is the same in every dossier.
fn account_person(a: &crate::DemoAccount) -> Person {
    let id = a.id_number.clone().unwrap_or_default();
    let d = |i: usize| id.as_bytes().get(i).map_or(0, |b| u32::from(b - b'0'));
    let century = d(3);
    let year = if century >= 2 { 2000 } else { 1900 } + (d(4) * 10 + d(5)) as i32;
    let serial = d(9) * 100 + d(10) * 10 + d(11);
    let birth = NaiveDate::from_ymd_opt(year, serial % 12 + 1, serial % 28 + 1).unwrap_or_default();
    Person {
        full_name: a.full_name.clone(),
        male: century % 2 == 0,
        birth,
        cccd: id,
        cccd_issued: NaiveDate::from_ymd_opt(2021 + (serial % 4) as i32, serial % 12 + 1, (serial / 12) % 28 + 1)
            .unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
    }
}

/// A running dossier: the state, its history, the clock.
struct Run<'a> {
    d: Dossier,
    hist: Vec<HistoryEntry>,
    t: NaiveDateTime,
    end: NaiveDateTime,
    cal: &'a Calendar,
    proc_: &'a Procedure,
    day_minutes: i64,
}

impl Run<'_> {
    /// `t` moved into working time (to the start of the next working period if outside).
    fn working(&self, t: NaiveDateTime) -> NaiveDateTime {
        if self.cal.is_working_time(t) {
            t
        } else {
            self.cal.add_working_days(t, 0)
        }
    }

    /// `minutes` of working time after the current step, plus a few seconds.
    fn after(&self, rng: &mut StdRng, minutes: i64) -> NaiveDateTime {
        let t = self.cal.add_working_minutes(self.t, minutes.max(1)) + Duration::seconds(rng.gen_range(0..60));
        self.working(t)
    }

    /// A random span of `lo..hi` working days, in minutes.
    fn days(&self, rng: &mut StdRng, lo: f64, hi: f64) -> i64 {
        (rng.gen_range(lo..hi) * self.day_minutes as f64) as i64
    }

    /// Working minutes left until the appointment (0 if it has passed or there is none).
    fn remaining(&self) -> i64 {
        self.d
            .appointment_at
            .map_or(0, |a| self.cal.working_minutes_between(self.t, a))
    }

    /// Apply an action at `t` (never before the previous step). Returns `None`, and leaves the
    /// dossier as it is, when `t` is after the end of the demo period.
    fn step(&mut self, action: Action, cmd: &Command, actor: &Actor, t: NaiveDateTime) -> Option<()> {
        let t = self.working(t.max(self.t + Duration::minutes(1)));
        if t > self.end {
            return None;
        }
        let applied = workflow::apply(&mut self.d, action, cmd, actor, t, self.cal, self.proc_.time_limit)
            .unwrap_or_else(|p| {
                panic!(
                    "demo dossier {}: {} refused: {}",
                    self.d.code,
                    action.as_str(),
                    p.message_en
                )
            });
        self.hist.push(applied.history);
        self.t = t;
        Some(())
    }
}

fn reason(&(code, text): &Reasoned) -> Command {
    Command {
        reason_code: Some(code.to_string()),
        reason: text.map(str::to_string),
        ..Command::default()
    }
}

/// Everything shared while generating.
struct World<'a> {
    cfg: &'a DemoConfig,
    city: &'a DemoCity,
    cal: &'a Calendar,
    format: &'a DossierCodeFormat,
    units: Vec<&'a Unit>,
    staff: HashMap<String, Staff>,
    info: Vec<ProcInfo>,
    centre: usize,
    communes: Vec<usize>,
    commune_pick: WeightedIndex<f64>,
    level_procs: [(Vec<usize>, WeightedIndex<f64>); 2],
    citizen_pick: WeightedIndex<f64>,
    citizen_people: Vec<Person>,
    /// Each demo citizen's home: commune-level unit index and address.
    citizen_homes: Vec<(usize, String)>,
    counters: BTreeMap<(String, NaiveDate), u64>,
    result_numbers: HashMap<usize, u32>,
    /// Short tags of the units for result numbers, by unit index.
    tags: Vec<String>,
    last_dossier_of_account: HashMap<usize, String>,
    ids: Vec<String>,
    day_minutes: i64,
}

pub fn build_dossiers(cfg: &DemoConfig, city: &DemoCity, cal: &Calendar, format: &DossierCodeFormat) -> DemoDossiers {
    let mut rng = stage_rng(cfg.seed, "dossiers");
    let units: Vec<&Unit> = city.units.iter().filter(|u| u.valid_to.is_none()).collect();
    let by_code: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.code.as_str(), i)).collect();
    let staff = staff_of(city, &units);
    let centre = units
        .iter()
        .position(|u| u.kind == UnitKind::ServiceCentre)
        .expect("the demo city has a service centre");
    let communes: Vec<usize> = (0..units.len()).filter(|&i| units[i].kind.is_commune_level()).collect();
    let commune_weights: Vec<f64> = communes
        .iter()
        .map(|&i| {
            let base = match units[i].kind {
                UnitKind::Ward => 1.6,
                UnitKind::SpecialZone if units[i].name.contains("Bạch Long Vĩ") => 0.03,
                UnitKind::SpecialZone => 0.6,
                _ => 1.0,
            };
            base * rng.gen_range(0.6..1.4)
        })
        .collect();
    let info: Vec<ProcInfo> = city
        .procedures
        .iter()
        .map(|p| ProcInfo {
            profile: fields::FIELDS
                .iter()
                .find(|f| f.name == p.field_name)
                .map_or(Profile::Organisation, |f| f.profile),
            form: form_of(p),
            competent: p.competent_unit.as_ref().and_then(|c| by_code.get(c.as_str()).copied()),
            online_ok: p.online_level.accepts_online(),
        })
        .collect();
    let level_procs = [Level::Commune, Level::City].map(|level| {
        let order = popular::ranked(&city.procedures, level, |rest| rest.shuffle(&mut rng));
        let weights: Vec<f64> = (0..order.len()).map(|r| 1.0 / (r as f64 + 1.0)).collect();
        let index = WeightedIndex::new(&weights).expect("each level has procedures");
        (order, index)
    });
    let citizen_weights: Vec<f64> = (0..city.citizens.len())
        .map(|k| 1.0 / (k as f64 + 1.0).powf(0.3))
        .collect();
    let day_minutes = cal.hours().daily_duration().num_minutes().max(60);
    let tags: Vec<String> = units.iter().map(|u| unit_tag(u)).collect();
    let commune_pick = WeightedIndex::new(&commune_weights).expect("communes exist");
    let citizen_homes: Vec<(usize, String)> = city
        .citizens
        .iter()
        .map(|_| {
            let home = communes[WeightedIndex::new(&commune_weights)
                .expect("communes exist")
                .sample(&mut rng)];
            (home, people::address(&mut rng, &units[home].name))
        })
        .collect();
    let mut w = World {
        cfg,
        city,
        cal,
        format,
        units,
        staff,
        info,
        centre,
        communes,
        commune_pick,
        level_procs,
        citizen_pick: WeightedIndex::new(&citizen_weights).expect("citizens exist"),
        citizen_people: city.citizens.iter().map(account_person).collect(),
        citizen_homes,
        counters: BTreeMap::new(),
        result_numbers: HashMap::new(),
        tags,
        last_dossier_of_account: HashMap::new(),
        ids: Vec::with_capacity(cfg.dossiers),
        day_minutes,
    };

    let times = submission_times(cfg, cal, cfg.dossiers, &mut rng);
    let items: Vec<(Dossier, Vec<HistoryEntry>)> = times.into_iter().map(|t0| w.one(t0, &mut rng)).collect();
    let counters = w
        .counters
        .iter()
        .map(|((code, day), seq)| (code.clone(), day.format("%Y-%m-%d").to_string(), *seq as i64))
        .collect();
    DemoDossiers { items, counters }
}

/// The officials of each unit as workflow actors.
fn staff_of(city: &DemoCity, units: &[&Unit]) -> HashMap<String, Staff> {
    let code_of: HashMap<&str, &str> = units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
    let mut found: HashMap<String, [Option<Actor>; 3]> = HashMap::new();
    for a in &city.officials {
        for (role, unit) in &a.roles {
            let slot = match role {
                Role::IntakeOfficer => 0,
                Role::ProcessingOfficer => 1,
                Role::UnitLeader => 2,
                _ => continue,
            };
            let actor = Actor {
                id: Some(a.username.clone()),
                name: a.full_name.clone(),
                title: a.title.clone(),
                unit_code: code_of.get(unit.as_str()).map(|c| c.to_string()),
                roles: vec![*role],
            };
            found.entry(unit.clone()).or_default()[slot] = Some(actor);
        }
    }
    found
        .into_iter()
        .filter_map(|(unit, [i, p, l])| {
            Some((
                unit,
                Staff {
                    intake: i?,
                    processing: p?,
                    leader: l?,
                },
            ))
        })
        .collect()
}

/// The first instant of the demo window: a year before the end, not before the two-tier city.
pub fn window_start(cfg: &DemoConfig) -> NaiveDateTime {
    let year_before = cfg.end - Duration::days(365);
    let reorganised = crate::units::reorganisation_day()
        .and_hms_opt(0, 0, 0)
        .expect("valid time");
    year_before.max(reorganised)
}

/// Submission times over the working days of the window, sorted.
fn submission_times(cfg: &DemoConfig, cal: &Calendar, n: usize, rng: &mut StdRng) -> Vec<NaiveDateTime> {
    if n == 0 {
        return Vec::new();
    }
    let start = window_start(cfg);
    let hours = cal.hours();
    let day_minutes = hours.daily_duration().num_minutes().max(60);
    let mut days = Vec::new();
    let mut weights = Vec::new();
    let span = (cfg.end - start).num_days().max(1) as f64;
    let mut d = start.date();
    while d <= cfg.end.date() {
        let opens = d.and_time(hours.start);
        if cal.is_working_day(d) && opens >= start && opens < cfg.end {
            let weekday = match d.weekday() {
                Weekday::Mon => 1.35,
                Weekday::Tue => 1.2,
                Weekday::Wed => 1.0,
                Weekday::Thu => 0.95,
                Weekday::Fri => 0.85,
                _ => 0.7,
            };
            // Volumes grow slowly over the year as more services move online.
            let trend = 0.9 + 0.2 * (d - start.date()).num_days() as f64 / span;
            days.push(d);
            weights.push(weekday * trend);
        }
        d = d.succ_opt().expect("dates stay in range");
    }
    assert!(!days.is_empty(), "the demo window has no working day");
    let pick_day = WeightedIndex::new(&weights).expect("positive weights");
    let mut out: Vec<NaiveDateTime> = (0..n)
        .map(|_| {
            loop {
                let day = days[pick_day.sample(rng)];
                // Mornings are busier: 62% of filings in the first half of the working day.
                let half = day_minutes / 2;
                let offset = if chance(rng, 0.62) {
                    rng.gen_range(0..half)
                } else {
                    rng.gen_range(half..day_minutes)
                };
                let t = cal.add_working_minutes(day.and_time(hours.start), offset)
                    + Duration::seconds(rng.gen_range(0..60));
                if cal.is_working_time(t) && t < cfg.end {
                    break t;
                }
            }
        })
        .collect();
    out.sort();
    out
}

impl World<'_> {
    fn unit_staff(&self, unit: usize) -> &Staff {
        self.staff
            .get(&self.units[unit].id)
            .unwrap_or_else(|| panic!("unit {} has no demo officials", self.units[unit].id))
    }

    fn one(&mut self, t0: NaiveDateTime, rng: &mut StdRng) -> (Dossier, Vec<HistoryEntry>) {
        let city = self.city;
        // Level, procedure, units.
        let level = if chance(rng, 0.72) { 0 } else { 1 };
        let (order, index) = &self.level_procs[level];
        let pi = order[index.sample(rng)];
        let p = &city.procedures[pi];
        let info = &self.info[pi];
        let (receiving, competent) = match p.level {
            Level::Commune => {
                let c = self.communes[self.commune_pick.sample(rng)];
                (c, c)
            }
            Level::City => (
                self.centre,
                info.competent.expect("city-level procedures have a competent unit"),
            ),
        };
        let channel = if info.online_ok
            && chance(
                rng,
                if p.online_level == citygov_domain::catalog::OnlineLevel::Full {
                    0.965
                } else {
                    0.93
                },
            ) {
            Channel::Online
        } else if chance(rng, 0.85) {
            Channel::InPerson
        } else {
            Channel::Postal
        };
        let online = channel == Channel::Online;

        let filer = self.filer(p, info, channel, receiving, rng);
        let id = uuid(rng);
        let day = t0.date();
        let agency: &AgencyCode = &self.units[receiving].code;
        let seq = self.counters.entry((agency.to_string(), day)).or_insert(0);
        *seq += 1;
        debug_assert!(*seq <= self.format.max_sequence(), "daily sequence exhausted");
        let code = self.format.render(agency, day, *seq).to_string();

        let fees: Vec<FeeLine> = p
            .fees
            .iter()
            .map(|f| FeeLine {
                code: f.code.clone(),
                name: f.name.clone(),
                amount_vnd: if online {
                    f.online_amount_vnd.unwrap_or(f.amount_vnd)
                } else {
                    f.amount_vnd
                },
                online_amount_vnd: None,
            })
            .collect();
        let fee_total: i64 = fees.iter().map(|f| f.amount_vnd).sum();
        let documents = self.documents(p, channel, filer.account, filer.applicant.kind, rng);
        let ward_name = &self.units[filer.home].name;
        let form_data = form_data(&info.form, &filer, ward_name, p, channel, rng);
        let mut national_db = Vec::new();
        if filer.applicant.kind == ApplicantType::Citizen && chance(rng, 0.7) {
            national_db.push("CSDLQGDC".to_string());
        }
        let extra_db = match p.field_name.as_str() {
            "Hộ tịch" => Some("CSDLHTDT"),
            "Đất đai" | "Đăng ký biện pháp bảo đảm" => Some("CSDLDDQG"),
            "Đăng ký kinh doanh" | "Hợp tác xã" | "Đầu tư tại Việt Nam" => Some("CSDLQGDKDN"),
            "Bảo trợ xã hội" | "Người có công" | "Việc làm" => Some("CSDLBHXH"),
            _ => None,
        };
        if let Some(db) = extra_db.filter(|_| chance(rng, 0.6)) {
            national_db.push(db.to_string());
        }
        let vneid_verified = match (channel, filer.account) {
            (Channel::Online, Some(a)) => city.citizens[a].vneid_verified,
            (Channel::Online, None) => chance(
                rng,
                if filer.applicant.kind == ApplicantType::Organisation {
                    0.3
                } else {
                    0.35
                },
            ),
            _ => false,
        };

        let d = Dossier {
            code,
            applicant_account_id: filer.account.map(|a| city.citizens[a].username.clone()),
            vneid_verified,
            // Attached after the lifecycle (see the module documentation).
            documents,
            fees,
            national_db_consulted: national_db,
            ..Dossier::submitted(
                id.clone(),
                &p.code,
                &p.name,
                Routing::new(self.units[receiving], self.units[competent]),
                channel,
                filer.applicant.clone(),
                t0,
            )
        };
        let applicant_actor = Actor {
            id: filer.account.map(|a| city.citizens[a].username.clone()),
            name: filer.applicant.full_name.clone(),
            title: "Người nộp hồ sơ".into(),
            unit_code: None,
            roles: vec![Role::Applicant],
        };
        let desk = &self.unit_staff(receiving).intake;
        let (file_actor, content) = match channel {
            Channel::Online => (&applicant_actor, "Nộp hồ sơ trực tuyến"),
            Channel::InPerson => (desk, "Nộp hồ sơ trực tiếp tại Bộ phận Một cửa"),
            Channel::Postal => (desk, "Nhận hồ sơ qua dịch vụ bưu chính công ích"),
        };
        let filed = HistoryEntry {
            at: t0,
            action: "file".into(),
            event: "dossier.filed".into(),
            from_status: None,
            to_status: Status::Submitted,
            actor_id: file_actor.id.clone(),
            actor_name: file_actor.name.clone(),
            actor_title: file_actor.title.clone(),
            unit_code: file_actor.unit_code.clone(),
            content: content.into(),
            step_deadline: None,
        };
        let mut run = Run {
            d,
            hist: vec![filed],
            t: t0,
            end: self.cfg.end,
            cal: self.cal,
            proc_: p,
            day_minutes: self.day_minutes,
        };
        let result_code = self.result_code(competent, t0.year());
        let _ = self.lifecycle(
            &mut run,
            receiving,
            competent,
            &applicant_actor,
            fee_total,
            result_code,
            rng,
        );
        run.d.form_data = form_data;

        if let Some(a) = filer.account {
            self.last_dossier_of_account.insert(a, id.clone());
        }
        self.ids.push(id);
        (run.d, run.hist)
    }

    /// The steps after filing; stops (returning `None`) at the first step past the end.
    #[allow(clippy::too_many_arguments)]
    fn lifecycle(
        &self,
        run: &mut Run,
        receiving: usize,
        competent: usize,
        applicant: &Actor,
        fee_total: i64,
        result_code: String,
        rng: &mut StdRng,
    ) -> Option<()> {
        let desk = &self.unit_staff(receiving).intake;
        let desk_leader = &self.unit_staff(receiving).leader;
        let officer = &self.unit_staff(competent).processing;
        let leader = &self.unit_staff(competent).leader;
        let channel = run.d.channel;
        let online = channel == Channel::Online;
        let in_person = channel == Channel::InPerson;
        // The applicant acts online; otherwise the desk records what they bring.
        let applicant_side = if online { applicant } else { desk };
        let p = run.proc_;
        let day = self.day_minutes;

        let u: f64 = rng.r#gen();
        let refuse = !in_person && u < 0.028;
        let withdraw = (0.028..0.038).contains(&u);
        let stop = (0.038..0.043).contains(&u);
        let supplement = stop && chance(rng, 0.5) || chance(rng, 0.10);
        let supplement_at_intake = supplement && !in_person && !stop && chance(rng, 0.3);
        let second_supplement = supplement && !supplement_at_intake && !stop && chance(rng, 0.12);
        // A few dossiers get stuck for weeks (waiting on another agency): the backlog that is
        // still open and overdue at the end of the period.
        let stuck = chance(rng, 0.006);
        let late = stuck || chance(rng, 0.03);
        let apology = late && chance(rng, 0.35);

        // Intake.
        if in_person {
            let m = rng.gen_range(3..20);
            let t = run.after(rng, m);
            run.step(Action::Accept, &Command::default(), desk, t)?;
        } else {
            let first_look = rng.gen_range(15..60) + (rng.r#gen::<f64>().powi(3) * 2.0 * day as f64) as i64;
            if refuse {
                let t = run.after(rng, first_look);
                return run.step(
                    Action::Refuse,
                    &reason(pick(rng, REFUSAL_REASONS)),
                    if chance(rng, 0.9) { desk } else { desk_leader },
                    t,
                );
            }
            if withdraw && chance(rng, 0.5) {
                let m = rng.gen_range(30..day);
                let t = run.after(rng, m);
                return run.step(
                    Action::Withdraw,
                    &reason(pick(rng, WITHDRAW_REASONS)),
                    applicant_side,
                    t,
                );
            }
            if supplement_at_intake {
                let t = run.after(rng, first_look);
                run.step(Action::RequestSupplement, &self.supplement_cmd(p, rng), desk, t)?;
                let m = run.days(rng, 0.5, 6.0);
                let t = run.after(rng, m);
                run.step(Action::SubmitSupplement, &Command::default(), applicant_side, t)?;
            }
            let t = run.after(rng, first_look);
            run.step(Action::Accept, &Command::default(), desk, t)?;
        }
        // Processing-phase delays are a small share of the legal time left, so that only the
        // dossiers drawn as late (or with a long payment wait) miss their appointment.
        let m = rng.gen_range(5..(run.remaining() / 20).clamp(6, 240));
        let t = run.after(rng, m);
        run.step(Action::Forward, &Command::default(), desk, t)?;

        // Processing.
        if supplement && !supplement_at_intake {
            let share = rng.gen_range(0.1..0.4);
            let t = run.after(rng, ((run.remaining() as f64 * share) as i64).max(30));
            run.step(Action::RequestSupplement, &self.supplement_cmd(p, rng), officer, t)?;
            if stop {
                let m = run.days(rng, 10.0, 20.0);
                let t = run.after(rng, m);
                return run.step(Action::Stop, &reason(&STOP_NO_SUPPLEMENT), officer, t);
            }
            if withdraw {
                let m = run.days(rng, 1.0, 5.0);
                let t = run.after(rng, m);
                return run.step(
                    Action::Withdraw,
                    &reason(pick(rng, WITHDRAW_REASONS)),
                    applicant_side,
                    t,
                );
            }
            let m = run.days(rng, 0.5, 8.0);
            let t = run.after(rng, m);
            run.step(Action::SubmitSupplement, &Command::default(), applicant_side, t)?;
            if second_supplement {
                let t = run.after(rng, ((run.remaining() as f64 * 0.3) as i64).max(30));
                run.step(Action::RequestSupplement, &self.supplement_cmd(p, rng), officer, t)?;
                let m = run.days(rng, 0.5, 5.0);
                let t = run.after(rng, m);
                run.step(Action::SubmitSupplement, &Command::default(), applicant_side, t)?;
            }
        } else if withdraw {
            let m = run.days(rng, 0.2, 3.0);
            let t = run.after(rng, m);
            return run.step(Action::Withdraw, &reason(pick(rng, WITHDRAW_REASONS)), desk, t);
        } else if stop {
            let m = run.days(rng, 0.5, 5.0);
            let t = run.after(rng, m);
            return run.step(
                Action::Stop,
                &reason(pick(rng, STOP_REASONS)),
                if chance(rng, 0.5) { officer } else { leader },
                t,
            );
        }

        if fee_total > 0 {
            let m = rng.gen_range(5..(run.remaining() / 10).clamp(6, day));
            let t = run.after(rng, m);
            let cmd = Command {
                fee_lines: run.d.fees.clone(),
                ..Command::default()
            };
            run.step(Action::RequestPayment, &cmd, officer, t)?;
            let channel_paid: u8 = if online {
                *pick(rng, &[1, 1, 1, 1, 2, 2, 2, 2, 2, 0])
            } else if chance(rng, 0.2) {
                2
            } else {
                0
            };
            let reference = match channel_paid {
                1 => format!("DVCQG{}", digits(rng, 12)),
                2 => format!("HPPAY{}", digits(rng, 10)),
                _ => format!("BL{}", digits(rng, 7)),
            };
            let payer = if channel_paid > 0 && online { applicant } else { desk };
            let cmd = Command {
                payment_channel: Some(channel_paid),
                payment_reference: Some(reference),
                ..Command::default()
            };
            // Most pay within the hour; a few take days (the legal clock keeps running).
            let m = if chance(rng, 0.05) {
                run.days(rng, 1.0, 3.0)
            } else {
                rng.gen_range(5..(run.remaining() / 5).clamp(6, day))
            };
            let t = run.after(rng, m);
            run.step(Action::ConfirmPayment, &cmd, payer, t)?;
        }

        // Finish, on time or late.
        let finisher = if chance(rng, 0.8) { officer } else { leader };
        let appointment = run.d.appointment_at.expect("an accepted dossier has an appointment");
        let finish_at = if late && run.t < appointment {
            if apology {
                let before = run.cal.add_working_minutes(appointment, -rng.gen_range(30..day));
                let t = before.max(run.t + Duration::minutes(1));
                if t < appointment {
                    let new = run
                        .cal
                        .add_working_minutes(appointment, run.days(rng, 1.0, 5.0).max(60));
                    let cmd = Command {
                        new_appointment: Some(new),
                        ..reason(pick(rng, APOLOGY_REASONS))
                    };
                    run.step(
                        Action::Apologize,
                        &cmd,
                        if chance(rng, 0.5) { officer } else { leader },
                        t,
                    )?;
                }
            }
            let overrun = if stuck {
                run.days(rng, 20.0, 60.0)
            } else {
                rng.gen_range(30..day) + (rng.r#gen::<f64>().powi(3) * 10.0 * day as f64) as i64
            };
            run.working(run.cal.add_working_minutes(appointment, overrun))
        } else {
            let share = rng.gen_range(0.15..0.9);
            let m = ((run.remaining() as f64 * share) as i64).max(rng.gen_range(5..60));
            run.after(rng, m)
        };
        let cmd = Command {
            results: vec![ResultDocument {
                name: p.result_name.clone(),
                result_code,
                file: None,
            }],
            ..Command::default()
        };
        run.step(Action::Finish, &cmd, finisher, finish_at)?;

        // Return of the result; a few are never collected.
        if chance(rng, 0.985) {
            let wait = if online && p.result_kind == citygov_domain::catalog::ResultKind::Electronic {
                rng.gen_range(5..120)
            } else {
                rng.gen_range(30..60) + run.days(rng, 0.0, 4.0)
            };
            let t = run.after(rng, wait);
            run.step(Action::ReturnResult, &Command::default(), desk, t)?;
        }
        Some(())
    }

    fn supplement_cmd(&self, p: &Procedure, rng: &mut StdRng) -> Command {
        let mut missing: Vec<String> = p
            .components
            .iter()
            .skip(1)
            .filter(|_| chance(rng, 0.5))
            .map(|c| c.name.clone())
            .take(2)
            .collect();
        if missing.is_empty() {
            missing.push(
                p.components
                    .last()
                    .map_or_else(|| "Giấy tờ kèm theo".to_string(), |c| c.name.clone()),
            );
        }
        Command {
            missing_papers: missing,
            ..reason(pick(rng, SUPPLEMENT_REASONS))
        }
    }

    /// The number of a result: per competent unit and year, e.g. `00125/2025/KQ-STP`.
    fn result_code(&mut self, unit: usize, year: i32) -> String {
        let n = self.result_numbers.entry(unit).or_insert(0);
        *n += 1;
        format!("{:05}/{year}/KQ-{}", n, self.tags[unit])
    }

    fn filer(&self, p: &Procedure, info: &ProcInfo, channel: Channel, receiving: usize, rng: &mut StdRng) -> Filer {
        let today = self.cfg.end.date();
        let kind = if p.applicant_types.len() == 1 || chance(rng, 0.85) {
            p.applicant_types[0]
        } else {
            *pick(rng, &p.applicant_types[1..])
        };
        let home_commune = if self.units[receiving].kind.is_commune_level() && chance(rng, 0.85) {
            receiving
        } else {
            self.communes[self.commune_pick.sample(rng)]
        };
        let mut address = people::address(rng, &self.units[home_commune].name);
        match kind {
            ApplicantType::Citizen => {
                let account = (channel == Channel::Online && chance(rng, 0.78)).then(|| self.citizen_pick.sample(rng));
                // A demo citizen lives at the same address in every dossier.
                let home_commune = match account {
                    Some(a) => {
                        address = self.citizen_homes[a].1.clone();
                        self.citizen_homes[a].0
                    }
                    None => home_commune,
                };
                let person = match account {
                    Some(a) => self.citizen_people[a].clone(),
                    None => people::person(rng, today, 18, 80),
                };
                let business = (info.profile == Profile::Business)
                    .then(|| (format!("Hộ kinh doanh {}", person.full_name), people::tax_code(rng)));
                let applicant = Applicant {
                    kind,
                    full_name: person.full_name.clone(),
                    id_number: person.cccd.clone(),
                    phone: Some(person.phone.clone()),
                    email: Some(person.email.clone()).filter(|_| channel == Channel::Online || chance(rng, 0.4)),
                    address: Some(address),
                };
                Filer {
                    applicant,
                    person,
                    account,
                    business,
                    foreign: false,
                    home: home_commune,
                }
            }
            ApplicantType::Organisation => {
                let name = people::company_name(rng);
                let tax = people::tax_code(rng);
                let person = people::person(rng, today, 25, 65);
                let applicant = Applicant {
                    kind,
                    full_name: name.clone(),
                    id_number: tax.clone(),
                    phone: Some(person.phone.clone()),
                    email: Some(format!(
                        "vanthu.{}@example.vn",
                        crate::text::slug(&name).chars().take(20).collect::<String>()
                    )),
                    address: Some(address),
                };
                Filer {
                    applicant,
                    person,
                    account: None,
                    business: Some((name, tax)),
                    foreign: false,
                    home: home_commune,
                }
            }
            ApplicantType::Foreigner => {
                let (name, passport) = people::foreigner(rng);
                let mut person = people::person(rng, today, 22, 65);
                person.full_name = name.clone();
                let applicant = Applicant {
                    kind,
                    full_name: name,
                    id_number: passport,
                    phone: Some(person.phone.clone()),
                    email: Some(person.email.clone()),
                    address: Some(address),
                };
                Filer {
                    applicant,
                    person,
                    account: None,
                    business: None,
                    foreign: true,
                    home: home_commune,
                }
            }
        }
    }

    /// Submitted documents: every required component and some optional ones.
    fn documents(
        &self,
        p: &Procedure,
        channel: Channel,
        account: Option<usize>,
        kind: ApplicantType,
        rng: &mut StdRng,
    ) -> Vec<SubmittedDocument> {
        let earlier_own = account.and_then(|a| self.last_dossier_of_account.get(&a));
        p.components
            .iter()
            .filter_map(|c| {
                if !c.required && !chance(rng, 0.35) {
                    return None;
                }
                // The request form itself is always new; attached papers may be reused.
                let reused = c.code != "TP01" && !self.ids.is_empty() && chance(rng, 0.12);
                let digitisation = if reused {
                    let from = earlier_own
                        .cloned()
                        .unwrap_or_else(|| self.ids[rng.gen_range(0..self.ids.len())].clone());
                    if earlier_own.is_some() && chance(rng, 0.3) {
                        Digitisation::ReusedResult { from_dossier: from }
                    } else {
                        Digitisation::ReusedDocument { from_dossier: from }
                    }
                } else if channel == Channel::InPerson && chance(rng, 0.12) {
                    Digitisation::NotDigitised
                } else {
                    Digitisation::Digitised
                };
                Some(SubmittedDocument {
                    component_code: c.code.clone(),
                    file: None,
                    digitisation,
                    from_national_store: channel == Channel::Online
                        && kind == ApplicantType::Citizen
                        && chance(rng, 0.12),
                })
            })
            .collect()
    }
}

/// Form data that satisfies the procedure's e-form: every required field, most optional ones.
fn form_data(
    form: &[(SF, bool)],
    filer: &Filer,
    ward: &str,
    p: &Procedure,
    channel: Channel,
    rng: &mut StdRng,
) -> Value {
    let person = &filer.person;
    let mut m = Map::new();
    for (field, required) in form {
        if !required && !chance(rng, 0.75) {
            continue;
        }
        let value = match field {
            SF::FullName => json!(person.full_name),
            SF::DateOfBirth => json!(person.birth.format("%Y-%m-%d").to_string()),
            SF::Gender => json!(if person.male { "Nam" } else { "Nữ" }),
            SF::Cccd if filer.foreign => continue,
            SF::Cccd => json!(person.cccd),
            SF::CccdIssueDate if filer.foreign => continue,
            SF::CccdIssueDate => json!(person.cccd_issued.format("%Y-%m-%d").to_string()),
            SF::Phone => json!(person.phone),
            SF::Email => json!(person.email),
            SF::PermanentAddress | SF::CurrentAddress => json!(
                filer
                    .applicant
                    .address
                    .clone()
                    .unwrap_or_else(|| format!("{ward}, thành phố Hải Phòng"))
            ),
            SF::Ward => json!(ward),
            SF::Purpose => json!(format!("Đề nghị giải quyết: {}", p.name.trim_end_matches('.'))),
            SF::BusinessName => json!(
                filer
                    .business
                    .as_ref()
                    .map_or_else(|| format!("Hộ kinh doanh {}", person.full_name), |b| b.0.clone())
            ),
            SF::TaxCode => match &filer.business {
                Some((_, tax)) => json!(tax),
                None => json!(people::tax_code(rng)),
            },
            SF::BusinessLine => json!(pick(rng, BUSINESS_LINES)),
            SF::LandParcelNumber => json!(rng.gen_range(1..3000).to_string()),
            SF::MapSheetNumber => json!(rng.gen_range(1..150).to_string()),
            SF::LandArea => json!((rng.gen_range(40.0..600.0f64) * 10.0).round() / 10.0),
            SF::ConstructionArea => json!((rng.gen_range(30.0..400.0f64) * 10.0).round() / 10.0),
            SF::NumberOfFloors => json!(rng.gen_range(1..=6)),
            SF::NumberOfCopies => json!(rng.gen_range(1..=4)),
            SF::DeliveryMethod => json!(match channel {
                Channel::Online => {
                    if p.result_kind == citygov_domain::catalog::ResultKind::Electronic || chance(rng, 0.5) {
                        "Nhận trực tuyến"
                    } else {
                        "Qua dịch vụ bưu chính công ích"
                    }
                }
                Channel::Postal => "Qua dịch vụ bưu chính công ích",
                Channel::InPerson => "Nhận trực tiếp tại Bộ phận Một cửa",
            }),
        };
        m.insert(field.key().to_string(), value);
    }
    Value::Object(m)
}
