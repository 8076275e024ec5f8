-- Prefix search of subscribers by address or name, case-insensitive, paged in the order of the text
-- matched. Byte order (COLLATE "C") lets one btree answer both the prefix range and the ORDER BY … LIMIT
-- of a page, whatever the database's own collation; a trigram index (pg_trgm) would find infixes too,
-- but cannot return rows in order, so a page of a common prefix sorted every match.
-- Measured here (bench search, 1,000,000 subscribers): see tests/Newsletter.Benchmarks/README.md.
CREATE INDEX subscribers_email_prefix ON subscribers ((lower(email) COLLATE "C"));
CREATE INDEX subscribers_name_prefix ON subscribers ((lower(name) COLLATE "C"), id);

-- Erased subscribers: their personal data is gone, only the SHA-256 of the lower-cased address stays,
-- so that neither the sign-up form nor an import brings them back. Part of the suppression list, apart
-- from suppressions because those keep the address itself.
CREATE TABLE erased_addresses (
    email_hash bytea PRIMARY KEY,
    erased_at  timestamptz NOT NULL DEFAULT now()
);
