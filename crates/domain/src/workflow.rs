//! The dossier lifecycle as an explicit transition table: for each status and action, the
//! next status, the roles that may do it, what must be given, and the event it records.
//! [`apply`] is the only way a dossier changes status; anything not in [`TABLE`] is refused.

use crate::calendar::Calendar;
use crate::catalog::TimeLimit;
use crate::dossier::{Apology, Dossier, HistoryEntry, ResultDocument, Status, Supplement};
use crate::{LocalTime, Problem};
use serde::{Deserialize, Serialize};

/// Roles, each held within a unit (an applicant's role is held over their own dossiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    IntakeOfficer,
    ProcessingOfficer,
    UnitLeader,
    Administrator,
    /// Data steward (cán bộ quản lý dữ liệu): manages the warehouse datasets of the unit.
    DataSteward,
    /// Data analyst (cán bộ phân tích dữ liệu): queries what is granted.
    Analyst,
    /// Auditor (thanh tra viên): reads every dossier, its history and the audit trail, and
    /// acts on none.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Applicant,
        Role::IntakeOfficer,
        Role::ProcessingOfficer,
        Role::UnitLeader,
        Role::Administrator,
        Role::DataSteward,
        Role::Analyst,
        Role::Auditor,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::IntakeOfficer => "intake_officer",
            Role::ProcessingOfficer => "processing_officer",
            Role::UnitLeader => "unit_leader",
            Role::Administrator => "administrator",
            Role::DataSteward => "data_steward",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn title_vi(self) -> &'static str {
        match self {
            Role::Applicant => "Người nộp hồ sơ",
            Role::IntakeOfficer => "Cán bộ tiếp nhận",
            Role::ProcessingOfficer => "Cán bộ xử lý",
            Role::UnitLeader => "Lãnh đạo đơn vị",
            Role::Administrator => "Quản trị hệ thống",
            Role::DataSteward => "Cán bộ quản lý dữ liệu",
            Role::Analyst => "Cán bộ phân tích dữ liệu",
            Role::Auditor => "Thanh tra viên",
        }
    }
    pub fn title_en(self) -> &'static str {
        match self {
            Role::Applicant => "Applicant",
            Role::IntakeOfficer => "Intake officer",
            Role::ProcessingOfficer => "Processing officer",
            Role::UnitLeader => "Unit leader",
            Role::Administrator => "Administrator",
            Role::DataSteward => "Data steward",
            Role::Analyst => "Data analyst",
            Role::Auditor => "Auditor",
        }
    }
}

/// Actions of the lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accept,
    Refuse,
    Forward,
    RequestSupplement,
    SubmitSupplement,
    RequestPayment,
    ConfirmPayment,
    Withdraw,
    Stop,
    Finish,
    ReturnResult,
    Apologize,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::Accept,
        Action::Refuse,
        Action::Forward,
        Action::RequestSupplement,
        Action::SubmitSupplement,
        Action::RequestPayment,
        Action::ConfirmPayment,
        Action::Withdraw,
        Action::Stop,
        Action::Finish,
        Action::ReturnResult,
        Action::Apologize,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Refuse => "refuse",
            Action::Forward => "forward",
            Action::RequestSupplement => "request_supplement",
            Action::SubmitSupplement => "submit_supplement",
            Action::RequestPayment => "request_payment",
            Action::ConfirmPayment => "confirm_payment",
            Action::Withdraw => "withdraw",
            Action::Stop => "stop",
            Action::Finish => "finish",
            Action::ReturnResult => "return_result",
            Action::Apologize => "apologize",
        }
    }
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn name_vi(self) -> &'static str {
        match self {
            Action::Accept => "Tiếp nhận",
            Action::Refuse => "Từ chối tiếp nhận",
            Action::Forward => "Chuyển xử lý",
            Action::RequestSupplement => "Yêu cầu bổ sung",
            Action::SubmitSupplement => "Nộp bổ sung",
            Action::RequestPayment => "Yêu cầu nộp phí, lệ phí",
            Action::ConfirmPayment => "Xác nhận đã nộp phí",
            Action::Withdraw => "Rút hồ sơ",
            Action::Stop => "Dừng xử lý",
            Action::Finish => "Hoàn thành xử lý",
            Action::ReturnResult => "Trả kết quả",
            Action::Apologize => "Xin lỗi và hẹn lại",
        }
    }
}

/// What an action must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// A reason: a code from the action's list or, where a code is optional, free text.
    Reason,
    /// A reason code from the action's list (`reasons::reasons_for`); free text too for "khac".
    ReasonCode,
    MissingPapers,
    ResultDocuments,
    NewAppointment,
    PaymentDetails,
    FeeLines,
}

