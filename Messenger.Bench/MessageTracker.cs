using System.Collections.Concurrent;

namespace Messenger.Bench;

/// <summary>One message in flight, keyed by its clientMessageId.</summary>
public sealed class MessageRecord
{
    public const int Acked = 1, AllDelivered = 2, Errored = 4;

    public required BenchConnection Sender;
    public required BenchUser Recipient;
    public long SendTs;          // Stopwatch timestamp latency is measured from
    public bool Measured;        // sent inside the measured window
    public long DeviceMask;      // bit d = recipient device d received it
    public int State;            // Acked | AllDelivered | Errored
}

/// <summary>
/// Matches `sent`, `message` and `error` frames to outstanding sends. A record leaves the map
/// once it is acked and delivered to every recipient device (or errored), so what remains after
/// the drain is exactly the unacked / undelivered set.
/// </summary>
public sealed class MessageTracker
{
    private readonly ConcurrentDictionary<Guid, MessageRecord> _pending;
    private readonly BenchStats _stats;
    private long _pendingCount;

    public RunClock? Clock { get; set; }

    public MessageTracker(BenchStats stats, int expectedConnections)
    {
        _stats = stats;
        _pending = new ConcurrentDictionary<Guid, MessageRecord>(Environment.ProcessorCount * 4, Math.Max(64, expectedConnections * 8));
    }

    public long Pending => Interlocked.Read(ref _pendingCount);

    /// <summary>Must be called before the frame is written: the ack may race the SendAsync return.</summary>
    public void Register(Guid id, MessageRecord record)
    {
        var clock = Clock;
        record.Measured = clock is not null && clock.InWindow(record.SendTs);
        _pending[id] = record;
        Interlocked.Increment(ref _pendingCount);
        Interlocked.Increment(ref _stats.TotalSent);
        if (record.Measured) Interlocked.Increment(ref _stats.MeasuredSent);
    }

    /// <summary>Drops a record whose frame never made it onto the wire.</summary>
    public void Unregister(Guid id)
    {
        if (!_pending.TryRemove(id, out var rec)) return;
        Interlocked.Decrement(ref _pendingCount);
        // It was never sent: it must not count as sent (and then as neither acked nor rejected).
        Interlocked.Decrement(ref _stats.TotalSent);
        if (rec.Measured) Interlocked.Decrement(ref _stats.MeasuredSent);
    }

    /// <summary>Handles a `sent` frame. Returns the record when this was its first ack or error.</summary>
    public MessageRecord? OnAck(Guid id, long now)
    {
        if (!_pending.TryGetValue(id, out var rec)) return null;
        int before = Interlocked.Or(ref rec.State, MessageRecord.Acked);
        if ((before & (MessageRecord.Acked | MessageRecord.Errored)) != 0) return null;

        Interlocked.Increment(ref _stats.TotalAcks);
        if (rec.Measured)
        {
            Interlocked.Increment(ref _stats.MeasuredAcked);
            if (Clock?.InWindow(now) == true) Interlocked.Increment(ref _stats.MeasuredAckedInWindow);
            _stats.AckLatency.RecordTicks(now - rec.SendTs);
        }
        if ((before & MessageRecord.AllDelivered) != 0) Remove(id);
        return rec;
    }

    /// <summary>Handles a `message` frame received by <paramref name="user"/>'s device <paramref name="device"/>.</summary>
    public void OnMessage(Guid id, BenchUser user, int device, long now)
    {
        if (!_pending.TryGetValue(id, out var rec)) return;
        if (!ReferenceEquals(rec.Recipient, user)) return; // the copy pushed to the sender's own devices

        long bit = 1L << device;
        long before = Interlocked.Or(ref rec.DeviceMask, bit);
        if ((before & bit) != 0)
        {
            Interlocked.Increment(ref _stats.DuplicateDeliveries);
            return;
        }
        if (before == 0)
        {
            Interlocked.Increment(ref _stats.TotalFirstDeliveries);
            if (rec.Measured)
            {
                Interlocked.Increment(ref _stats.MeasuredDelivered);
                if (Clock?.InWindow(now) == true) Interlocked.Increment(ref _stats.MeasuredDeliveredInWindow);
                _stats.DeliverLatency.RecordTicks(now - rec.SendTs);
            }
        }
        long live = Interlocked.Read(ref user.LiveDevices);
        if (((before | bit) & live) == live)
        {
            if (rec.Measured) Interlocked.Increment(ref _stats.MeasuredDeliveredAll);
            int state = Interlocked.Or(ref rec.State, MessageRecord.AllDelivered);
            if ((state & MessageRecord.Acked) != 0) Remove(id);
        }
    }

    /// <summary>
    /// Handles an `error` frame with <paramref name="code"/>, naming a clientMessageId or not (null). The error is
    /// counted as the measured window's when it names a measured send, or, naming none, arrived inside the window.
    /// Returns the record on its first ack/error.
    /// </summary>
    public MessageRecord? OnError(Guid? id, string code, long now)
    {
        if (id is null || !_pending.TryGetValue(id.Value, out var rec))
        {
            _stats.Error(code, measured: id is null && Clock?.InWindow(now) == true);
            return null;
        }
        _stats.Error(code, rec.Measured);
        int before = Interlocked.Or(ref rec.State, MessageRecord.Errored);
        if ((before & (MessageRecord.Acked | MessageRecord.Errored)) != 0) return null;
        if (rec.Measured) Interlocked.Increment(ref _stats.MeasuredRejected);
        Remove(id.Value); // the send failed; a later delivery of it is not something we wait for
        return rec;
    }

    /// <summary>Counts a bench-side failure (socket lost, send failed) against the window it happened in.</summary>
    public void OnFailure(string code, long now) => _stats.Error(code, Clock?.InWindow(now) == true);

    private void Remove(Guid id)
    {
        if (_pending.TryRemove(id, out _)) Interlocked.Decrement(ref _pendingCount);
    }

    /// <summary>Classifies what is still pending after the drain.</summary>
    public Leftovers CountLeftovers()
    {
        var l = new Leftovers();
        foreach (var rec in _pending.Values)
        {
            int state = Volatile.Read(ref rec.State);
            if ((state & MessageRecord.Errored) != 0) continue;
            bool acked = (state & MessageRecord.Acked) != 0;
            long mask = Interlocked.Read(ref rec.DeviceMask);
            long live = Interlocked.Read(ref rec.Recipient.LiveDevices);
            if (rec.Measured)
            {
                if (!acked) l.Unacked++;
                else if (mask == 0) l.Undelivered++;
                else if ((mask & live) != live) l.PartiallyDelivered++;
            }
            else if (acked && mask == 0)
            {
                l.UndeliveredWarmup++;
            }
        }
        return l;
    }
}

public sealed class Leftovers
{
    public long Unacked;             // measured, no `sent` and no error
    public long Undelivered;         // measured, acked, no recipient device got it
    public long PartiallyDelivered;  // measured, acked, some but not all connected recipient devices got it
    public long UndeliveredWarmup;   // same as Undelivered for warmup traffic (reported, not counted)
}
