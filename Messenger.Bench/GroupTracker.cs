using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;

namespace Messenger.Bench;

/// <summary>A group the bench created: its id and members, and which members' devices are connected.</summary>
public sealed class BenchGroup(int index, string conversationId, IReadOnlyList<BenchUser> members)
{
    public int Index { get; } = index;
    public string ConversationId { get; } = conversationId;
    public IReadOnlyList<BenchUser> Members { get; } = members;

    /// <summary>Bit m set while member m's device is connected (up to 256 members: four longs).</summary>
    public readonly long[] LiveMask = new long[4];

    /// <summary>How many devices a message of this group must reach: the connected members' (the sender's included).</summary>
    public int LiveCount => LiveMask.Sum(m => BitOperations.PopCount((ulong)m));

    public bool IsLive(int member) => (LiveMask[member >> 6] & (1L << (member & 63))) != 0;
}

/// <summary>One group send, keyed by its clientMessageId; retries of it keep the record and its first send time.</summary>
public sealed class GroupSend(BenchGroup group, int sender, long sendTs, bool measured)
{
    public BenchGroup Group { get; } = group;
    public int Sender { get; } = sender;
    public long SendTs { get; } = sendTs;
    public bool Measured { get; } = measured;
    public int Acked;
    public int Delivered;
    public int RecipientsDelivered;
    public int AllDelivered;
    /// <summary>Bit m set once member m's device got it (a second frame for the same member is a duplicate).</summary>
    public readonly long[] Seen = new long[4];
}

/// <summary>
/// Matches `sent`, `error` and group `message` frames to the group sends. A send leaves the map once it is acknowledged
/// and on every connected member's device (or failed for good), so what stays after the drain is exactly the unacked
/// or undelivered set. Throughput counts only sends started in the measured window whose ack / copy arrived in it
/// (as the closed loop does), so a backlog of warmup sends cannot pass for throughput.
/// </summary>
public sealed class GroupTracker
{
    private readonly ConcurrentDictionary<Guid, GroupSend> _pending = new();
    private readonly ConcurrentDictionary<string, long> _errorCodes = new();

    public RunClock? Clock { get; set; }

    public long Sent, Acked, CopiesDelivered;                 // all phases (progress line)
    public long MeasuredSent, AckedInWindow, CopiesInWindow; // sends started in the window
    public long Duplicates, Unexpected, Failed, Errors;
    public readonly LatencyRecorder AckLatency = new();
    /// <summary>Send → the last of the other members' devices (the sender's own copy comes last, with its ack).</summary>
    public readonly LatencyRecorder LastDeviceLatency = new();

    public int Pending => _pending.Count;

    /// <summary>Must run before the frame is written: the answer may race the write's return.</summary>
    public GroupSend Register(Guid id, BenchGroup group, int sender)
    {
        long now = Stopwatch.GetTimestamp();
        var send = new GroupSend(group, sender, now, Clock?.InWindow(now) == true);
        _pending[id] = send;
        Interlocked.Increment(ref Sent);
        if (send.Measured) Interlocked.Increment(ref MeasuredSent);
        return send;
    }

    /// <summary>A `sent` frame; true when it is the send's first acknowledgement (the sender frees a slot).</summary>
    public bool OnSent(Guid id)
    {
        if (!_pending.TryGetValue(id, out var send) || Interlocked.Exchange(ref send.Acked, 1) == 1) return false;
        long now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref Acked);
        if (send.Measured)
        {
            AckLatency.RecordTicks(now - send.SendTs);
            if (Clock?.InWindow(now) == true) Interlocked.Increment(ref AckedInWindow);
        }
        ForgetIfDone(id, send);
        return true;
    }

    /// <summary>A `message` frame of a group text message on member <paramref name="member"/>'s device.</summary>
    public void OnDelivered(Guid id, int member)
    {
        if (!_pending.TryGetValue(id, out var send))
        {
            // Not one of this run's sends still pending: a copy that came after its send was complete is a duplicate
            // only per member, which the record no longer knows; count it apart.
            Interlocked.Increment(ref Unexpected);
            return;
        }
        long bit = 1L << (member & 63);
        if ((Interlocked.Or(ref send.Seen[member >> 6], bit) & bit) != 0)
        {
            Interlocked.Increment(ref Duplicates);
            return;
        }
        long now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref CopiesDelivered);
        if (send.Measured && Clock?.InWindow(now) == true) Interlocked.Increment(ref CopiesInWindow);
        var live = send.Group.LiveCount;
        if (member != send.Sender && Interlocked.Increment(ref send.RecipientsDelivered) == live - (send.Group.IsLive(send.Sender) ? 1 : 0)
            && send.Measured)
            LastDeviceLatency.RecordTicks(now - send.SendTs);
        if (Interlocked.Increment(ref send.Delivered) < live) return;
        if (Interlocked.Exchange(ref send.AllDelivered, 1) == 1) return;
        ForgetIfDone(id, send);
    }

    /// <summary>An `error` frame: counted by code (every refusal, retried or not).</summary>
    public void OnError(string? code)
    {
        Interlocked.Increment(ref Errors);
        _errorCodes.AddOrUpdate(code ?? "unknown", 1, (_, n) => n + 1);
    }

    /// <summary>A send refused for good (not `unavailable`/`rate_limited`): it will not be retried.</summary>
    public void OnFailed(Guid id)
    {
        if (_pending.TryRemove(id, out _)) Interlocked.Increment(ref Failed);
    }

    private void ForgetIfDone(Guid id, GroupSend send)
    {
        if (Volatile.Read(ref send.Acked) == 1 && Volatile.Read(ref send.AllDelivered) == 1) _pending.TryRemove(id, out _);
    }

    public IReadOnlyList<KeyValuePair<string, long>> ErrorsByCode => _errorCodes.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();

    /// <summary>What is still pending: sends never acknowledged, and sends missing from some connected member's device.</summary>
    public (int Unacked, int Undelivered) Outstanding() =>
        (_pending.Values.Count(s => Volatile.Read(ref s.Acked) == 0), _pending.Values.Count(s => Volatile.Read(ref s.AllDelivered) == 0));
}
