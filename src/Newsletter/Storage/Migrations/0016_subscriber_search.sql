-- Prefix search of subscribers by address or name, case-insensitive, paged in the order of the text
-- matched. Byte order (COLLATE "C") lets one btree answer both the prefix range and the ORDER BY … LIMIT
-- of a page, whatever the database's own collation; a trigram index (pg_trgm) would find infixes too,
-- but cannot return rows in order, so a page of a common prefix sorted every match.
-- Measured here (bench search, 1,000,000 subscribers): see tests/Newsletter.Benchmarks/README.md.
-- Name and address are in both indexes, so a page is read from index pages alone (index-only scans)
-- instead of up to 50 heap pages scattered over the table.
CREATE INDEX subscribers_email_prefix ON subscribers ((lower(email) COLLATE "C"), id) INCLUDE (name, email);
-- Names and addresses mostly start alike ("Anna Smith", anna.smith1@…): the name branch of a search
-- leaves out those whose address matches too (the address branch has them). Filtering them row by row
-- read every such row: "ann" went through 16,666 rows (1.5 s cold from the heap, still 65-130 ms as an
-- index-only scan), "a" through 50,000, on a busy machine. So the index sorts names first by how many
-- leading characters name and address share (0 to 8, 8 meaning 8 or more): in a group below the text's
-- length the address cannot match, so the search reads only those groups, each in order, and filters
-- only group 8, for texts longer than 8 characters.
CREATE FUNCTION subscriber_name_overlap(name_lower text, email_lower text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN left(name_lower, 1) <> left(email_lower, 1) OR name_lower = '' THEN 0
            WHEN left(name_lower, 2) <> left(email_lower, 2) OR length(name_lower) < 2 THEN 1
            WHEN left(name_lower, 3) <> left(email_lower, 3) OR length(name_lower) < 3 THEN 2
            WHEN left(name_lower, 4) <> left(email_lower, 4) OR length(name_lower) < 4 THEN 3
            WHEN left(name_lower, 5) <> left(email_lower, 5) OR length(name_lower) < 5 THEN 4
            WHEN left(name_lower, 6) <> left(email_lower, 6) OR length(name_lower) < 6 THEN 5
            WHEN left(name_lower, 7) <> left(email_lower, 7) OR length(name_lower) < 7 THEN 6
            WHEN left(name_lower, 8) <> left(email_lower, 8) OR length(name_lower) < 8 THEN 7
            ELSE 8 END;

CREATE INDEX subscribers_name_prefix ON subscribers
    (subscriber_name_overlap(lower(name), lower(email)), (lower(name) COLLATE "C"), id) INCLUDE (name, email);

-- Erased subscribers: their personal data is gone, only the SHA-256 of the lower-cased address stays,
-- so that neither the sign-up form nor an import brings them back. Part of the suppression list, apart
-- from suppressions because those keep the address itself.
CREATE TABLE erased_addresses (
    email_hash bytea PRIMARY KEY,
    erased_at  timestamptz NOT NULL DEFAULT now()
);
