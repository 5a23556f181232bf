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
    /// and switches SQLite to WAL so readers never block the writer.
    /// </summary>
    public async Task PrepareAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        foreach (var sql in Kind == JournalKind.Sqlite ? SqliteSchema : PostgreSqlSchema)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(ct);
        }
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

    private static readonly string[] PostgreSqlSchema =
    [
        "CREATE TABLE IF NOT EXISTS messenger_settings (name varchar(64) PRIMARY KEY, value text NOT NULL);",
    ];
}
