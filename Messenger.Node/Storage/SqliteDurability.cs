using System.Data.Common;

namespace Messenger.Node.Storage;

/// <summary>
/// SQLite's <c>synchronous</c> level for the journal's writing connection (it is per connection, so the file cannot
/// remember it). FULL fsyncs the WAL at every commit: durable across power loss. NORMAL fsyncs only at checkpoints:
/// durable across a crash of the process (kill -9), not of the machine. See README "Durability".
/// </summary>
public static class SqliteDurability
{
    public static bool IsValid(string level) => level.ToUpperInvariant() is "FULL" or "NORMAL" or "EXTRA";

    public static async Task ApplyAsync(DbConnection connection, string level)
    {
        if (!IsValid(level)) throw new InvalidOperationException("Messenger:SqliteSynchronous must be FULL, NORMAL or EXTRA");
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={level.ToUpperInvariant()};";
        await command.ExecuteNonQueryAsync();
    }
}