impl Requirement {
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Reason => "reason",
            Requirement::ReasonCode => "reason_code",
            Requirement::MissingPapers => "missing_papers",
            Requirement::ResultDocuments => "result_documents",
            Requirement::NewAppointment => "new_appointment",
            Requirement::PaymentDetails => "payment",
            Requirement::FeeLines => "fee_lines",
        }
    }
}

/// Where a transition leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    To(Status),
    /// Stays in the same status (an apology).
    Same,
    /// Back to the status held when the supplement was requested (1, 2 or 4).
    Resume,
}

/// One row of the transition table.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Transition {
    pub from: Status,
    pub action: Action,
    pub next: Next,
    pub roles: &'static [Role],
    pub requires: &'static [Requirement],
    /// Stable event name recorded in history, audit and outbox.
    pub event: &'static str,
}

use Role::{Applicant as A, IntakeOfficer as I, ProcessingOfficer as P, UnitLeader as L};
use Status::*;

const fn t(
    from: Status,
    action: Action,
    next: Next,
    roles: &'static [Role],
    requires: &'static [Requirement],
    event: &'static str,
) -> Transition {
    Transition {
        from,
        action,
        next,
        roles,
        requires,
        event,
    }
}

/// The lifecycle. Every status change of a dossier is one of these rows.
#[rustfmt::skip]
pub const TABLE: &[Transition] = &[
    t(Submitted, Action::Accept, Next::To(Accepted), &[I, L], &[], "dossier.accepted"),
    t(Submitted, Action::Refuse, Next::To(IntakeRefused), &[I, L], &[Requirement::ReasonCode], "dossier.intake_refused"),
    t(Submitted, Action::RequestSupplement, Next::To(SupplementRequested), &[I, L], &[Requirement::ReasonCode, Requirement::MissingPapers], "dossier.supplement_requested"),
    t(Submitted, Action::Withdraw, Next::To(Withdrawn), &[A, I], &[Requirement::Reason], "dossier.withdrawn"),
    t(Accepted, Action::Forward, Next::To(Processing), &[I, L], &[], "dossier.forwarded"),
    t(Accepted, Action::RequestSupplement, Next::To(SupplementRequested), &[I, L], &[Requirement::ReasonCode, Requirement::MissingPapers], "dossier.supplement_requested"),
    t(Accepted, Action::Withdraw, Next::To(Withdrawn), &[A, I], &[Requirement::Reason], "dossier.withdrawn"),
    t(Accepted, Action::Apologize, Next::Same, &[P, L], &[Requirement::Reason, Requirement::NewAppointment], "dossier.apology_issued"),
    t(Processing, Action::RequestSupplement, Next::To(SupplementRequested), &[P, L], &[Requirement::ReasonCode, Requirement::MissingPapers], "dossier.supplement_requested"),
    t(Processing, Action::RequestPayment, Next::To(AwaitingPayment), &[P, L], &[Requirement::FeeLines], "dossier.payment_requested"),
    t(Processing, Action::Finish, Next::To(Processed), &[P, L], &[Requirement::ResultDocuments], "dossier.processed"),
    t(Processing, Action::Stop, Next::To(Stopped), &[P, L], &[Requirement::ReasonCode], "dossier.stopped"),
    t(Processing, Action::Withdraw, Next::To(Withdrawn), &[A, I], &[Requirement::Reason], "dossier.withdrawn"),
    t(Processing, Action::Apologize, Next::Same, &[P, L], &[Requirement::Reason, Requirement::NewAppointment], "dossier.apology_issued"),
    t(SupplementRequested, Action::SubmitSupplement, Next::Resume, &[A, I], &[], "dossier.supplement_received"),
    t(SupplementRequested, Action::Withdraw, Next::To(Withdrawn), &[A, I], &[Requirement::Reason], "dossier.withdrawn"),
    t(SupplementRequested, Action::Stop, Next::To(Stopped), &[P, L], &[Requirement::ReasonCode], "dossier.stopped"),
    t(AwaitingPayment, Action::ConfirmPayment, Next::To(Processing), &[A, I, P], &[Requirement::PaymentDetails], "dossier.payment_confirmed"),
    t(AwaitingPayment, Action::Withdraw, Next::To(Withdrawn), &[A, I], &[Requirement::Reason], "dossier.withdrawn"),
    t(AwaitingPayment, Action::Stop, Next::To(Stopped), &[P, L], &[Requirement::ReasonCode], "dossier.stopped"),
    t(AwaitingPayment, Action::Apologize, Next::Same, &[P, L], &[Requirement::Reason, Requirement::NewAppointment], "dossier.apology_issued"),
    t(Processed, Action::ReturnResult, Next::To(Returned), &[I, L], &[], "dossier.result_returned"),
];

/// The row for a status and action, if the table declares one.
pub fn find(from: Status, action: Action) -> Option<&'static Transition> {
    TABLE.iter().find(|t| t.from == from && t.action == action)
}

