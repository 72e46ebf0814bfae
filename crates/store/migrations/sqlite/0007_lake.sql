-- The shared data warehouse's catalog and grants. The tables themselves live in the lake
-- (Delta Lake); here is what governs them, changed with its audit record in one transaction.
CREATE TABLE lake_datasets (
    name TEXT PRIMARY KEY,
    owner_unit TEXT NOT NULL,
    open_data INTEGER NOT NULL DEFAULT 0,
    -- The whole definition (fields, classification, lineage, quality) as JSON.
    doc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE lake_grants (
    id TEXT PRIMARY KEY,
    dataset TEXT NOT NULL REFERENCES lake_datasets(name),
    grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('unit', 'role')),
    grantee TEXT NOT NULL,
    purpose TEXT NOT NULL,
    row_scope TEXT NOT NULL CHECK (row_scope IN ('all', 'own_unit')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    UNIQUE (dataset, grantee_kind, grantee, purpose)
);
CREATE INDEX lake_grants_dataset ON lake_grants(dataset);
