using System.Data.Common;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// One unit of a group commit that succeeds or fails on its own: an AtomicWrite's events, a snapshot, a delete.
/// <see cref="Error"/> is set when the database refused this unit's rows; the rest of the batch is unaffected.
/// </summary>
public abstract class WriteItem
{
    public Exception? Error { get; set; }

    /// <summary>Rows this unit inserts or replaces (what the batch counters count).</summary>
    public abstract int Rows { get; }
}

/// <summary>The events of one AtomicWrite: all stored or none.</summary>
public sealed class EventsItem(IReadOnlyList<EventRow> events) : WriteItem
{
    public IReadOnlyList<EventRow> Events { get; } = events;
    public override int Rows => Events.Count;
}

/// <summary>Any other write (a snapshot, a deletion): SQL statements run inside the batch's transaction.</summary>
public sealed class StatementsItem(int rows, params (string Sql, (string Name, object? Value)[] Parameters)[] statements) : WriteItem
{
    public override int Rows { get; } = rows;

    public async Task RunAsync(DbConnection connection, DbTransaction transaction)
    {
        foreach (var (sql, parameters) in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                command.Parameters.Add(p);
            }
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>What one caller (a WriteMessages of the journal, a snapshot store request) submits and awaits.</summary>
internal sealed class WriteRequest(IReadOnlyList<WriteItem> items)
{
    public IReadOnlyList<WriteItem> Items { get; } = items;
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int Rows { get; } = items.Sum(i => i.Rows);
}