/// Actions available in a status to someone holding any of `roles`.
pub fn available(from: Status, roles: &[Role]) -> Vec<&'static Transition> {
    TABLE
        .iter()
        .filter(|t| t.from == from && t.roles.iter().any(|r| roles.contains(r)))
        .collect()
}

/// What the caller gives with an action. Fields unused by an action are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    #[serde(default)]
    pub reason: Option<String>,
    /// A structured reason code from the action's list (`reasons::reasons_for`); required to
    /// refuse, request a supplement or stop. Free text goes in `reason` (required with "khac").
    #[serde(default)]
    pub reason_code: Option<String>,
    #[serde(default)]
    pub missing_papers: Vec<String>,
    #[serde(default)]
    pub results: Vec<ResultDocument>,
    #[serde(default)]
    pub new_appointment: Option<LocalTime>,
    /// 0 at the desk, 1 national portal, 2 local gateway.
    #[serde(default)]
    pub payment_channel: Option<u8>,
    #[serde(default)]
    pub payment_reference: Option<String>,
    #[serde(default)]
    pub fee_lines: Vec<crate::catalog::FeeLine>,
    /// Unit to forward to; defaults to the dossier's competent unit.
    #[serde(default)]
    pub to_unit_code: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Who acts: their name and title for history, and the roles that matched for this dossier
/// (the caller has already resolved unit scope: roles held in the dossier's units).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<String>,
    pub name: String,
    pub title: String,
    pub unit_code: Option<String>,
    pub roles: Vec<Role>,
}

/// The outcome of an applied action.
#[derive(Debug, Clone)]
pub struct Applied {
    pub transition: &'static Transition,
    pub history: HistoryEntry,
}

fn refuse(code: &str, vi: String, en: String) -> Problem {
    Problem::new(code, vi, en)
}

/// The reason to record for a transition: a code from the action's list (required where the
/// table says so) and free text, as "<label>: <text>".
fn need_reason(tr: &Transition, cmd: &Command) -> Result<String, Problem> {
    crate::reasons::reason_text(
        tr.action,
        tr.requires.contains(&Requirement::ReasonCode),
        cmd.reason_code.as_deref(),
        cmd.reason.as_deref(),
    )
}

