-- Imports started from the author's pages (ListImportStore). The file waits in its row until the job
-- has read it, and is dropped when the import is over.

-- name: insert-import
INSERT INTO list_imports (list_id, file_name, confirmed, file, total_bytes)
VALUES (@ListId, @FileName, @Confirmed, @File, @TotalBytes)
RETURNING id;

-- name: find-import
SELECT i.id AS Id, l.slug AS ListSlug, i.file_name AS FileName, i.confirmed AS Confirmed, i.total_bytes AS TotalBytes,
       i.read_bytes AS ReadBytes, i.status AS Status, i.error AS Error, i.read_rows AS ReadRows, i.imported AS Imported,
       i.updated AS Updated, i.rejected AS Rejected, i.suppressed AS Suppressed, i.unsubscribed AS Unsubscribed,
       i.duplicates AS Duplicates, i.created_at AS CreatedAt, i.finished_at AS FinishedAt
FROM list_imports i JOIN lists l ON l.id = i.list_id
WHERE i.id = @Id;

-- name: recent-imports
SELECT i.id AS Id, l.slug AS ListSlug, i.file_name AS FileName, i.confirmed AS Confirmed, i.total_bytes AS TotalBytes,
       i.read_bytes AS ReadBytes, i.status AS Status, i.error AS Error, i.read_rows AS ReadRows, i.imported AS Imported,
       i.updated AS Updated, i.rejected AS Rejected, i.suppressed AS Suppressed, i.unsubscribed AS Unsubscribed,
       i.duplicates AS Duplicates, i.created_at AS CreatedAt, i.finished_at AS FinishedAt
FROM list_imports i JOIN lists l ON l.id = i.list_id
WHERE l.slug = @Slug
ORDER BY i.id DESC
LIMIT @Limit;

-- name: start-import
-- A retried job starts again from the top: the importer's transaction was rolled back with the crash.
UPDATE list_imports SET status = 'running', read_bytes = 0
WHERE id = @Id AND status IN ('queued', 'running') AND file IS NOT NULL;

-- name: read-file
SELECT file FROM list_imports WHERE id = @Id;

-- name: report-progress
UPDATE list_imports SET read_bytes = @ReadBytes WHERE id = @Id AND status = 'running';

-- name: finish-import
UPDATE list_imports
SET status = 'done', file = NULL, read_bytes = total_bytes, finished_at = now(), read_rows = @Read, imported = @Imported,
    updated = @Updated, rejected = @Rejected, suppressed = @Suppressed, unsubscribed = @Unsubscribed, duplicates = @Duplicates
WHERE id = @Id;

-- name: insert-rejections
INSERT INTO list_import_rejections (import_id, line, reason)
SELECT @Id, line, reason FROM unnest(@Lines::bigint[], @Reasons::text[]) AS r (line, reason)
ON CONFLICT DO NOTHING;

-- name: fail-import
UPDATE list_imports SET status = 'failed', file = NULL, error = @Error, finished_at = now() WHERE id = @Id;

-- name: rejections
SELECT line AS Line, reason AS Reason FROM list_import_rejections WHERE import_id = @Id ORDER BY line;
