using System.Collections.Concurrent;

namespace Messenger.Bench;

/// <summary>Shared counters. Fields are plain longs updated with Interlocked so hot paths do not allocate.</summary>
public sealed class BenchStats
{
    // All phases; used for the per-second progress line only.
    public long TotalSent;
    public long TotalAcks;
    public long TotalFirstDeliveries;

    // Messages sent inside the measured window, whenever their ack/delivery arrived (drain included).
    public long MeasuredSent;
    public long MeasuredAcked;
    public long MeasuredDelivered;      // at least one recipient device got it
    public long MeasuredDeliveredAll;   // every recipient device got it
    public long MeasuredRejected;       // answered with an error frame naming it

    // Of those, the ones whose ack / first delivery arrived before the window closed: the throughput figures.
    // Counting only messages sent in the window keeps a backlog of warmup sends, acknowledged late, from
    // passing for throughput when the window's own sends got nothing.
    public long MeasuredAckedInWindow;
    public long MeasuredDeliveredInWindow;

    public long DuplicateDeliveries;
    public long OpenConnections;

    public readonly LatencyRecorder AckLatency = new();
    public readonly LatencyRecorder DeliverLatency = new();
    public readonly LatencyRecorder SendLag = new();   // open loop: actual minus scheduled send time

    // Errors of the measured window (error frames for measured sends, sockets lost in the window) apart from
    // the rest (setup, warmup, drain), so "0 errors" speaks about the window the figures come from.
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _otherErrors = new(StringComparer.Ordinal);

    public void Error(string code, bool measured = false) =>
        (measured ? _errors : _otherErrors).AddOrUpdate(code, 1, static (_, v) => v + 1);

    public long ErrorTotal => Sum(_errors) + Sum(_otherErrors);

    public long MeasuredErrorTotal => Sum(_errors);

    public SortedDictionary<string, long> ErrorSnapshot() => new(_errors, StringComparer.Ordinal);

    public SortedDictionary<string, long> OtherErrorSnapshot() => new(_otherErrors, StringComparer.Ordinal);

    private static long Sum(ConcurrentDictionary<string, long> counts)
    {
        long n = 0;
        foreach (var kv in counts) n += kv.Value;
        return n;
    }
}
