namespace Messenger.Web.RealTime;

/// <summary>
/// The frames waiting for one socket: each inbox seq at most once, taken in bounded batches (what a stalled socket
/// holds stays small), with a count of the live pushes among them — the measure of how far behind a device is.
/// </summary>
public sealed class OutgoingFrames
{
    public const int MaxBatch = 64;

    private List<ServerFrame> _queue = new();

    /// <summary>What this connection delivered (or queued), for the once-per-seq rule and the internal catch-up.</summary>
    public DeliveredSeqs Delivered { get; } = new();

    public int Count => _queue.Count;

    /// <summary>Live pushes queued and not yet handed to the writer.</summary>
    public int LiveWaiting { get; private set; }

    /// <summary>Queues <paramref name="frame"/>; false for a message whose seq this connection already sent.</summary>
    public bool Add(ServerFrame frame)
    {
        if (frame.Seq is { } seq && !Delivered.TryMark(seq)) return false;
        _queue.Add(frame);
        if (frame is MessageFrame { Live: true }) LiveWaiting++;
        return true;
    }

    /// <summary>The oldest frames, at most <see cref="MaxBatch"/>; null when none wait.</summary>
    public List<ServerFrame>? TakeBatch()
    {
        if (_queue.Count == 0) return null;
        List<ServerFrame> batch;
        if (_queue.Count <= MaxBatch)
        {
            batch = _queue;
            _queue = new List<ServerFrame>();
        }
        else
        {
            batch = _queue.GetRange(0, MaxBatch);
            _queue.RemoveRange(0, MaxBatch);
        }
        foreach (var frame in batch)
            if (frame is MessageFrame { Live: true }) LiveWaiting--;
        return batch;
    }
}
