-- A second factor (TOTP, RFC 6238) for officials and administrators, sessions that wait for
-- it, and scoped API tokens for machine clients.

-- One authenticator per account. The secret (base32) is kept until it is replaced; the
-- authenticator counts once a code made with it was accepted (`confirmed_at`). `last_step`
-- is the time step of the last accepted code: a code is never accepted twice.
CREATE TABLE account_totp (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id),
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step BIGINT NOT NULL DEFAULT 0
);

-- A session is `full`, or `second_factor`: the password was right and the session waits for
-- a code (short-lived, never accepted as a login). `failures` counts wrong codes.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
ALTER TABLE sessions ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_account ON sessions(account_id);

-- Tokens for machine clients: act as their account, only on the routes their scopes name,
-- until they expire or are revoked. Only the token's SHA-256 is stored.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);
