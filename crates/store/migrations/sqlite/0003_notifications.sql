-- Messages to applicants, made from the outbox: shown in the portal and sent by e-mail.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id INTEGER NOT NULL UNIQUE,
    dossier_id TEXT NOT NULL,
    account_id TEXT,
    email TEXT,
    event TEXT NOT NULL,
    subject_vi TEXT NOT NULL,
    subject_en TEXT NOT NULL,
    body_vi TEXT NOT NULL,
    body_en TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    email_status TEXT NOT NULL,
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_sent_at TEXT,
    -- After a failure, the next attempt waits (2^attempts seconds, at most an hour).
    email_next_at TEXT,
    email_error TEXT
);
CREATE INDEX notifications_account ON notifications(account_id, id);
CREATE INDEX notifications_email ON notifications(email_status, id);

-- How far each consumer has read the outbox.
CREATE TABLE outbox_cursors (
    consumer TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
);
