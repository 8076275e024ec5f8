-- name: upsert-issue
INSERT INTO issues (slug, title, source, source_file)
VALUES (@Slug, @Title, @Source, @SourceFile)
ON CONFLICT (slug) DO UPDATE
SET title = excluded.title, source = excluded.source, source_file = excluded.source_file, updated_at = now()
RETURNING id;

-- name: find-issue
SELECT id AS Id, slug AS Slug, title AS Title, source AS Source, ready_at AS ReadyAt, created_at AS CreatedAt
FROM issues WHERE slug = @Slug;

-- name: get-issue
SELECT id AS Id, slug AS Slug, title AS Title, source AS Source, ready_at AS ReadyAt, created_at AS CreatedAt
FROM issues WHERE id = @Id;

-- name: list-issues
SELECT i.id AS Id, i.slug AS Slug, i.title AS Title, i.ready_at AS ReadyAt, i.created_at AS CreatedAt,
       (SELECT count(*) FROM sends s WHERE s.issue_id = i.id AND s.status <> 'cancelled')::int AS Sends
FROM issues i ORDER BY i.created_at;

-- name: mark-ready
UPDATE issues SET ready_at = coalesce(ready_at, now()), updated_at = now() WHERE slug = @Slug RETURNING id;

-- name: next-ready-issue
-- The oldest issue marked ready that has never been sent (or scheduled) to these lists.
SELECT i.id FROM issues i
WHERE i.ready_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM sends s
                  WHERE s.issue_id = i.id AND s.status <> 'cancelled' AND s.list_ids && @ListIds)
ORDER BY i.ready_at, i.id
LIMIT 1;

-- name: published-issues
-- What the public archive lists: issues that have started going out, newest first.
SELECT i.slug AS Slug, i.title AS Title, min(s.started_at) AS PublishedAt
FROM issues i JOIN sends s ON s.issue_id = i.id
WHERE s.started_at IS NOT NULL
GROUP BY i.id
ORDER BY min(s.started_at) DESC
LIMIT 200;

-- name: find-published-issue
-- Asked on every view of an issue's web version, which is rendered once and kept: the version stamp, not
-- the source. With the source (the sample's 12 KB) a view cost the server 278-298 us and PostgreSQL 118-120
-- us of CPU; without it 210-242 and 80-91 (bench load, no send running).
SELECT i.id AS Id, i.slug AS Slug, i.updated_at AS UpdatedAt
FROM issues i
WHERE i.slug = @Slug AND EXISTS (SELECT 1 FROM sends s WHERE s.issue_id = i.id AND s.started_at IS NOT NULL);

-- name: insert-issue
-- A new issue from the author's pages: unlike upsert-issue, an existing slug is left alone (no row back).
INSERT INTO issues (slug, title, source) VALUES (@Slug, @Title, @Source)
ON CONFLICT (slug) DO NOTHING
RETURNING id;

-- name: update-issue
-- A new version of one issue, found by id: its slug may change with its text, but not to another issue's,
-- and not once a send of it has started (mailed links carry it).
UPDATE issues SET slug = @Slug, title = @Title, source = @Source, source_file = NULL, updated_at = now()
WHERE id = @Id AND NOT EXISTS (SELECT 1 FROM issues other WHERE other.slug = @Slug AND other.id <> @Id)
  AND (slug = @Slug OR NOT EXISTS (SELECT 1 FROM sends s WHERE s.issue_id = @Id AND s.started_at IS NOT NULL))
RETURNING id;

-- name: issue-summaries
-- Every issue (@Id null) or one, newest first. Sent once any send has started (even if later cancelled:
-- someone got it); scheduled while a send waits for its time.
SELECT i.id AS Id, i.slug AS Slug, i.title AS Title,
       CASE WHEN EXISTS (SELECT 1 FROM sends s WHERE s.issue_id = i.id AND s.started_at IS NOT NULL) THEN 'sent'
            WHEN EXISTS (SELECT 1 FROM sends s WHERE s.issue_id = i.id AND s.status = 'scheduled') THEN 'scheduled'
            WHEN i.ready_at IS NOT NULL THEN 'ready'
            ELSE 'draft' END AS State,
       i.updated_at AS UpdatedAt
FROM issues i
WHERE @Id::bigint IS NULL OR i.id = @Id
ORDER BY i.updated_at DESC, i.id DESC;

