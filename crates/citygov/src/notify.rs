//! The notification worker: turns outbox events into applicants' notifications and, when
//! SMTP is configured, sends them by e-mail, retrying failures. Runs inside `citygov serve`.

use citygov_store::Store;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Give up on an e-mail after this many failed attempts (with back-off doubling to an hour,
/// about a day of trying).
const MAX_ATTEMPTS: i64 = 30;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Mailer {
    /// `smtp://host:port` (plain, for a relay on the local network or loopback).
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            anyhow::anyhow!("smtp_url must be smtp://host:port / smtp_url phải có dạng smtp://máy:cổng")
        })?;
        let (host, port) = rest
            .rsplit_once(':')
            .map(|(h, p)| (h, p.parse::<u16>()))
            .unwrap_or((rest, Ok(25)));
        let port = port.map_err(|_| anyhow::anyhow!("bad SMTP port in {url} / cổng SMTP không hợp lệ"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(10)))
            .build();
        Ok(Mailer {
            transport,
            from: from.parse().map_err(|e| anyhow::anyhow!("mail_from {from:?}: {e}"))?,
        })
    }

    async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?;
        self.transport.send(msg).await?;
        Ok(())
    }
}

/// One round: read new outbox events into notifications, then send pending e-mails.
pub async fn round(store: &Store, mailer: Option<&Mailer>) -> anyhow::Result<usize> {
    let mut done = 0;
    loop {
        let n = store.notify_from_outbox(500, citygov_domain::now_local()).await?;
        done += n;
        if n < 500 {
            break;
        }
    }
    if let Some(m) = mailer {
        for e in store
            .pending_emails(100, MAX_ATTEMPTS, citygov_domain::now_local())
            .await?
        {
            let r = m.send(&e.to, &e.subject, &e.body).await;
            if let Err(err) = &r {
                tracing::warn!(notification = e.id, attempts = e.attempts + 1, error = %err, "e-mail not sent");
            }
            store
                .mark_email(
                    e.id,
                    e.attempts,
                    r.is_ok(),
                    r.as_ref().err().map(|e| e.to_string()).as_deref(),
                    citygov_domain::now_local(),
                )
                .await?;
        }
    }
    Ok(done)
}

/// Run rounds forever, a second apart.
pub async fn run(store: Store, mailer: Option<Mailer>) {
    loop {
        if let Err(e) = round(&store, mailer.as_ref()).await {
            tracing::error!(error = %e, "notification round failed");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
