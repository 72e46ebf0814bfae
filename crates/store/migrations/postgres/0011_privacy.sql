-- Personal data (Law 91/2025, Decree 356/2025; docs/privacy.md): consents per purpose, the
-- breach record, and what the retention job needs.

-- A citizen's consent to one purpose. Revoking closes the record (`revoked_at`); giving again
-- opens a new one, so the history of every decision is kept. `scope` is the data classes the
-- purpose used when the consent was given (comma-separated codes).
CREATE TABLE consents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    purpose TEXT NOT NULL,
    scope TEXT NOT NULL,
    given_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX consents_account ON consents(account_id, purpose, id);
-- At most one open consent per account and purpose.
CREATE UNIQUE INDEX consents_open ON consents(account_id, purpose) WHERE revoked_at IS NULL;

-- Personal-data breaches and their notification to the authority (72 hours from discovery).
-- `data_classes` is a comma-separated list of data class codes.
CREATE TABLE breaches (
    id TEXT PRIMARY KEY,
    discovered_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    description TEXT NOT NULL,
    data_classes TEXT NOT NULL,
    people_affected BIGINT,
    measures TEXT NOT NULL,
    notified_at TEXT,
    notified_to TEXT,
    closed_at TEXT
);
CREATE INDEX breaches_discovered ON breaches(discovered_at);

-- When the retention job removed the personal data of a dossier (NULL: not anonymised).
ALTER TABLE dossiers ADD COLUMN anonymised_at TEXT;
-- A person's dossiers are also found by identity number (desk filings have no account).
CREATE INDEX dossiers_applicant_id_number ON dossiers(applicant_id_number);
-- Files by dossier (anonymisation) and unattached uploads by age (retention).
CREATE INDEX files_dossier ON files(dossier_id, created_at);
-- Ended sessions by age (retention).
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Stored file contents to delete: written in the transaction that drops their last `files`
-- row, deleted from file storage after it commits (so a crash between the two only delays it).
CREATE TABLE file_erasures (
    storage_key TEXT PRIMARY KEY,
    queued_at TEXT NOT NULL
);
