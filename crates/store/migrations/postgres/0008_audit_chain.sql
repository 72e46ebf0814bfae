-- The tamper-evident audit trail (docs/audit.md): every audit entry carries a contiguous
-- sequence number and the SHA-256 of its canonical form chained to the entry before; signed
-- checkpoints attest the chain's head. Rows written before this migration are chained once,
-- in id order, by the store when it opens (`audit_head` is created empty and filled then).
ALTER TABLE audit_log ADD COLUMN seq BIGINT, ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq);

-- Still append-only (the triggers of 0001 call this function); the one update allowed fills
-- the chain columns of a row written before the chain existed, changing nothing else.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_name, NEW.action, NEW.entity_type, NEW.entity_id, NEW.detail)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.actor_name, OLD.action, OLD.entity_type, OLD.entity_id, OLD.detail)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END; $$;

-- The chain's head: the last sequence number and hash, locked (SELECT … FOR UPDATE), read and
-- moved by every transaction that writes audit entries, so that concurrent transactions chain
-- one after another (one row, id 1).
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- Signed attestations of the head: Ed25519 over (seq, hash, at, key_id). Append-only.
CREATE TABLE audit_checkpoints (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_seq ON audit_checkpoints(seq);
CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_checkpoints is append-only'; END; $$;
CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only();
