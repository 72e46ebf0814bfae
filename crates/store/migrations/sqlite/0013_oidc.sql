-- Logins through OpenID Connect providers. An external identity (the provider's id in the
-- configuration and the subject it gives) is linked to one account, created at its first
-- login. Only the subject is stored: names and roles come from the claims at each login.
CREATE TABLE account_identities (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    last_login_at TEXT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX account_identities_account ON account_identities(account_id);

-- A session opened by a login through an e-ID provider (the national VNeID): dossiers filed
-- in it record that the applicant was authenticated with VNeID.
ALTER TABLE sessions ADD COLUMN vneid INTEGER NOT NULL DEFAULT 0;
