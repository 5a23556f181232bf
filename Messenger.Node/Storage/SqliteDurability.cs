using System.Data.Common;
using LinqToDB.Interceptors;

namespace Messenger.Node.Storage;

/// <summary>
/// Sets SQLite's <c>synchronous</c> level on every connection the journal opens (it is per connection, so the file
/// cannot remember it). FULL fsyncs the WAL at every commit: durable across power loss. NORMAL fsyncs only at
/// checkpoints: durable across a crash of the process (kill -9), not of the machine. See README "Durability".
/// </summary>
public sealed class SqliteDurability(string level) : IConnectionInterceptor
{
    public static bool IsValid(string level) => level.ToUpperInvariant() is "FULL" or "NORMAL" or "EXTRA";

    private string Pragma => $"PRAGMA synchronous={level.ToUpperInvariant()};";

    public void ConnectionOpening(ConnectionEventData eventData, DbConnection connection)
    {
    }

    public Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
