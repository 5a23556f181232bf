using Messenger.Node.Storage;

namespace Messenger.Node.Attachments;

/// <summary>
/// The attachment store's tables, in the journal's database (created with the journal's schema, idempotently).
/// <c>attachments</c> holds one row per upload, written first (complete = 0) so a crashed upload is still found and
/// swept; its bytes are <c>attachment_chunks</c> rows of <see cref="AttachmentStore.ChunkSize"/> bytes. Thumbnails are
/// cached in <c>attachment_thumbnails</c> (an empty row: no thumbnail can be made). Flags are integers on both
/// databases so one SQL text serves both.
/// </summary>
public static class AttachmentSchema
{
    public static IReadOnlyList<string> For(JournalKind kind) => kind == JournalKind.Sqlite ? Sqlite : PostgreSql;

    private static readonly string[] Sqlite =
    [
        """
        CREATE TABLE IF NOT EXISTS attachments (
          attachment_id TEXT PRIMARY KEY, uploader TEXT NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL,
          size INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at INTEGER NOT NULL,
          carried INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0);
        """,
        "CREATE INDEX IF NOT EXISTS attachments_uncarried ON attachments (created_at) WHERE carried = 0;",
        """
        CREATE TABLE IF NOT EXISTS attachment_chunks (
          attachment_id TEXT NOT NULL, chunk_index INTEGER NOT NULL, data BLOB NOT NULL,
          PRIMARY KEY (attachment_id, chunk_index));
        """,
        """
        CREATE TABLE IF NOT EXISTS attachment_thumbnails (
          attachment_id TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BLOB NOT NULL);
        """,
    ];

    private static readonly string[] PostgreSql =
    [
        """
        CREATE TABLE IF NOT EXISTS attachments (
          attachment_id text COLLATE "C" PRIMARY KEY, uploader text NOT NULL, name text NOT NULL, content_type text NOT NULL,
          size bigint NOT NULL, sha256 text NOT NULL, created_at bigint NOT NULL,
          carried smallint NOT NULL DEFAULT 0, complete smallint NOT NULL DEFAULT 0);
        """,
        "CREATE INDEX IF NOT EXISTS attachments_uncarried ON attachments (created_at) WHERE carried = 0;",
        """
        CREATE TABLE IF NOT EXISTS attachment_chunks (
          attachment_id text COLLATE "C" NOT NULL, chunk_index integer NOT NULL, data bytea NOT NULL,
          CONSTRAINT attachment_chunks_pk PRIMARY KEY (attachment_id, chunk_index));
        """,
        // Files are mostly compressed already (images, video, archives): store out of line without trying to compress.
        "ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL;",
        """
        CREATE TABLE IF NOT EXISTS attachment_thumbnails (
          attachment_id text COLLATE "C" PRIMARY KEY, content_type text NOT NULL, data bytea NOT NULL);
        """,
    ];
}