/// Apply an action to a dossier at `now`, following the table. On success the dossier is
/// changed and the history entry to record is returned; on error nothing is changed.
pub fn apply(
    d: &mut Dossier,
    action: Action,
    cmd: &Command,
    actor: &Actor,
    now: LocalTime,
    cal: &Calendar,
    limit: TimeLimit,
) -> Result<Applied, Problem> {
    let tr = find(d.status, action).ok_or_else(|| {
        refuse(
            "transition_not_allowed",
            format!(
                "Không thể «{}» hồ sơ đang ở trạng thái «{}».",
                action.name_vi(),
                d.status.name_vi()
            ),
            format!(
                "Cannot {} a dossier in status “{}”.",
                action.as_str().replace('_', " "),
                d.status.name_en()
            ),
        )
    })?;
    if !tr.roles.iter().any(|r| actor.roles.contains(r)) {
        let allowed: Vec<&str> = tr.roles.iter().map(|r| r.title_vi()).collect();
        let allowed_en: Vec<&str> = tr.roles.iter().map(|r| r.as_str()).collect();
        return Err(refuse(
            "forbidden_role",
            format!("Chỉ {} mới được «{}» hồ sơ này.", allowed.join(", "), action.name_vi()),
            format!(
                "Only {} may {} this dossier.",
                allowed_en.join(", "),
                action.as_str().replace('_', " ")
            ),
        ));
    }
    // Work on a copy so that an error leaves the dossier untouched.
    let mut n = d.clone();
    let from = n.status;
    let mut content: String;
    let mut to = match tr.next {
        Next::To(s) => s,
        Next::Same => from,
        Next::Resume => n.resume_status.unwrap_or(Status::Submitted),
    };
    match action {
        Action::Accept => {
            let appt = cal.deadline(now, limit.value, limit.unit);
            n.accepted_at = Some(now);
            n.appointment_at = Some(appt);
            content = format!("Tiếp nhận hồ sơ; hẹn trả kết quả {}", appt.format("%d/%m/%Y %H:%M"));
        }
        Action::Refuse => {
            let r = need_reason(tr, cmd)?;
            n.refused_at = Some(now);
            n.end_reason = Some(r.clone());
            content = r;
        }
        Action::Forward => {
            if let Some(u) = &cmd.to_unit_code {
                n.competent_unit_code = u.clone();
            }
            content = format!("Chuyển đơn vị có thẩm quyền {}", n.competent_unit_code);
        }
        Action::RequestSupplement => {
            let r = need_reason(tr, cmd)?;
            let missing: Vec<String> = cmd
                .missing_papers
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if missing.is_empty() {
                return Err(Problem::required(
                    "missing_papers",
                    "Danh sách giấy tờ cần bổ sung",
                    "List of missing papers",
                ));
            }
            n.resume_status = Some(from);
            if let Some(appt) = n.appointment_at {
                n.paused_remaining_minutes = Some(cal.working_minutes_between(now, appt));
            }
            n.paused_at = Some(now);
            if !n.supplements.is_empty() {
                // Only one supplement request is lawful; a second one counts as overdue.
                n.overdue_for_reporting = true;
            }
            n.supplements.push(Supplement {
                requested_by: actor.name.clone(),
                requested_at: now,
                reason: r.clone(),
                missing: missing.clone(),
                received_at: None,
                old_appointment: n.appointment_at,
                new_appointment: None,
            });
            content = format!("{r}. Cần bổ sung: {}", missing.join("; "));
        }
        Action::SubmitSupplement => {
            if let (Some(_), Some(rem)) = (n.paused_at, n.paused_remaining_minutes) {
                n.appointment_at = Some(cal.add_working_minutes(now, rem));
            }
            n.paused_at = None;
            n.paused_remaining_minutes = None;
            to = n.resume_status.take().unwrap_or(Status::Submitted);
            let appt = n.appointment_at;
            if let Some(s) = n.supplements.last_mut() {
                s.received_at = Some(now);
                s.new_appointment = appt;
            }
            content = match appt {
                Some(a) => format!(
                    "Đã nhận hồ sơ bổ sung; hẹn trả kết quả mới {}",
                    a.format("%d/%m/%Y %H:%M")
                ),
                None => "Đã nhận hồ sơ bổ sung".to_string(),
            };
        }
        Action::RequestPayment => {
            if cmd.fee_lines.is_empty() && n.fees.is_empty() {
                return Err(Problem::required("fee_lines", "Các khoản phí, lệ phí", "Fee lines"));
            }
            if !cmd.fee_lines.is_empty() {
                n.fees = cmd.fee_lines.clone();
            }
            let total: i64 = n.fees.iter().map(|f| f.amount_vnd).sum();
            n.payment.amount_vnd = total;
            content = format!("Yêu cầu nộp {total} đồng");
        }
        Action::ConfirmPayment => {
            let ch = cmd
                .payment_channel
                .ok_or_else(|| Problem::required("payment_channel", "Hình thức thanh toán", "Payment channel"))?;
            if ch > 2 {
                return Err(Problem::new(
                    "invalid",
                    "Hình thức thanh toán phải là 0, 1 hoặc 2.",
                    "Payment channel must be 0, 1 or 2.",
                )
                .at("payment_channel"));
            }
            n.payment.online_channel = ch;
            n.payment.paid_at = Some(now);
            n.payment.reference = cmd.payment_reference.clone();
            content = format!("Đã thanh toán {} đồng", n.payment.amount_vnd);
        }
        Action::Withdraw => {
            let r = need_reason(tr, cmd)?;
            n.withdrawn_at = Some(now);
            n.end_reason = Some(r.clone());
            content = r;
        }
        Action::Stop => {
            let r = need_reason(tr, cmd)?;
            n.stopped_at = Some(now);
            n.end_reason = Some(r.clone());
            content = r;
        }
        Action::Finish => {
            if cmd.results.is_empty() {
                return Err(Problem::required("results", "Giấy tờ kết quả", "Result documents"));
            }
            for (i, r) in cmd.results.iter().enumerate() {
                if r.name.trim().is_empty() {
                    return Err(Problem::required(
                        &format!("results[{i}].name"),
                        "Tên giấy tờ kết quả",
                        "Result document name",
                    ));
                }
            }
            n.finished_at = Some(now);
            n.results = cmd.results.clone();
            content = format!(
                "Hoàn thành: {}",
                cmd.results
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        Action::ReturnResult => {
            n.returned_at = Some(now);
            content = "Đã trả kết quả cho người nộp".to_string();
        }
        Action::Apologize => {
            let r = need_reason(tr, cmd)?;
            let new = cmd
                .new_appointment
                .ok_or_else(|| Problem::required("new_appointment", "Ngày hẹn trả mới", "New appointment date"))?;
            let current = n.promised_at.or(n.appointment_at);
            if new <= now || current.is_some_and(|c| new <= c) {
                return Err(Problem::new(
                    "invalid",
                    "Ngày hẹn mới phải sau thời điểm hiện tại và sau ngày hẹn đang có.",
                    "The new appointment must be later than now and than the current appointment.",
                )
                .at("new_appointment"));
            }
            n.apologies.push(Apology {
                issued_by: actor.name.clone(),
                issued_at: now,
                reason: r.clone(),
                old_appointment: current,
                new_appointment: new,
            });
            n.promised_at = Some(new);
            content = format!("{r}. Hẹn lại ngày {}", new.format("%d/%m/%Y %H:%M"));
        }
    }
    if let Some(note) = cmd.note.as_deref().filter(|s| !s.trim().is_empty()) {
        content = format!("{content} — {}", note.trim());
    }
    n.status = to;
    n.updated_at = now;
    n.version += 1;
    let history = HistoryEntry {
        at: now,
        action: action.as_str().to_string(),
        event: tr.event.to_string(),
        from_status: Some(from),
        to_status: to,
        actor_id: actor.id.clone(),
        actor_name: actor.name.clone(),
        actor_title: actor.title.clone(),
        unit_code: actor.unit_code.clone(),
        content,
        step_deadline: n.appointment_at,
    };
    *d = n;
    Ok(Applied {
        transition: tr,
        history,
    })
}

/// The table as Markdown-style text rows.
pub fn render_table() -> String {
    let mut s = String::from("| from | action | to | roles | requires | event |\n|---|---|---|---|---|---|\n");
    for t in TABLE {
        let to = match t.next {
            Next::To(st) => format!("{} {}", st.code(), st.name_vi()),
            Next::Same => "(same)".into(),
            Next::Resume => "(previous: 1/2/4)".into(),
        };
        s.push_str(&format!(
            "| {} {} | {} | {} | {} | {} | {} |\n",
            t.from.code(),
            t.from.name_vi(),
            t.action.as_str(),
            to,
            t.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "),
            t.requires.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "),
            t.event
        ));
    }
    s
}

/// The statuses a row can lead to (a resumed supplement returns to 1, 2 or 4).
fn targets(t: &Transition) -> Vec<Status> {
    match t.next {
        Next::To(st) => vec![st],
        Next::Same => vec![t.from],
        Next::Resume => vec![Status::Submitted, Status::Accepted, Status::Processing],
    }
}

/// The table as a Mermaid state diagram.
pub fn render_mermaid() -> String {
    let mut s = String::from("stateDiagram-v2\n    [*] --> S1: file\n");
    for st in Status::ALL {
        s.push_str(&format!("    S{}: {} {}\n", st.code(), st.code(), st.name_vi()));
    }
    for t in TABLE {
        for to in targets(t) {
            s.push_str(&format!(
                "    S{} --> S{}: {}\n",
                t.from.code(),
                to.code(),
                t.action.as_str()
            ));
        }
    }
    s
}

/// The table as a Graphviz DOT graph.
pub fn render_dot() -> String {
    let mut s = String::from("digraph dossier {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for st in Status::ALL {
        s.push_str(&format!(
            "  s{} [label=\"{} {}\"];\n",
            st.code(),
            st.code(),
            st.name_vi()
        ));
    }
    for t in TABLE {
        for to in targets(t) {
            s.push_str(&format!(
                "  s{} -> s{} [label=\"{}\\n{}\"];\n",
                t.from.code(),
                to.code(),
                t.action.as_str(),
                t.event
            ));
        }
    }
    s.push_str("}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::TimeUnit;
    use crate::codes::ApplicantType;
    use crate::dossier::{Applicant, Channel, DeadlineState, Routing};

    fn t(s: &str) -> LocalTime {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn dossier(at: LocalTime) -> Dossier {
        let w1 = Routing {
            receiving_unit_id: "w1".into(),
            receiving_unit_code: "H31.01.01".into(),
            receiving_unit_name: "Phường Thủy Nguyên".into(),
            competent_unit_id: "w1".into(),
            competent_unit_code: "H31.01.01".into(),
        };
        let applicant = Applicant {
            kind: ApplicantType::Citizen,
            full_name: "Phạm Văn Dũng".into(),
            id_number: "031090001234".into(),
            phone: None,
            email: None,
            address: None,
        };
        Dossier {
            code: "H31.01.01-260212-0001".into(),
            ..Dossier::submitted(
                "d1".into(),
                "1.000001",
                "Đăng ký khai sinh",
                w1,
                Channel::Online,
                applicant,
                at,
            )
        }
    }

    fn as_role(r: Role) -> Actor {
        Actor {
            id: Some("u".into()),
            name: "Cán bộ".into(),
            title: "Chuyên viên".into(),
            unit_code: Some("H31.01.01".into()),
            roles: vec![r],
        }
    }

    const FIVE_DAYS: TimeLimit = TimeLimit {
        value: 5,
        unit: TimeUnit::WorkingDays,
    };

    fn step(d: &mut Dossier, a: Action, cmd: Command, r: Role, at: &str) -> Result<Applied, Problem> {
        apply(d, a, &cmd, &as_role(r), t(at), &Calendar::shipped(), FIVE_DAYS)
    }

    fn supplement_cmd() -> Command {
        Command {
            reason_code: Some("thieu_giay_to".into()),
            reason: Some("Thiếu giấy tờ".into()),
            missing_papers: vec!["Bản sao CCCD của người cha".into()],
            ..Command::default()
        }
    }

    #[test]
    fn accepting_sets_the_appointment_across_tet() {
        let mut d = dossier(t("2026-02-12T09:00"));
        let a = step(
            &mut d,
            Action::Accept,
            Command::default(),
            Role::IntakeOfficer,
            "2026-02-12T09:00",
        )
        .unwrap();
        assert_eq!(d.appointment_at, Some(t("2026-02-26T09:00")));
        assert_eq!(a.transition.event, "dossier.accepted");
        assert_eq!(a.history.from_status, Some(Status::Submitted));
        assert_eq!(d.status, Status::Accepted);
    }

    #[test]
    fn undeclared_transitions_and_wrong_roles_are_refused_and_change_nothing() {
        let mut d = dossier(t("2026-03-02T09:00"));
        let before = d.clone();
        let e = step(
            &mut d,
            Action::Finish,
            Command::default(),
            Role::ProcessingOfficer,
            "2026-03-02T10:00",
        )
        .unwrap_err();
        assert_eq!(e.code, "transition_not_allowed");
        let e = step(
            &mut d,
            Action::Accept,
            Command::default(),
            Role::Applicant,
            "2026-03-02T10:00",
        )
        .unwrap_err();
        assert_eq!(e.code, "forbidden_role");
        assert_eq!(d, before);
    }

    #[test]
    fn refusal_needs_a_reason_code_and_supplement_needs_the_missing_papers() {
        let mut d = dossier(t("2026-03-02T09:00"));
        assert_eq!(
            step(
                &mut d,
                Action::Refuse,
                Command::default(),
                Role::IntakeOfficer,
                "2026-03-02T10:00"
            )
            .unwrap_err()
            .field
            .as_deref(),
            Some("reason_code")
        );
        let no_list = Command {
            reason_code: Some("thieu_giay_to".into()),
            reason: Some("Thiếu".into()),
            ..Command::default()
        };
        assert_eq!(
            step(
                &mut d,
                Action::RequestSupplement,
                no_list,
                Role::IntakeOfficer,
                "2026-03-02T10:00"
            )
            .unwrap_err()
            .field
            .as_deref(),
            Some("missing_papers")
        );
        assert_eq!(d.status, Status::Submitted);
        let coded = Command {
            reason_code: Some("khong_thuoc_tham_quyen".into()),
            ..Command::default()
        };
        step(&mut d, Action::Refuse, coded, Role::IntakeOfficer, "2026-03-02T10:00").unwrap();
        assert_eq!(d.status, Status::IntakeRefused);
        assert!(d.refused_at.is_some());
        assert_eq!(
            d.end_reason.as_deref(),
            Some("Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan"),
            "the label is recorded, not the code"
        );
    }

    /// A dossier in `status` (1, 4 or 5), reached through the table.
    fn dossier_in(status: Status) -> Dossier {
        let mut d = dossier(t("2026-03-02T09:00"));
        if status == Status::Submitted {
            return d;
        }
        step(
            &mut d,
            Action::Accept,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:00",
        )
        .unwrap();
        step(
            &mut d,
            Action::Forward,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:30",
        )
        .unwrap();
        if status == Status::SupplementRequested {
            step(
                &mut d,
                Action::RequestSupplement,
                supplement_cmd(),
                Role::ProcessingOfficer,
                "2026-03-02T10:00",
            )
            .unwrap();
        }
        assert_eq!(d.status, status);
        d
    }

    fn with_reason(code: Option<&str>, text: Option<&str>) -> Command {
        Command {
            reason_code: code.map(Into::into),
            reason: text.map(Into::into),
            missing_papers: vec!["Bản sao CCCD".into()],
            new_appointment: Some(t("2026-03-20T09:00")),
            ..Command::default()
        }
    }

    /// Each action that takes a reason, with the role that takes it and the status it starts in.
    const REASONED: [(Action, Role, Status); 5] = [
        (Action::Refuse, Role::IntakeOfficer, Status::Submitted),
        (Action::RequestSupplement, Role::ProcessingOfficer, Status::Processing),
        (Action::Stop, Role::ProcessingOfficer, Status::SupplementRequested),
        (Action::Withdraw, Role::Applicant, Status::Processing),
        (Action::Apologize, Role::ProcessingOfficer, Status::Processing),
    ];

    fn try_reason(action: Action, role: Role, from: Status, cmd: Command) -> (Dossier, Result<Applied, Problem>) {
        let mut d = dossier_in(from);
        let r = step(&mut d, action, cmd, role, "2026-03-03T09:00");
        (d, r)
    }

    #[test]
    fn refusal_without_a_reason_code_is_refused() {
        for (action, role, from) in REASONED {
            let required = matches!(action, Action::Refuse | Action::RequestSupplement | Action::Stop);
            let (d, r) = try_reason(action, role, from, with_reason(None, Some("Giải thích bằng lời")));
            if required {
                let p = r.unwrap_err();
                assert_eq!(
                    (p.code.as_str(), p.field.as_deref()),
                    ("required", Some("reason_code")),
                    "{action:?}"
                );
                assert!(
                    p.message_vi.contains("khac") && p.message_en.contains("khac"),
                    "lists the codes"
                );
                assert_eq!(d.status, from, "{action:?} changed nothing");
            } else {
                r.unwrap_or_else(|p| panic!("{action:?}: a code is optional: {p}"));
            }
        }
    }

    #[test]
    fn other_reason_needs_free_text() {
        for (action, role, from) in REASONED {
            let p = try_reason(
                action,
                role,
                from,
                with_reason(Some(crate::reasons::OTHER), Some("   ")),
            )
            .1
            .unwrap_err();
            assert_eq!(
                (p.code.as_str(), p.field.as_deref()),
                ("required", Some("reason")),
                "{action:?}"
            );
            let (d, r) = try_reason(
                action,
                role,
                from,
                with_reason(Some(crate::reasons::OTHER), Some("Cơ quan đã sáp nhập")),
            );
            let applied = r.unwrap();
            assert!(
                applied.history.content.starts_with("Lý do khác: Cơ quan đã sáp nhập"),
                "{action:?}: {}",
                applied.history.content
            );
            let recorded = match action {
                Action::RequestSupplement => d.supplements.last().map(|s| s.reason.clone()),
                Action::Apologize => d.apologies.last().map(|a| a.reason.clone()),
                _ => d.end_reason.clone(),
            };
            assert_eq!(
                recorded.as_deref(),
                Some("Lý do khác: Cơ quan đã sáp nhập"),
                "{action:?}"
            );
        }
    }

    #[test]
    fn unknown_reason_code_names_the_field() {
        for (action, role, from) in REASONED {
            // A code of another action's list is unknown here too.
            let foreign = if action == Action::Refuse {
                "thieu_giay_to"
            } else {
                "khong_thuoc_tham_quyen"
            };
            for code in ["no_such_code", foreign] {
                let (d, r) = try_reason(action, role, from, with_reason(Some(code), Some("x")));
                let p = r.unwrap_err();
                assert_eq!(
                    (p.code.as_str(), p.field.as_deref()),
                    ("unknown_reason_code", Some("reason_code")),
                    "{action:?} {code}"
                );
                assert!(
                    !p.message_vi.contains(code),
                    "the valid codes are listed, not what was sent"
                );
                assert_eq!(d.status, from);
            }
        }
    }

    #[test]
    fn a_listed_code_records_its_label_and_the_free_text() {
        for (action, role, from) in REASONED {
            let first = crate::reasons::reasons_for(action)[0];
            let (_, r) = try_reason(action, role, from, with_reason(Some(first.code), None));
            assert!(r.unwrap().history.content.starts_with(first.label_vi), "{action:?}");
            let (_, r) = try_reason(action, role, from, with_reason(Some(first.code), Some(" chi tiết ")));
            assert!(
                r.unwrap()
                    .history
                    .content
                    .starts_with(&format!("{}: chi tiết", first.label_vi)),
                "{action:?}"
            );
        }
        // Withdrawal and apology without a code still need some reason.
        let p = try_reason(
            Action::Withdraw,
            Role::Applicant,
            Status::Processing,
            with_reason(None, None),
        )
        .1
        .unwrap_err();
        assert_eq!(p.field.as_deref(), Some("reason"));
    }

    #[test]
    fn supplement_request_pauses_the_deadline_and_the_supplement_resumes_it() {
        let mut d = dossier(t("2026-03-02T09:00"));
        step(
            &mut d,
            Action::Accept,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:00",
        )
        .unwrap();
        assert_eq!(d.appointment_at, Some(t("2026-03-09T09:00")));
        step(
            &mut d,
            Action::Forward,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T10:00",
        )
        .unwrap();
        // Paused on Wed 4 March 09:00 with 3 working days left.
        step(
            &mut d,
            Action::RequestSupplement,
            supplement_cmd(),
            Role::ProcessingOfficer,
            "2026-03-04T09:00",
        )
        .unwrap();
        assert_eq!(d.status, Status::SupplementRequested);
        assert_eq!(d.paused_remaining_minutes, Some(3 * 9 * 60));
        // A week of waiting is not counted: the supplement arrives Wed 11 March 09:00.
        step(
            &mut d,
            Action::SubmitSupplement,
            Command::default(),
            Role::Applicant,
            "2026-03-11T09:00",
        )
        .unwrap();
        assert_eq!(d.status, Status::Processing, "back to the status held before");
        assert_eq!(d.appointment_at, Some(t("2026-03-16T09:00")));
        assert_eq!(d.supplements[0].old_appointment, Some(t("2026-03-09T09:00")));
        assert_eq!(d.supplements[0].new_appointment, Some(t("2026-03-16T09:00")));
        assert!(!d.overdue_for_reporting);
    }

    #[test]
    fn a_second_supplement_request_is_allowed_but_counts_as_overdue() {
        let mut d = dossier(t("2026-03-02T09:00"));
        step(
            &mut d,
            Action::Accept,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:00",
        )
        .unwrap();
        step(
            &mut d,
            Action::Forward,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:30",
        )
        .unwrap();
        step(
            &mut d,
            Action::RequestSupplement,
            supplement_cmd(),
            Role::ProcessingOfficer,
            "2026-03-03T09:00",
        )
        .unwrap();
        step(
            &mut d,
            Action::SubmitSupplement,
            Command::default(),
            Role::Applicant,
            "2026-03-04T09:00",
        )
        .unwrap();
        assert!(!d.overdue_for_reporting);
        step(
            &mut d,
            Action::RequestSupplement,
            supplement_cmd(),
            Role::ProcessingOfficer,
            "2026-03-05T09:00",
        )
        .unwrap();
        assert!(d.overdue_for_reporting);
        assert_eq!(d.deadline_state(t("2026-03-05T10:00"), None), DeadlineState::Overdue);
    }

    #[test]
    fn an_apology_sets_a_later_appointment_without_clearing_lateness() {
        let mut d = dossier(t("2026-03-02T09:00"));
        step(
            &mut d,
            Action::Accept,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:00",
        )
        .unwrap();
        step(
            &mut d,
            Action::Forward,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:30",
        )
        .unwrap();
        let earlier = Command {
            reason_code: Some("cho_y_kien_co_quan_khac".into()),
            new_appointment: Some(t("2026-03-05T09:00")),
            ..Command::default()
        };
        assert_eq!(
            step(
                &mut d,
                Action::Apologize,
                earlier,
                Role::ProcessingOfficer,
                "2026-03-04T09:00"
            )
            .unwrap_err()
            .field
            .as_deref(),
            Some("new_appointment")
        );
        let later = Command {
            reason: Some("Chờ ý kiến cơ quan liên quan".into()),
            new_appointment: Some(t("2026-03-13T09:00")),
            ..Command::default()
        };
        let a = step(
            &mut d,
            Action::Apologize,
            later,
            Role::ProcessingOfficer,
            "2026-03-06T09:00",
        )
        .unwrap();
        assert_eq!(a.transition.event, "dossier.apology_issued");
        assert_eq!(d.status, Status::Processing);
        assert_eq!(d.promised_at, Some(t("2026-03-13T09:00")));
        assert_eq!(d.apologies[0].old_appointment, Some(t("2026-03-09T09:00")));
        let fin = Command {
            results: vec![ResultDocument {
                name: "Giấy khai sinh".into(),
                result_code: "1".into(),
                file: None,
            }],
            ..Command::default()
        };
        step(&mut d, Action::Finish, fin, Role::ProcessingOfficer, "2026-03-12T09:00").unwrap();
        assert_eq!(
            d.deadline_state(t("2026-03-12T10:00"), None),
            DeadlineState::FinishedLate
        );
    }

    #[test]
    fn overdue_and_due_soon_are_derived() {
        let mut d = dossier(t("2026-03-02T09:00"));
        step(
            &mut d,
            Action::Accept,
            Command::default(),
            Role::IntakeOfficer,
            "2026-03-02T09:00",
        )
        .unwrap();
        assert_eq!(d.deadline_state(t("2026-03-03T09:00"), None), DeadlineState::OnTime);
        assert_eq!(
            d.deadline_state(t("2026-03-08T09:00"), Some(t("2026-03-06T09:00"))),
            DeadlineState::DueSoon
        );
        assert_eq!(d.deadline_state(t("2026-03-09T09:01"), None), DeadlineState::Overdue);
    }

    #[test]
    fn every_row_of_the_table_is_reachable_and_every_final_status_has_no_exit() {
        for t in TABLE {
            // Processing ends at 9 (processed); only handing the result over leaves it.
            assert!(
                !t.from.is_final() || (t.from == Status::Processed && t.action == Action::ReturnResult),
                "{:?} leaves a final status",
                t.action
            );
            assert!(!t.roles.is_empty());
            assert!(t.event.starts_with("dossier."));
        }
        let rendered = render_table();
        assert_eq!(rendered.lines().count(), TABLE.len() + 2);
        assert!(render_mermaid().contains("S5 --> S4: submit_supplement"));
        assert!(render_dot().contains("s1 -> s2"));
    }
}
