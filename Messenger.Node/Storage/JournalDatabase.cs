using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Messenger.Node.Storage;

public enum JournalKind { Sqlite, PostgreSql }

/// <summary>
/// The database behind the Akka.Persistence.Sql journal, opened directly for the few reads the journal plugin
/// cannot express (history by order, old idempotency keys). Tables use the plugin's "default" table mapping.
/// </summary>
public sealed class JournalDatabase
{
    public JournalDatabase(JournalKind kind, string connectionString)
    {
        Kind = kind;
        ConnectionString = connectionString;
    }

    public JournalKind Kind { get; }
    public string ConnectionString { get; }

    /// <summary>linq2db provider name for the journal plugin's HOCON.</summary>
    public string ProviderName => Kind == JournalKind.Sqlite ? "SQLite.MS" : "PostgreSQL.15";

    /// <summary>Text comparisons on tags must be ordinal: PostgreSQL's default collation is not.</summary>
    public string OrdinalCollation => Kind == JournalKind.PostgreSql ? " COLLATE \"C\"" : string.Empty;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Kind == JournalKind.Sqlite
            ? new SqliteConnection(ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public static string SqliteConnectionString(string dataDir) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataDir), "messenger.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

    /// <summary>
    /// Creates the journal tables ahead of the plugin (same schema it would create) plus the indexes our reads need,
    /// and switches SQLite to WAL so readers never block the writer. On PostgreSQL it runs in one transaction under
    /// an advisory lock, so nodes starting together neither race on CREATE TABLE nor see half a schema. Idempotent.
    /// </summary>
    public async Task PrepareAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = Kind == JournalKind.PostgreSql ? await connection.BeginTransactionAsync(ct) : null;
        if (Kind == JournalKind.PostgreSql) await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey})", ct);
        foreach (var sql in Kind == JournalKind.Sqlite ? SqliteSchema : PostgreSqlSchema)
            await ExecuteAsync(connection, transaction, sql, ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
    }

    /// <summary>Advisory lock key that serialises schema changes of all nodes (and the signing key's first write).</summary>
    public const long SchemaLockKey = 4711_00_0001;

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static readonly string[] SqliteSchema =
    [
        "PRAGMA journal_mode=WAL;",
        """
        CREATE TABLE IF NOT EXISTS journal (
          ordering INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, deleted INTEGER NOT NULL, persistence_id TEXT(255) NOT NULL,
          sequence_number INTEGER NOT NULL, created INTEGER NOT NULL, tags TEXT(100) NULL, message BLOB NOT NULL,
          identifier INTEGER NULL, manifest TEXT(500) NOT NULL, writer_uuid TEXT(128) NULL);
        """,
        "CREATE UNIQUE INDEX IF NOT EXISTS journal_pid_seq ON journal (persistence_id, sequence_number);",
        """
        CREATE TABLE IF NOT EXISTS tags (
          ordering_id INTEGER NOT NULL, tag TEXT(64) NOT NULL, persistence_id TEXT(255) NOT NULL, sequence_nr INTEGER NOT NULL,
          PRIMARY KEY (ordering_id, tag));
        """,
        "CREATE INDEX IF NOT EXISTS tags_pid_tag ON tags (persistence_id, tag);",
    ];

    /// <summary>
    /// The tables Akka.Persistence.Sql 1.5 creates on PostgreSQL with provider PostgreSQL.15, default table mapping and
    /// tag-write-mode TagTable (its CREATE TABLE statements and index footers, verbatim in effect), so the plugin's own
    /// auto-initialize finds them in place. Then the index of the history query: tags ordered by (persistence_id, tag)
    /// under the "C" collation that <see cref="OrdinalCollation"/> puts on the query.
    /// </summary>
    private static readonly string[] PostgreSqlSchema =
    [
        """
        CREATE TABLE IF NOT EXISTS journal (
          ordering BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL, created BigInt NOT NULL, deleted Boolean NOT NULL,
          persistence_id text NOT NULL, sequence_number BigInt NOT NULL, message bytea NOT NULL, manifest text NULL,
          identifier Int NULL, writer_uuid text NULL,
          CONSTRAINT "PK_journal" PRIMARY KEY (ordering));
        """,
        """
        DO $BLOCK$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'journal_uq' AND conrelid = 'journal'::regclass) THEN
            ALTER TABLE journal ADD CONSTRAINT journal_uq UNIQUE (persistence_id, sequence_number);
          END IF;
        EXCEPTION WHEN duplicate_table OR duplicate_object THEN NULL;
        END $BLOCK$;
        """,
        "CREATE INDEX IF NOT EXISTS journal_created_idx ON journal (created);",
        "CREATE INDEX IF NOT EXISTS journal_sequence_number_idx ON journal (sequence_number);",
        """
        CREATE TABLE IF NOT EXISTS tags (
          ordering_id BigInt NOT NULL, tag text NOT NULL, sequence_nr BigInt NOT NULL, persistence_id text NOT NULL,
          CONSTRAINT "PK_tags" PRIMARY KEY (ordering_id, tag));
        """,
        "CREATE INDEX IF NOT EXISTS tags_persistence_id_sequence_nr_idx ON tags (persistence_id, sequence_nr);",
        "CREATE INDEX IF NOT EXISTS tags_tag_idx ON tags (tag);",
        """
        CREATE TABLE IF NOT EXISTS snapshot (
          persistence_id text NOT NULL, sequence_number BigInt NOT NULL, created BigInt NOT NULL, snapshot bytea NULL,
          manifest text NULL, serializer_id Int NULL,
          CONSTRAINT "PK_snapshot" PRIMARY KEY (persistence_id, sequence_number));
        """,
        "CREATE INDEX IF NOT EXISTS snapshot_sequence_number_idx ON snapshot (sequence_number);",
        "CREATE INDEX IF NOT EXISTS snapshot_created_idx ON snapshot (created);",
        "CREATE INDEX IF NOT EXISTS tags_pid_tag_c ON tags (persistence_id, tag COLLATE \"C\");",
        "CREATE TABLE IF NOT EXISTS messenger_settings (name varchar(64) PRIMARY KEY, value text NOT NULL);",
    ];
}
