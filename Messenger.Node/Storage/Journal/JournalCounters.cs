using System.Diagnostics.Metrics;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// What the journal wrote, for the README's "rows per acknowledged message" and "rows per transaction": process-wide
/// totals a test or the bench can read, and the same figures as <c>System.Diagnostics.Metrics</c> instruments
/// (meter <c>Messenger.Journal</c>) for an OpenTelemetry exporter.
/// </summary>
public static class JournalCounters
{
    public const string MeterName = "Messenger.Journal";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> TransactionsCounter = Meter.CreateCounter<long>("messenger.journal.transactions");
    private static readonly Counter<long> RowsCounter = Meter.CreateCounter<long>("messenger.journal.rows");
    private static readonly Histogram<long> BatchRows = Meter.CreateHistogram<long>("messenger.journal.batch.rows", "{row}", "rows per transaction");
    private static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>("messenger.journal.commit.duration", "ms", "write and commit of one batch");

    private static long _transactions;
    private static long _rows;
    private static long _messagesStored;

    /// <summary>Committed write transactions (group commits).</summary>
    public static long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Rows inserted or replaced by committed transactions (events and snapshots).</summary>
    public static long Rows => Interlocked.Read(ref _rows);

    /// <summary>Committed MessageStored events (two per acknowledged message: the recipient's and the sender's copy).</summary>
    public static long MessagesStored => Interlocked.Read(ref _messagesStored);

    internal static void Committed(int rows, int messagesStored, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _messagesStored, messagesStored);
        TransactionsCounter.Add(1);
        RowsCounter.Add(rows);
        BatchRows.Record(rows);
        CommitLatency.Record(elapsed.TotalMilliseconds);
    }
}
