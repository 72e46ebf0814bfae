-- Encryption at rest of personal data (docs/personal-data.md): data keys wrapped by master
-- keys that live outside the database, and keyed hashes of identity numbers for lookups.

-- `purpose` is `seal` (encrypts values; the newest unretired one is active) or `index` (the
-- HMAC key of the lookup hashes; one, never rotated). `wrapped` is base64 of nonce, ciphertext
-- and tag (AES-256-GCM under the master key `master_key_id`, bound to the row's id and purpose).
CREATE TABLE data_keys (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    seq INTEGER NOT NULL,
    master_key_id TEXT NOT NULL,
    wrapped TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

ALTER TABLE accounts ADD COLUMN id_number_index TEXT;
CREATE INDEX accounts_id_number_index ON accounts(id_number_index);
ALTER TABLE dossiers ADD COLUMN applicant_id_index TEXT;
CREATE INDEX dossiers_applicant_id_index ON dossiers(applicant_id_index);
