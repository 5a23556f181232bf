namespace Messenger.Node.Storage;

/// <summary>
/// The journal's tables, shaped for the inbox workload. <c>event_journal</c> is keyed by (persistence_id, sequence_nr), so a
/// recovery reads one index range. On SQLite it stays a rowid table: rows are appended in commit order and only the
/// small index entries land at random places (clustering the ~300-byte rows by key made inserts 4-5x slower). Each stored
/// message carries its index columns in the same row, written in the same statement: conversation_id, message_order,
/// sender_id, client_message_id and the inbox position (inbox_seq). No tag table, no second row per event.
/// <para>
/// One secondary index, <c>event_journal_conversation</c>, serves history pages (a range of one conversation by order)
/// and idempotency keys (sender and key ride in the entry, so a lookup scans index entries only, never rows). There is
/// no index by key: on SQLite every index entry of a row is a page the commit writes to the WAL, and a key index,
/// ordered by random UUIDs, put every message on a page of its own (dropping it took the journal bench from 61 to 45 µs
/// of CPU per message). The inbox position has no index either: it grows with sequence_nr, so a sync is a primary-key
/// range from the inbox's checkpoint (one per 256 messages) filtered on inbox_seq.
/// </para>
/// </summary>
public static class JournalSchema
{
    public static IReadOnlyList<string> For(JournalKind kind) =>
        [.. kind == JournalKind.Sqlite ? Sqlite : PostgreSql, .. Attachments.AttachmentSchema.For(kind)];

    private static readonly string[] Sqlite =
    [
        "PRAGMA journal_mode=WAL;",
        """
        CREATE TABLE IF NOT EXISTS event_journal (
          persistence_id TEXT NOT NULL, sequence_nr INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
          created INTEGER NOT NULL, writer_uuid TEXT NULL, event_manifest TEXT NULL,
          serializer_id INTEGER NOT NULL, serializer_manifest TEXT NULL, payload BLOB NOT NULL,
          conversation_id TEXT NULL, message_order TEXT NULL, sender_id TEXT NULL, client_message_id BLOB NULL,
          inbox_seq INTEGER NULL,
          PRIMARY KEY (persistence_id, sequence_nr));
        """,
        """
        CREATE INDEX IF NOT EXISTS event_journal_conversation
          ON event_journal (persistence_id, conversation_id, message_order, sender_id, client_message_id)
          WHERE conversation_id IS NOT NULL;
        """,
        // Databases written before perf session 3 have an inbox position index; sync reads the primary key instead.
        "DROP INDEX IF EXISTS event_journal_inbox;",
        """
        CREATE TABLE IF NOT EXISTS snapshot_store (
          persistence_id TEXT NOT NULL, sequence_nr INTEGER NOT NULL, created INTEGER NOT NULL,
          serializer_id INTEGER NOT NULL, serializer_manifest TEXT NULL, payload BLOB NOT NULL,
          PRIMARY KEY (persistence_id, sequence_nr));
        """,
        "CREATE TABLE IF NOT EXISTS messenger_settings (name varchar(64) PRIMARY KEY, value text NOT NULL);",
    ];

    /// <summary>Text keys use the "C" collation: message_order compares bytewise, as the order strings are built.</summary>
    private static readonly string[] PostgreSql =
    [
        """
        CREATE TABLE IF NOT EXISTS event_journal (
          persistence_id text COLLATE "C" NOT NULL, sequence_nr bigint NOT NULL, deleted smallint NOT NULL DEFAULT 0,
          created bigint NOT NULL, writer_uuid text NULL, event_manifest text NULL,
          serializer_id integer NOT NULL, serializer_manifest text NULL, payload bytea NOT NULL,
          conversation_id text COLLATE "C" NULL, message_order text COLLATE "C" NULL, sender_id text COLLATE "C" NULL,
          client_message_id uuid NULL, inbox_seq bigint NULL,
          CONSTRAINT event_journal_pk PRIMARY KEY (persistence_id, sequence_nr));
        """,
        """
        CREATE INDEX IF NOT EXISTS event_journal_conversation
          ON event_journal (persistence_id, conversation_id, message_order, sender_id, client_message_id)
          WHERE conversation_id IS NOT NULL;
        """,
        // Databases written before perf session 3 have an inbox position index; sync reads the primary key instead.
        "DROP INDEX IF EXISTS event_journal_inbox;",
        """
        CREATE TABLE IF NOT EXISTS snapshot_store (
          persistence_id text COLLATE "C" NOT NULL, sequence_nr bigint NOT NULL, created bigint NOT NULL,
          serializer_id integer NOT NULL, serializer_manifest text NULL, payload bytea NOT NULL,
          CONSTRAINT snapshot_store_pk PRIMARY KEY (persistence_id, sequence_nr));
        """,
        "CREATE TABLE IF NOT EXISTS messenger_settings (name varchar(64) PRIMARY KEY, value text NOT NULL);",
    ];
}
