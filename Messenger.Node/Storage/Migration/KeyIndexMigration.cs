using System.Data.Common;
using Messenger.Node.Storage.Journal;

namespace Messenger.Node.Storage.Migration;

/// <summary>
/// Moves a journal written before perf session 5 onto the one conversation index (see <see cref="JournalSchema"/>).
/// Those databases index keys in <c>event_journal_keys</c> and store a retraction without its original's conversation
/// and order, because history found the original's retraction through the key index. Each such retraction gets the
/// conversation and order of the row it withdraws (found through the old key index, while it is still there), then the
/// old key and history indexes are dropped. The dropped key index marks it done, so it runs once; on PostgreSQL inside
/// the schema transaction, under its advisory lock.
/// </summary>
public static class KeyIndexMigration
{
    private const string OldKeyIndex = "event_journal_keys";

    public static async Task RunAsync(JournalKind kind, DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (!await IndexExistsAsync(kind, connection, transaction, OldKeyIndex, ct)) return;
        await using var own = transaction is null ? await connection.BeginTransactionAsync(ct) : null;
        var tx = transaction ?? own;
        await JournalDatabase.ExecuteAsync(connection, tx,
            """
            UPDATE event_journal AS r SET (conversation_id, message_order) = (
              SELECT o.conversation_id, o.message_order FROM event_journal o
              WHERE o.persistence_id = r.persistence_id AND o.sender_id = r.sender_id
                AND o.client_message_id = r.client_message_id AND o.sequence_nr < r.sequence_nr
                AND o.conversation_id IS NOT NULL
              ORDER BY o.sequence_nr DESC LIMIT 1)
            WHERE r.sender_id IS NOT NULL AND r.conversation_id IS NULL
            """, ct);
        await JournalDatabase.ExecuteAsync(connection, tx, $"DROP INDEX IF EXISTS {OldKeyIndex}", ct);
        await JournalDatabase.ExecuteAsync(connection, tx, "DROP INDEX IF EXISTS event_journal_history", ct);
        if (own is not null) await own.CommitAsync(ct);
    }

    private static async Task<bool> IndexExistsAsync(
        JournalKind kind, DbConnection connection, DbTransaction? transaction, string index, CancellationToken ct)
    {
        await using var command = StorageSql.Command(connection, kind == JournalKind.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @name"
            : "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = @name",
            ("name", index));
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) > 0;
    }
}
