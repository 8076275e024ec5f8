-- A CSV import started from the author's pages: the uploaded file until its job has read it (job
-- arguments are ids, and any node may run the job), how far the job has read for the page to poll,
-- and the outcome with the rows it refused.
CREATE TABLE list_imports (
    id           bigserial PRIMARY KEY,
    list_id      bigint NOT NULL REFERENCES lists (id),
    file_name    text NOT NULL,
    confirmed    boolean NOT NULL,
    file         bytea,
    total_bytes  bigint NOT NULL,
    read_bytes   bigint NOT NULL DEFAULT 0,
    status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    error        text,
    read_rows    bigint,
    imported     bigint,
    updated      bigint,
    rejected     bigint,
    suppressed   bigint,
    unsubscribed bigint,
    duplicates   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX list_imports_list ON list_imports (list_id, id);

CREATE TABLE list_import_rejections (
    import_id bigint NOT NULL REFERENCES list_imports (id) ON DELETE CASCADE,
    line      bigint NOT NULL,
    reason    text NOT NULL,
    PRIMARY KEY (import_id, line)
);
