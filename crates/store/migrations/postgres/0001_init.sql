-- citygov transactional store: initial schema (PostgreSQL dialect).
-- Times are local Vietnam time (UTC+7) as 'YYYY-MM-DDTHH:MM:SS' text, which sorts correctly.

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES units(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT
);

CREATE TABLE unit_versions (
    unit_id TEXT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (unit_id, valid_from)
);

CREATE TABLE unit_lineage (
    predecessor_id TEXT NOT NULL REFERENCES units(id),
    successor_id TEXT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    effective TEXT NOT NULL,
    legal_basis TEXT,
    PRIMARY KEY (predecessor_id, successor_id)
);

CREATE TABLE procedures (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    field_code TEXT NOT NULL,
    field_name TEXT NOT NULL,
    competent_unit_code TEXT,
    online_level TEXT NOT NULL,
    active BIGINT NOT NULL,
    search_text TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX procedures_field ON procedures(field_code);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    id_number TEXT,
    email TEXT,
    phone TEXT,
    vneid_verified BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    unit_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, role, unit_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE files (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    dossier_id TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE code_counters (
    scope TEXT NOT NULL,
    day TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (scope, day)
);

CREATE TABLE dossiers (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    procedure_code TEXT NOT NULL REFERENCES procedures(code),
    receiving_unit_id TEXT NOT NULL REFERENCES units(id),
    competent_unit_id TEXT NOT NULL REFERENCES units(id),
    channel BIGINT NOT NULL,
    status BIGINT NOT NULL,
    applicant_account_id TEXT,
    applicant_id_number TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    accepted_at TEXT,
    appointment_at TEXT,
    paused_at TEXT,
    finished_at TEXT,
    overdue_flag BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX dossiers_competent_queue ON dossiers(competent_unit_id, status, appointment_at);
CREATE INDEX dossiers_receiving_queue ON dossiers(receiving_unit_id, status, submitted_at);
CREATE INDEX dossiers_applicant ON dossiers(applicant_account_id, submitted_at);
CREATE INDEX dossiers_submitted ON dossiers(submitted_at);

CREATE TABLE dossier_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    event TEXT NOT NULL,
    from_status BIGINT,
    to_status BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    actor_title TEXT NOT NULL,
    unit_code TEXT,
    content TEXT NOT NULL,
    step_deadline TEXT
);
CREATE INDEX dossier_history_dossier ON dossier_history(dossier_id, id);

CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (principal, key)
);

-- Append-only: rows are never updated or deleted (enforced by the triggers below).
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Events for other parts of the platform (lake, notifications, national portal sync).
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    topic TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX outbox_unpublished ON outbox(published_at, id);
