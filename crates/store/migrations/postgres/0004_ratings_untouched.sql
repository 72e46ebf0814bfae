-- Applicants' ratings of how their dossier was handled, one per dossier: a new rating
-- replaces the earlier one (the audit log keeps every rating given).
CREATE TABLE dossier_ratings (
    dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
    verdict TEXT NOT NULL CHECK (verdict IN ('like', 'dislike')),
    comment TEXT,
    account_id TEXT,
    -- When the dossier was first rated, and when the current verdict was given.
    rated_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Untouched dossiers: held by the administration (status 1, 2, 4, 6) and not changed since.
CREATE INDEX dossiers_status_updated ON dossiers(status, updated_at);
