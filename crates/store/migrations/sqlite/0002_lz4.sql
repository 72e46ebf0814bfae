-- PostgreSQL-only storage setting (lz4 compression of JSON columns); nothing to do on SQLite.
SELECT 1;
