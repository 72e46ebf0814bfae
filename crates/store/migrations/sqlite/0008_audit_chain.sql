-- The tamper-evident audit trail (docs/audit.md): every audit entry carries a contiguous
-- sequence number and the SHA-256 of its canonical form chained to the entry before; signed
-- checkpoints attest the chain's head. Rows written before this migration are chained once,
-- in id order, by the store when it opens (`audit_head` is created empty and filled then).
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq);

-- Still append-only; the one update allowed fills the chain columns of a row written before
-- the chain existed, changing nothing else.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.seq IS NOT NULL OR OLD.prev_hash IS NOT NULL OR OLD.hash IS NOT NULL
  OR NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.actor_name IS NOT OLD.actor_name OR NEW.action IS NOT OLD.action
  OR NEW.entity_type IS NOT OLD.entity_type OR NEW.entity_id IS NOT OLD.entity_id
  OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The chain's head: the last sequence number and hash, read and moved by every transaction
-- that writes audit entries (one row, id 1).
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);

-- Signed attestations of the head: Ed25519 over (seq, hash, at, key_id). Append-only.
CREATE TABLE audit_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_seq ON audit_checkpoints(seq);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
