-- Newsletter's own tables live in the public schema; Hangfire keeps its tables in the "hangfire" schema.
CREATE TABLE IF NOT EXISTS app_setting (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
