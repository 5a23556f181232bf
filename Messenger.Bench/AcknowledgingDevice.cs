using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
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
    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1); // one SendAsync at a time on a ClientWebSocket
    private readonly SemaphoreSlim _slots = new(inflight, inflight);
    private readonly byte[] _name = Encoding.UTF8.GetBytes(user.Name);
    private readonly CancellationTokenSource _closed = new();
    private Task _receiveLoop = Task.CompletedTask;
    private long _highestSeq;
    private long _heldUnacknowledged; // peer messages held that no `received` has covered yet
    private long _acknowledgedUpTo;
    private int _ackRunning;

    public bool IsOpen => _ws.State == WebSocketState.Open && !_closed.IsCancellationRequested;

    public async Task<bool> ConnectAsync(Uri wsBase, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await _ws.ConnectAsync(new Uri(wsBase, "ws?access_token=" + Uri.EscapeDataString(user.Token)), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            return false;
        }
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        return true;
    }

    /// <summary>The closed loop: sends until <paramref name="stop"/> fires or the socket dies.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _closed.Token);
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

    private async Task<bool> SendTextAsync(byte[] utf8)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            // No cancellation token: cancelling a ClientWebSocket send aborts the socket.
            await _ws.SendAsync(utf8, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            _closed.Cancel();
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        int count = 0;
        try
        {
            while (true)
            {
                var r = await _ws.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close) return;
                count += r.Count;
                if (!r.EndOfMessage)
                {
                    if (count == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    continue;
                }
                if (r.MessageType == WebSocketMessageType.Text) Handle(buffer.AsSpan(0, count));
                count = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // The socket died; the run sees it through IsOpen.
        }
        finally
        {
            _closed.Cancel();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

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

    public async Task CloseAsync(CancellationToken deadline)
    {
        try
        {
            if (_ws.State == WebSocketState.Open)
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", deadline).ConfigureAwait(false);
            await _receiveLoop.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Deadline passed or the socket already broke: abort below.
        }
        finally
        {
            _ws.Abort();
            _ws.Dispose();
        }
    }
}
