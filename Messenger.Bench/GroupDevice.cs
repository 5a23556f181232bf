using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Messenger.Bench;

/// <summary>
/// One member's WebSocket in the group mode. Every member's device counts the group's text messages it receives; a
/// sender's device also runs a closed loop of `send` frames to its group (K unacknowledged at a time). A send refused
/// with `unavailable` or `rate_limited` is sent again with the same clientMessageId after the server's retryAfter (as
/// API.md tells clients), so it keeps its slot and its first send time; any other refusal frees the slot.
/// </summary>
public sealed class GroupDevice(BenchUser user, BenchGroup group, int member, string body, int inflight, GroupTracker tracker)
{
    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1); // one SendAsync at a time on a ClientWebSocket
    private readonly SemaphoreSlim _slots = new(inflight, inflight);
    private readonly CancellationTokenSource _closed = new();
    private Task _receiveLoop = Task.CompletedTask;
    private CancellationToken _retriesEnd;

    public BenchUser User => user;
    public int Member => member;
    public bool IsOpen => _ws.State == WebSocketState.Open && !_closed.IsCancellationRequested;

    /// <summary>Sends still unanswered (retries included): the run drains until every sender is back to all slots free.</summary>
    public int Outstanding => inflight - _slots.CurrentCount;

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

    /// <summary>The closed loop: new sends until <paramref name="stop"/>; retries of refused sends go on until <paramref name="retriesEnd"/>.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken retriesEnd)
    {
        _retriesEnd = retriesEnd;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _closed.Token);
        try
        {
            while (true)
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
                var id = Guid.NewGuid();
                tracker.Register(id, group, member);
                if (!await SendTextAsync(Frame(id)).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException)
        {
            // End of the run or the socket closed.
        }
    }

    private byte[] Frame(Guid id) =>
        Encoding.UTF8.GetBytes($"{{\"type\":\"send\",\"clientMessageId\":\"{id:D}\",\"to\":\"{group.ConversationId}\",\"body\":\"{body}\"}}");

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
            // The socket died; the run sees it through IsOpen and the sends it never completes.
        }
        finally
        {
            _closed.Cancel();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Handle(ReadOnlySpan<byte> utf8)
    {
        if (!GroupFrames.TryParse(utf8, out var frame)) return;
        switch (frame.Type)
        {
            case FrameType.Sent when frame.HasClientMessageId:
                if (tracker.OnSent(frame.ClientMessageId)) FreeSlot();
                break;
            case FrameType.Error:
                tracker.OnError(frame.ErrorCode);
                if (!frame.HasClientMessageId) break;
                if (frame.ErrorCode is "unavailable" or "rate_limited") _ = RetryAsync(frame.ClientMessageId, frame.RetryAfterSec);
                else
                {
                    tracker.OnFailed(frame.ClientMessageId);
                    FreeSlot();
                }
                break;
            case FrameType.Message when frame.InGroup && frame.IsText && frame.HasClientMessageId:
                tracker.OnDelivered(frame.ClientMessageId, member);
                break;
        }
    }

    /// <summary>The same send again after the server's retryAfter (default 1 s), with jitter so refused senders spread out.</summary>
    private async Task RetryAsync(Guid id, double retryAfterSec)
    {
        double wait = (retryAfterSec > 0 ? retryAfterSec : 1.0) * (0.5 + Random.Shared.NextDouble() / 2);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), _retriesEnd).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the drain is over: the send stays unacknowledged
        }
        await SendTextAsync(Frame(id)).ConfigureAwait(false);
    }

    // Only answers free slots; an answer to nothing this loop sent must not overfill them.
    private void FreeSlot()
    {
        if (_slots.CurrentCount < inflight) _slots.Release();
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
