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
    private readonly DeviceSocket _socket = new();
    private readonly SemaphoreSlim _slots = new(inflight, inflight);
    private CancellationToken _retriesEnd;

    public BenchUser User => user;
    public int Member => member;
    public bool IsOpen => _socket.IsOpen;

    /// <summary>Sends still unanswered (retries included): the run drains until every sender is back to all slots free.</summary>
    public int Outstanding => inflight - _slots.CurrentCount;

    public Task<bool> ConnectAsync(Uri wsBase, CancellationToken ct) => _socket.ConnectAsync(wsBase, user.Token, Handle, ct);

    /// <summary>The closed loop: new sends until <paramref name="stop"/>; retries of refused sends go on until <paramref name="retriesEnd"/>.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken retriesEnd)
    {
        _retriesEnd = retriesEnd;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _socket.Closed);
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

    private Task<bool> SendTextAsync(byte[] utf8) => _socket.SendTextAsync(utf8);

    private void Handle(ReadOnlySpan<byte> utf8)
    {
        if (!FrameParser.TryParse(utf8, out var frame)) return;
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

    public Task CloseAsync(CancellationToken deadline) => _socket.CloseAsync(deadline);
}
