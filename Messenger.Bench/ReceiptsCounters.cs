using System.Collections.Concurrent;

namespace Messenger.Bench;

/// <summary>
/// What the devices of a receipts run count, per phase: [0] the plain closed loop, [1] the same loop with every
/// delivery acknowledged. Outside both windows (warmups, drain) nothing is counted.
/// </summary>
public sealed class ReceiptsCounters
{
    public const int Plain = 0;
    public const int Acknowledging = 1;

    public readonly PhaseCounts[] Phases = [new(), new()];

    private volatile int _current = -1;

    /// <summary>The phase being measured now, or -1 between windows.</summary>
    public int Current
    {
        get => _current;
        set => _current = value;
    }

    /// <summary>From the second warmup on, devices answer deliveries with `received` frames.</summary>
    public volatile bool Acknowledge;

    public PhaseCounts? Now => _current >= 0 ? Phases[_current] : null;
}

/// <summary>Counts of one measured window (incremented with Interlocked by the devices).</summary>
public sealed class PhaseCounts
{
    /// <summary>`sent` frames (the sender's acknowledgement that a message is durable).</summary>
    public long Acked;
    /// <summary>`message` frames from the peer.</summary>
    public long Delivered;
    /// <summary>`received` frames the devices sent.</summary>
    public long ReceivedFrames;
    /// <summary>Peer messages those `received` frames covered for the first time.</summary>
    public long Acknowledged;
    /// <summary>`receipt` frames the server pushed (to either participant).</summary>
    public long ReceiptFrames;
    /// <summary>`error` frames (a send refused, or a `received` frame the server did not take).</summary>
    public long Errors;
    /// <summary>The same by code (`unavailable`: admission refused a send; `rate_limited`: the per-user limit).</summary>
    public readonly ConcurrentDictionary<string, long> ErrorCodes = new();

    public void Error(string? code)
    {
        Interlocked.Increment(ref Errors);
        ErrorCodes.AddOrUpdate(code ?? "unknown", 1, (_, n) => n + 1);
    }

    public PhaseSnapshot Snapshot(double seconds) => new(seconds, Interlocked.Read(ref Acked), Interlocked.Read(ref Delivered),
        Interlocked.Read(ref ReceivedFrames), Interlocked.Read(ref Acknowledged), Interlocked.Read(ref ReceiptFrames),
        Interlocked.Read(ref Errors), ErrorCodes.OrderBy(e => e.Key, StringComparer.Ordinal).ToList());
}

/// <summary>One window's counts and length, for <see cref="ReceiptsFigures"/>.</summary>
public readonly record struct PhaseSnapshot(
    double Seconds, long Acked, long Delivered, long ReceivedFrames, long Acknowledged, long ReceiptFrames, long Errors,
    IReadOnlyList<KeyValuePair<string, long>>? ErrorsByCode = null);
