using System.Data.Common;
using Messenger.Node.Storage.Journal;

namespace Messenger.Node.Storage.Migration;

/// <summary>
/// Moves the data of the previous journal (Akka.Persistence.Sql, default table mapping: tables <c>journal</c>, <c>tags</c>,
/// <c>snapshot</c>) into <see cref="JournalSchema"/>'s tables on first start: every event with its serializer id, manifest
/// and bytes as they were (so every account, message and idempotency key), the index columns computed from the events
/// (the old tag rows are not needed), and the snapshots. One transaction, recorded in <c>messenger_settings</c>, so it
/// runs once; on PostgreSQL under the schema advisory lock, so nodes starting together migrate once. The old tables are
/// left in place, untouched, as a backup. <c>messenger_settings</c> (the signing key) keeps its name and rows.
/// </summary>
public static class LegacyJournalMigration
{
    public const string Marker = "journal-migrated-from-akka-persistence-sql";
    private const int Page = 1000;

    public static async Task RunAsync(JournalDatabase database, Akka.Serialization.Serialization serialization)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (database.Kind == JournalKind.PostgreSql)
            await JournalDatabase.ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({JournalDatabase.SchemaLockKey})");
        if (await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM messenger_settings WHERE name = @name", ("name", Marker)) > 0)
            return;
        var migrated = 0L;
        if (await TableExistsAsync(database.Kind, connection, transaction, "journal"))
            migrated += await CopyEventsAsync(connection, transaction, serialization);
        if (await TableExistsAsync(database.Kind, connection, transaction, "snapshot"))
            migrated += await CopySnapshotsAsync(connection, transaction);
        await using (var mark = StorageSql.Command(connection,
                         "INSERT INTO messenger_settings (name, value) VALUES (@name, @value)",
                         ("name", Marker), ("value", $"{DateTime.UtcNow:O} rows={migrated}")))
        {
            mark.Transaction = transaction;
            await mark.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static async Task<long> CopyEventsAsync(DbConnection connection, DbTransaction transaction,
        Akka.Serialization.Serialization serialization)
    {
        await using var inserter = EventRowInserter.For(connection);
        long last = long.MinValue, copied = 0;
        while (true)
        {
            var rows = new List<(long Ordering, EventRow Row)>(Page);
            await using (var read = StorageSql.Command(connection,
                             """
                             SELECT ordering, persistence_id, sequence_number, deleted, created, writer_uuid, identifier, manifest, message
                             FROM journal WHERE ordering > @last ORDER BY ordering LIMIT @page
                             """, ("last", last), ("page", Page)))
            {
                read.Transaction = transaction;
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var serializerId = Convert.ToInt32(reader.GetValue(6));
                    var manifest = reader.IsDBNull(7) ? string.Empty : reader.GetString(7);
                    var payload = (byte[])reader.GetValue(8);
                    rows.Add((reader.GetInt64(0), new EventRow(
                        reader.GetString(1), reader.GetInt64(2), Convert.ToInt64(reader.GetValue(4)),
                        reader.IsDBNull(5) ? null : reader.GetString(5), null, serializerId, manifest, payload,
                        IndexOf(serialization, payload, serializerId, manifest), Deleted: Convert.ToBoolean(reader.GetValue(3)))));
                }
            }
            if (rows.Count == 0) return copied;
            await inserter.InsertAsync(transaction, rows.Select(r => r.Row).ToList());
            copied += rows.Count;
            last = rows[^1].Ordering;
        }
    }

    /// <summary>The index columns of a stored message; other events (and bytes no serializer reads any more) have none.</summary>
    private static InboxIndex? IndexOf(Akka.Serialization.Serialization serialization, byte[] payload, int serializerId, string manifest)
    {
        try
        {
            return InboxIndex.Of(EventRow.Deserialize(serialization, payload, serializerId, manifest));
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static async Task<long> CopySnapshotsAsync(DbConnection connection, DbTransaction transaction)
    {
        await using var copy = StorageSql.Command(connection,
            """
            INSERT INTO snapshot_store (persistence_id, sequence_nr, created, serializer_id, serializer_manifest, payload)
            SELECT persistence_id, sequence_number, created, serializer_id, manifest, snapshot FROM snapshot
            WHERE snapshot IS NOT NULL AND serializer_id IS NOT NULL
            """);
        copy.Transaction = transaction;
        return await copy.ExecuteNonQueryAsync();
    }

    private static async Task<bool> TableExistsAsync(JournalKind kind, DbConnection connection, DbTransaction transaction, string table) =>
        await ScalarAsync(connection, transaction, kind == JournalKind.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name",
            ("name", table)) > 0;

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql,
        params (string, object?)[] parameters)
    {
        await using var command = StorageSql.Command(connection, sql, parameters);
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
