//! Printable documents of Circular 01/2018/TT-VPCP: the receipt and appointment (Mẫu 01),
//! the supplement request (Mẫu 02), the intake refusal (Mẫu 03) and the apology with a new
//! appointment (Mẫu 04). Each is a print-friendly page (A4, the browser prints or saves it
//! as PDF); the official forms are in Vietnamese, so these pages are too.

use super::citizen::expected_appointment;
use super::{PageError, Viewer, fmt_date, fmt_time, format_vnd, render};
use crate::AppState;
use crate::dossiers::can_read;
use axum::extract::{Path, State};
use axum::response::Response;
use citygov_domain::dossier::{Dossier, Status};

fn allowed(v: &Viewer, d: &Dossier) -> bool {
    let own = v
        .account
        .as_ref()
        .is_some_and(|a| d.applicant_account_id.as_deref() == Some(a.id.as_str()) || can_read(a, d));
    let proof = super::citizen::has_track_proof(v, d);
    own || proof
}

pub(crate) async fn print(
    State(st): State<AppState>,
    v: Viewer,
    Path((code, form)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let d = st
        .store
        .dossier_by_code(&code)
        .await?
        .ok_or_else(PageError::not_found)?;
    if !allowed(&v, &d) {
        return Err(if v.account.is_none() {
            PageError::login(&v.here)
        } else {
            PageError::not_found()
        });
    }
    let p = st.cache.procedure(&st.store, &d.procedure_code).await?;
    let history = st.store.history(&d.id).await?;
    // The official who took the step the form records.
    let by = |event: &str| {
        history
            .iter()
            .rev()
            .find(|h| h.entry.event == event)
            .map(|h| (h.entry.actor_name.clone(), h.entry.at))
    };
    let (title, number) = match form.as_str() {
        "mau-01" => ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mẫu số 01"),
        "mau-02" if !d.supplements.is_empty() => ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Mẫu số 02"),
        "mau-03" if d.status == Status::IntakeRefused => ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Mẫu số 03"),
        "mau-04" if !d.apologies.is_empty() => ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Mẫu số 04"),
        _ => return Err(PageError::not_found()),
    };
    let components: Vec<minijinja::Value> = d
        .documents
        .iter()
        .map(|doc| {
            let name = p
                .as_ref()
                .and_then(|p| p.components.iter().find(|c| c.code == doc.component_code))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| doc.component_code.clone());
            minijinja::context! {
                name => name,
                kind => if doc.file.is_some() { "Bản điện tử" } else { "Bản giấy" },
            }
        })
        .collect();
    let receiver = by("dossier.accepted").or_else(|| by("dossier.filed"));
    let supplement = d.supplements.last();
    let apology = d.apologies.last();
    let refused = by("dossier.intake_refused");
    let now = st.now();
    render(
        &v,
        "print.html",
        minijinja::context! {
            form => form,
            title => title,
            number => number,
            unit => d.receiving_unit_name.clone(),
            code => d.code.clone(),
            procedure => d.procedure_name.clone(),
            applicant => d.applicant.full_name.clone(),
            id_number => d.applicant.id_number.clone(),
            address => d.applicant.address.clone(),
            phone => d.applicant.phone.clone(),
            email => d.applicant.email.clone(),
            submitted_at => fmt_time(&d.submitted_at),
            accepted_at => d.accepted_at.as_ref().map(fmt_time),
            appointment => super::ser(expected_appointment(&st, &d, p.as_deref())),
            fee => format_vnd(d.payment.amount_vnd),
            components => components,
            receiver => receiver.as_ref().map(|r| r.0.clone()),
            place_date => format!("Hải Phòng, ngày {}", fmt_date(&now)),
            supplement => supplement.map(|s| minijinja::context! {
                reason => s.reason.clone(), missing => s.missing.clone(), at => fmt_time(&s.requested_at),
                by => s.requested_by.clone(),
            }),
            refusal => refused.map(|r| minijinja::context! { by => r.0, at => fmt_time(&r.1), reason => d.end_reason.clone() }),
            apology => apology.map(|a| minijinja::context! {
                reason => a.reason.clone(), old => a.old_appointment.as_ref().map(fmt_time),
                new => fmt_time(&a.new_appointment), by => a.issued_by.clone(), at => fmt_time(&a.issued_at),
            }),
        },
    )
}
