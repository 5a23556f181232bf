using System.Diagnostics;
using System.Numerics;

namespace Messenger.Bench;

/// <summary>
/// Lock-free HDR-like histogram of latencies in microseconds: exact below 2,048 µs, then
/// 1,024 linear sub-buckets per power of two (≤ 0.1% relative error). Recording is one
/// Interlocked.Increment and never allocates, so receive loops can call it directly.
/// </summary>
public sealed class LatencyRecorder
{
    private const int SubBucketBits = 10;
    private const int SubBuckets = 1 << SubBucketBits;           // 1024
    private const int ExactLimit = SubBuckets * 2;                // values below are their own bucket
    private const int MaxShift = 32;                              // up to ~2^43 µs (~100 days); larger values clamp
    private const int BucketCount = ExactLimit + MaxShift * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _sum;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Records an interval measured with Stopwatch.GetTimestamp().</summary>
    public void RecordTicks(long stopwatchTicks) => RecordMicros(TicksToMicros(stopwatchTicks));

    public void RecordMicros(long micros)
    {
        if (micros < 0) micros = 0;
        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, micros);
        long seen = Volatile.Read(ref _max);
        while (micros > seen)
        {
            long prev = Interlocked.CompareExchange(ref _max, micros, seen);
            if (prev == seen) break;
            seen = prev;
        }
    }

    public static long TicksToMicros(long ticks) => (long)(ticks * (1_000_000.0 / Stopwatch.Frequency));

    private static int IndexOf(long v)
    {
        if (v < ExactLimit) return (int)v;
        int shift = (63 - BitOperations.LeadingZeroCount((ulong)v)) - SubBucketBits; // v >> shift in [1024, 2048)
        if (shift > MaxShift) return BucketCount - 1;
        return ExactLimit + (shift - 1) * SubBuckets + (int)((v >> shift) - SubBuckets);
    }

    /// <summary>Highest value that falls into bucket <paramref name="index"/>.</summary>
    private static long UpperBound(int index)
    {
        if (index < ExactLimit) return index;
        int rel = index - ExactLimit;
        int shift = rel / SubBuckets + 1;
        long mantissa = rel % SubBuckets + SubBuckets;
        return ((mantissa + 1) << shift) - 1;
    }

    public LatencySummary Summarize()
    {
        long total = Interlocked.Read(ref _count);
        long max = Interlocked.Read(ref _max);
        if (total == 0) return new LatencySummary(0, 0, 0, 0, 0, 0);
        return new LatencySummary(
            total,
            Percentile(0.50, total, max),
            Percentile(0.95, total, max),
            Percentile(0.99, total, max),
            max / 1000.0,
            Interlocked.Read(ref _sum) / (double)total / 1000.0);
    }

    private double Percentile(double p, long total, long max)
    {
        long rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank) return Math.Min(UpperBound(i), max) / 1000.0;
        }
        return max / 1000.0;
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
public readonly record struct LatencySummary(long Count, double P50, double P95, double P99, double Max, double Mean);
