using System.Data;
using System.Data.Common;
using LinqToDB.Common;
using LinqToDB.Interceptors;

namespace Messenger.Node.Storage;

/// <summary>
/// Microsoft.Data.Sqlite runs its "async" calls synchronously. The journal plugin batches writes in an Akka.Streams
/// stage fused with the stage that writes, so a synchronous write (with its fsync) blocks the stage that should be
/// collecting the next batch, and batches stay tiny: one fsync per few events. Yielding before each command moves
/// the write off the stream's thread, so events pile up into big batches while a commit is in flight.
/// </summary>
public sealed class SqliteOffload : ICommandInterceptor
{
    public DbCommand CommandInitialized(CommandEventData eventData, DbCommand command) => command;

    public Option<int> ExecuteNonQuery(CommandEventData eventData, DbCommand command, Option<int> result) => result;

    public async Task<Option<int>> ExecuteNonQueryAsync(CommandEventData eventData, DbCommand command, Option<int> result,
        CancellationToken cancellationToken)
    {
        await Task.Yield();
        return result;
    }

    public Option<DbDataReader> ExecuteReader(CommandEventData eventData, DbCommand command, CommandBehavior commandBehavior,
        Option<DbDataReader> result) => result;

    public async Task<Option<DbDataReader>> ExecuteReaderAsync(CommandEventData eventData, DbCommand command,
        CommandBehavior commandBehavior, Option<DbDataReader> result, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return result;
    }

    public Option<object?> ExecuteScalar(CommandEventData eventData, DbCommand command, Option<object?> result) => result;

    public async Task<Option<object?>> ExecuteScalarAsync(CommandEventData eventData, DbCommand command, Option<object?> result,
        CancellationToken cancellationToken)
    {
        await Task.Yield();
        return result;
    }

    public void AfterExecuteReader(CommandEventData eventData, DbCommand command, CommandBehavior commandBehavior, DbDataReader dataReader)
    {
    }

    public void BeforeReaderDispose(CommandEventData eventData, DbCommand? command, DbDataReader dataReader)
    {
    }

    public Task BeforeReaderDisposeAsync(CommandEventData eventData, DbCommand? command, DbDataReader dataReader) => Task.CompletedTask;
}
