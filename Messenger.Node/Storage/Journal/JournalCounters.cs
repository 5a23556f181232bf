using Messenger.Messages.Telemetry;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// What the journal wrote, for the README's "rows per acknowledged message" and "rows per transaction": process-wide
/// totals a test or the bench can read; batch size and commit time also go to the "Messenger" meter
/// (<see cref="MessengerMetrics"/>), exported at <c>GET /metrics</c>.
/// </summary>
public static class JournalCounters
{
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
        MessengerMetrics.JournalBatchRows.Record(rows);
        MessengerMetrics.JournalCommitDuration.Record(elapsed.TotalMilliseconds);
    }
}
