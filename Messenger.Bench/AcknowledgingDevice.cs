using System.Globalization;
using System.Text;

namespace Messenger.Bench;

/// <summary>
/// One device of the receipts mode: a closed loop of `send` frames (K unacknowledged at a time, a `sent` or an
/// error frees a slot) and, while acknowledging, what a real client does with deliveries: it remembers the
/// highest seq it holds and sends `{"type":"received","upTo":seq}` after each batch. One `received` is in flight at
/// a time; whatever arrives meanwhile is covered by the next, so a burst costs one frame.
/// </summary>
public sealed class AcknowledgingDevice(BenchUser user, BenchUser peer, string body, int inflight, ReceiptsCounters counters)
{
    private readonly DeviceSocket _socket = new();
    private readonly SemaphoreSlim _slots = new(inflight, inflight);
    private readonly byte[] _name = Encoding.UTF8.GetBytes(user.Name);
    private long _highestSeq;
    private long _heldUnacknowledged; // peer messages held that no `received` has covered yet
    private long _acknowledgedUpTo;
    private int _ackRunning;

    public bool IsOpen => _socket.IsOpen;

    public Task<bool> ConnectAsync(Uri wsBase, CancellationToken ct) => _socket.ConnectAsync(wsBase, user.Token, Handle, ct);

    /// <summary>The closed loop: sends until <paramref name="stop"/> fires or the socket dies.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _socket.Closed);
        try
        {
            while (true)
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
                var frame = $"{{\"type\":\"send\",\"clientMessageId\":\"{Guid.NewGuid():D}\",\"to\":\"{peer.Name}\",\"body\":\"{body}\"}}";
                if (!await SendTextAsync(Encoding.UTF8.GetBytes(frame)).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException)
        {
            // End of the run or the socket closed.
        }
    }

    /// <summary>Unanswered sends: the run drains until every device is back to all slots free.</summary>
    public int Outstanding => inflight - _slots.CurrentCount;

    private Task<bool> SendTextAsync(byte[] utf8) => _socket.SendTextAsync(utf8);

    private void Handle(ReadOnlySpan<byte> utf8)
    {
        if (!ReceiptFrames.TryParse(utf8, _name, out var frame)) return;
        var now = counters.Now;
        switch (frame.Type)
        {
            case ReceiptFrameType.Sent:
                if (now is not null) Interlocked.Increment(ref now.Acked);
                FreeSlot();
                break;
            case ReceiptFrameType.Error:
                now?.Error(frame.ErrorCode);
                if (frame.HasClientMessageId) FreeSlot();
                break;
            case ReceiptFrameType.Receipt:
                if (now is not null) Interlocked.Increment(ref now.ReceiptFrames);
                break;
            case ReceiptFrameType.Message:
                InterlockedMax(ref _highestSeq, frame.Seq);
                // The device's own messages move no `delivered` marker: only a peer's message is worth a `received`
                // (which still names the highest seq held, own messages included).
                if (frame.FromReader) break;
                if (now is not null) Interlocked.Increment(ref now.Delivered);
                if (!counters.Acknowledge) break;
                // Only deliveries from the switch on count as acknowledged (the first `received` also covers what
                // the plain loop left unacknowledged).
                Interlocked.Increment(ref _heldUnacknowledged);
                if (Interlocked.Exchange(ref _ackRunning, 1) == 0) _ = AcknowledgeAsync();
                break;
        }
    }

    /// <summary>Sends `received` for the highest seq held until nothing new arrived while the last one was going out.</summary>
    private async Task AcknowledgeAsync()
    {
        while (true)
        {
            // Counted first, seq read second: every message counted has already raised the highest seq.
            long covered = Interlocked.Exchange(ref _heldUnacknowledged, 0);
            long upTo = Interlocked.Read(ref _highestSeq);
            if (covered > 0 && upTo > _acknowledgedUpTo)
            {
                var frame = "{\"type\":\"received\",\"upTo\":" + upTo.ToString(CultureInfo.InvariantCulture) + "}";
                if (!await SendTextAsync(Encoding.UTF8.GetBytes(frame)).ConfigureAwait(false)) return;
                _acknowledgedUpTo = upTo;
                if (counters.Now is { } now)
                {
                    Interlocked.Increment(ref now.ReceivedFrames);
                    Interlocked.Add(ref now.Acknowledged, covered);
                }
            }
            Volatile.Write(ref _ackRunning, 0);
            // A peer message that arrived after the read above saw _ackRunning still 1: take the turn back for it.
            if (Interlocked.Read(ref _heldUnacknowledged) == 0 || Interlocked.Exchange(ref _ackRunning, 1) == 1) return;
        }
    }

    // Only the receive loop frees slots; an answer to nothing this loop sent must not overfill them.
    private void FreeSlot()
    {
        if (_slots.CurrentCount < inflight) _slots.Release();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            long previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }

    public Task CloseAsync(CancellationToken deadline) => _socket.CloseAsync(deadline);
}
