using System.Collections.Concurrent;

namespace Messenger.Bench;

/// <summary>Shared counters. Fields are plain longs updated with Interlocked so hot paths do not allocate.</summary>
public sealed class BenchStats
{
    // All phases; used for the per-second progress line.
    public long TotalSent;
    public long TotalAcks;
    public long TotalFirstDeliveries;

    // Messages sent inside the measured window, whenever their ack/delivery arrived (drain included).
    public long MeasuredSent;
    public long MeasuredAcked;
    public long MeasuredDelivered;      // at least one recipient device got it
    public long MeasuredDeliveredAll;   // every recipient device got it

    // Events that happened inside the measured window (any message): the throughput numbers.
    public long AcksInWindow;
    public long DeliveriesInWindow;

    public long DuplicateDeliveries;
    public long OpenConnections;

    public readonly LatencyRecorder AckLatency = new();
    public readonly LatencyRecorder DeliverLatency = new();
    public readonly LatencyRecorder SendLag = new();   // open loop: actual minus scheduled send time

    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);

    public void Error(string code) => _errors.AddOrUpdate(code, 1, static (_, v) => v + 1);

    public long ErrorTotal
    {
        get
        {
            long n = 0;
            foreach (var kv in _errors) n += kv.Value;
            return n;
        }
    }

    public SortedDictionary<string, long> ErrorSnapshot() => new(_errors, StringComparer.Ordinal);
}
