-- The audit trail of one entity (an account's logins, a dossier's changes) is read by entity:
-- the login lockout counts an account's recent failures on every login.
CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id, at);
