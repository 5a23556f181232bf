using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Akka.Event;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// The one writer of a database: a loop that takes every write submitted since the last commit (all inboxes of the
/// node, snapshots, deletions) and commits it as one transaction on one connection. Batches form while the previous
/// commit is in flight, so the busier the node, the more rows share an fsync. Nothing is acknowledged before its commit.
/// When the database refuses one unit's rows (a stale incarnation's sequence number, say), the batch is written again
/// with a savepoint per unit: only that unit fails, every other unit of the batch is stored.
/// </summary>
public sealed class JournalWriter : IAsyncDisposable
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);
    private readonly JournalDatabase _database;
    private readonly ILoggingAdapter? _log;
    private readonly int _maxBatchRows;
    private readonly Channel<WriteRequest> _requests =
        Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private DbConnection? _connection;
    private EventRowInserter? _inserter;
    private readonly StorageOutage _outage;
    private long _transactions;
    private long _rows;
    private long _messagesStored;
    private (long Transactions, long Rows, long MessagesStored, long At) _reported = (0, 0, 0, Stopwatch.GetTimestamp());

    public JournalWriter(JournalDatabase database, ILoggingAdapter? log = null, int maxBatchRows = 4000)
    {
        _database = database;
        _log = log;
        _maxBatchRows = maxBatchRows;
        _outage = new StorageOutage(database.Kind, log);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions this writer committed.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Rows this writer's committed transactions inserted or replaced.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Completes when every item is committed or refused (see <see cref="WriteItem.Error"/>); faults when the
    /// database could not be written at all.</summary>
    public Task WriteAsync(IReadOnlyList<WriteItem> items)
    {
        var request = new WriteRequest(items);
        if (!_requests.Writer.TryWrite(request))
            request.Done.TrySetException(new InvalidOperationException("the journal writer is stopped"));
        return request.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteRequest>();
        while (await _requests.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < _maxBatchRows && _requests.Reader.TryRead(out var request))
            {
                batch.Add(request);
                rows += request.Rows;
            }
            await CommitAsync(batch);
        }
        await CloseAsync();
    }

    private async Task CommitAsync(List<WriteRequest> batch)
    {
        var items = batch.SelectMany(r => r.Items).ToList();
        var started = Stopwatch.GetTimestamp();
        try
        {
            try
            {
                await WriteTogetherAsync(items);
            }
            catch (Exception e) when (EventRowInserter.IsCausedByRows(e))
            {
                await WriteIsolatedAsync(items);
            }
            var rows = items.Where(i => i.Error is null).Sum(i => i.Rows);
            var stored = items.OfType<EventsItem>().Where(i => i.Error is null).Sum(i => i.Events.Count(e => e.Index is not null));
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _rows, rows);
            Interlocked.Add(ref _messagesStored, stored);
            JournalCounters.Committed(rows, stored, Stopwatch.GetElapsedTime(started));
            foreach (var request in batch) request.Done.TrySetResult();
            Report();
        }
        catch (Exception e)
        {
            // The connection or the database failed: nothing of this batch is known to be stored. Start afresh, on a
            // new connection (the pool's others went with this one when the server went away).
            await CloseAsync();
            _database.ClearPoolIfConnectionLost(e);
            _outage.Failed(e);
            foreach (var request in batch) request.Done.TrySetException(e);
            return;
        }
        _outage.Succeeded();
    }

    /// <summary>Every 10 s of writing, one log line with what the batches looked like (for the README's figures).</summary>
    private void Report()
    {
        if (_log is null || Stopwatch.GetElapsedTime(_reported.At) < ReportEvery) return;
        var (transactions, rows, stored) = (Transactions - _reported.Transactions, Rows - _reported.Rows, _messagesStored - _reported.MessagesStored);
        _log.Info("Journal wrote {0} rows in {1} transactions ({2:F1} rows per transaction; {3} messages stored, {4:F2} rows per stored copy) in {5:F1} s",
            rows, transactions, (double)rows / transactions, stored, stored == 0 ? 0 : (double)rows / stored,
            Stopwatch.GetElapsedTime(_reported.At).TotalSeconds);
        _reported = (Transactions, Rows, _messagesStored, Stopwatch.GetTimestamp());
    }

    private async Task WriteTogetherAsync(List<WriteItem> items)
    {
        var connection = await ConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var events = new List<EventRow>();
        foreach (var item in items.OfType<EventsItem>()) events.AddRange(item.Events);
        if (events.Count > 0) await _inserter!.InsertAsync(transaction, events);
        foreach (var item in items.OfType<StatementsItem>()) await item.RunAsync(connection, transaction);
        await transaction.CommitAsync();
    }

    private async Task WriteIsolatedAsync(List<WriteItem> items)
    {
        var connection = await ConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var item in items)
        {
            await JournalDatabase.ExecuteAsync(connection, transaction, "SAVEPOINT write_item");
            try
            {
                if (item is EventsItem events) await _inserter!.InsertAsync(transaction, events.Events);
                else await ((StatementsItem)item).RunAsync(connection, transaction);
            }
            catch (Exception e) when (EventRowInserter.IsCausedByRows(e))
            {
                item.Error = e;
                await JournalDatabase.ExecuteAsync(connection, transaction, "ROLLBACK TO SAVEPOINT write_item");
            }
            await JournalDatabase.ExecuteAsync(connection, transaction, "RELEASE SAVEPOINT write_item");
        }
        await transaction.CommitAsync();
    }

    private async Task<DbConnection> ConnectionAsync()
    {
        if (_connection is not null) return _connection;
        var connection = await _database.OpenAsync();
        try
        {
            if (_database.Kind == JournalKind.Sqlite)
            {
                await SqliteDurability.ApplyAsync(connection, _database.SqliteSynchronous);
                // The writer touches every inbox's index pages; SQLite's default 2 MiB page cache would re-read them.
                await JournalDatabase.ExecuteAsync(connection, null, "PRAGMA cache_size=-65536");
                // Each commit writes every page it touched to the WAL, and the same hot pages (each inbox's index tail)
                // are touched again by the next commits: a checkpoint every 65,536 pages (256 MiB of WAL at most)
                // instead of SQLite's 1,000 (nearly every commit under load) copies each hot page to the database once
                // per many commits (bench --mode journal: 79 → 70 µs CPU per message against 16,384 pages).
                await JournalDatabase.ExecuteAsync(connection, null, "PRAGMA wal_autocheckpoint=65536");
                // Another process holding the write lock fails the batch after 2 s (logged as locked, answered
                // unavailable) instead of holding every send for the connection's 30 s busy timeout.
                await JournalDatabase.ExecuteAsync(connection, null, "PRAGMA busy_timeout=2000");
            }
            else await JournalDatabase.ExecuteAsync(connection, null, "SET synchronous_commit TO on");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _connection = connection;
        _inserter = EventRowInserter.For(connection);
        return connection;
    }

    private async Task CloseAsync()
    {
        if (_inserter is not null) await _inserter.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        _inserter = null;
        _connection = null;
    }

    /// <summary>Stops taking writes, commits what was submitted, closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _loop;
    }
}
