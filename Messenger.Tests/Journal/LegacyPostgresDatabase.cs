using Microsoft.Data.Sqlite;
using Npgsql;

namespace Messenger.Tests.Journal;

/// <summary>
/// A PostgreSQL database as the previous version left it: Akka.Persistence.Sql's tables, created with the DDL that
/// version ran (its JournalDatabase.PostgreSqlSchema, commit f0ccbf7), filled with the rows of the legacy SQLite fixture
/// (bytes written by that version's Akka serialization) and its signing key in messenger_settings.
/// </summary>
public static class LegacyPostgresDatabase
{
    public static async Task FillAsync(string connectionString)
    {
        await using var pg = new NpgsqlConnection(connectionString);
        await pg.OpenAsync();
        foreach (var sql in OldSchema) await ExecuteAsync(pg, sql);
        // Read from a copy: even a read-only open of a WAL database leaves -shm/-wal files beside it.
        var copy = LegacyFixture.CopyDataDir();
        try
        {
            await CopyRowsAsync(pg, Path.Combine(copy, "messenger.db"));
        }
        finally
        {
            Infrastructure.TempDirs.TryDelete(copy);
        }
        await using var key = new NpgsqlCommand("INSERT INTO messenger_settings (name, value) VALUES ('signing-key', @v)", pg);
        key.Parameters.AddWithValue("v", (await File.ReadAllTextAsync(Path.Combine(LegacyFixture.DataDir, "signing.key"))).Trim());
        await key.ExecuteNonQueryAsync();
    }

    private static async Task CopyRowsAsync(NpgsqlConnection pg, string sqliteFile)
    {
        await using var sqlite = new SqliteConnection($"Data Source={sqliteFile};Pooling=False");
        await sqlite.OpenAsync();
        await CopyAsync(sqlite, pg,
            "SELECT ordering, deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid FROM journal",
            """
            INSERT INTO journal (ordering, deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid)
            OVERRIDING SYSTEM VALUE VALUES (@p0, @p1::int::boolean, @p2, @p3, @p4, @p5, @p6, @p7, @p8)
            """);
        await CopyAsync(sqlite, pg, "SELECT ordering_id, tag, persistence_id, sequence_nr FROM tags",
            "INSERT INTO tags (ordering_id, tag, persistence_id, sequence_nr) VALUES (@p0, @p1, @p2, @p3)");
        await CopyAsync(sqlite, pg, "SELECT persistence_id, sequence_number, created, snapshot, manifest, serializer_id FROM snapshot",
            "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)");
    }

    private static async Task CopyAsync(SqliteConnection from, NpgsqlConnection to, string select, string insert)
    {
        await using var read = from.CreateCommand();
        read.CommandText = select;
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            await using var write = new NpgsqlCommand(insert, to);
            for (var i = 0; i < reader.FieldCount; i++)
                write.Parameters.AddWithValue($"p{i}", reader.IsDBNull(i) ? DBNull.Value : reader.GetValue(i) switch
                {
                    long l when reader.GetName(i) is "identifier" or "serializer_id" or "deleted" => (int)l,
                    var v => v,
                });
            await write.ExecuteNonQueryAsync();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static readonly string[] OldSchema =
    [
        """
        CREATE TABLE IF NOT EXISTS journal (
          ordering BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL, created BigInt NOT NULL, deleted Boolean NOT NULL,
          persistence_id text NOT NULL, sequence_number BigInt NOT NULL, message bytea NOT NULL, manifest text NULL,
          identifier Int NULL, writer_uuid text NULL,
          CONSTRAINT "PK_journal" PRIMARY KEY (ordering));
        """,
        "ALTER TABLE journal ADD CONSTRAINT journal_uq UNIQUE (persistence_id, sequence_number);",
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
