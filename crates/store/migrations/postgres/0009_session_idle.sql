-- Sessions also end after a period without requests (idle expiry), besides their absolute
-- expiry: the time of the last request seen (refreshed at most once a minute). Sessions
-- opened before this migration count as last seen when they were opened.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
