using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Messenger.Bench;

/// <summary>
/// One device: a ClientWebSocket, its receive loop, and a serialized sender that rewrites a
/// pre-built `send` frame in place (only the clientMessageId changes between messages).
/// </summary>
public sealed class BenchConnection
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _ws = new();
    private readonly MessageTracker _tracker;
    private readonly BenchStats _stats;
    private readonly SemaphoreSlim _sendLock = new(1, 1); // ClientWebSocket allows one SendAsync at a time
    private readonly CancellationTokenSource _closed = new();
    private byte[] _frame = [];
    private int _idOffset;
    private Task _receiveLoop = Task.CompletedTask;
    private int _open;              // 1 while usable; flipped to 0 exactly once
    private volatile bool _shuttingDown;

    public BenchUser User { get; }
    public int Device { get; }
    public BenchUser? Peer { get; private set; }
    private long DeviceBit => 1L << Device;

    /// <summary>Closed loop: free in-flight slots; released when a send is acked or rejected.</summary>
    public SemaphoreSlim? InflightSlots { get; set; }

    public bool IsOpen => Volatile.Read(ref _open) == 1;
    public CancellationToken Closed => _closed.Token;

    public BenchConnection(BenchUser user, int device, MessageTracker tracker, BenchStats stats)
    {
        User = user;
        Device = device;
        _tracker = tracker;
        _stats = stats;
        // Keep-alive pings keep NATs/proxies from dropping idle sockets; 20 s is well under typical idle timeouts.
        _ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
    }

    /// <summary>Builds the reusable send frame: {"type":"send","clientMessageId":"&lt;36&gt;","to":"peer","body":"..."}.</summary>
    public void SetPeer(BenchUser peer, string body)
    {
        Peer = peer;
        string prefix = "{\"type\":\"send\",\"clientMessageId\":\"";
        string suffix = "\",\"to\":\"" + peer.Name + "\",\"body\":\"" + body + "\"}";
        _idOffset = Encoding.UTF8.GetByteCount(prefix);
        _frame = Encoding.UTF8.GetBytes(prefix + new string('0', 36) + suffix);
    }

    public async Task<bool> ConnectAsync(Uri wsBase, CancellationToken ct)
    {
        var uri = new Uri(wsBase, "ws?access_token=" + Uri.EscapeDataString(User.Token));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await _ws.ConnectAsync(uri, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            _stats.Error("connect_failed");
            return false;
        }
        Volatile.Write(ref _open, 1);
        Interlocked.Or(ref User.LiveDevices, DeviceBit);
        Interlocked.Increment(ref _stats.OpenConnections);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        return true;
    }

    /// <summary>
    /// Sends one message. Closed loop passes <paramref name="scheduledTs"/> = null and latency is measured
    /// from the actual send; open loop passes the scheduled time and latency is measured from
    /// min(scheduled, actual): a late send is charged from its schedule (no coordinated omission), a
    /// slightly early one (timer rounding) from when it really left. Returns false when the connection is unusable.
    /// </summary>
    public async ValueTask<bool> SendMessageAsync(long? scheduledTs)
    {
        if (!IsOpen || Peer is null) return false;
        var id = Guid.NewGuid();
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            id.TryFormat(_frame.AsSpan(_idOffset, 36), out _, "D");
            long now = Stopwatch.GetTimestamp();
            long origin = now;
            if (scheduledTs is { } due)
            {
                _stats.SendLag.RecordTicks(now - due);
                origin = Math.Min(now, due); // the earlier of the two: never understates
            }
            _tracker.Register(id, new MessageRecord { Sender = this, Recipient = Peer, SendTs = origin });
            try
            {
                // No cancellation token on purpose: cancelling a ClientWebSocket send aborts the socket.
                await _ws.SendAsync(_frame, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                _tracker.Unregister(id);
                MarkDead("send_failed");
                return false;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        await SocketFrameReader.ReadFramesAsync(_ws, utf8 => HandleFrame(utf8, Stopwatch.GetTimestamp())).ConfigureAwait(false);
        MarkDead("socket_closed");
    }

    private void HandleFrame(ReadOnlySpan<byte> utf8, long now)
    {
        if (!FrameParser.TryParse(utf8, out var f))
        {
            _tracker.OnFailure("bad_frame", now);
            return;
        }
        switch (f.Type)
        {
            case FrameType.Sent:
                if (f.HasClientMessageId && _tracker.OnAck(f.ClientMessageId, now) is { } acked) acked.Sender.ReleaseSlot();
                break;
            case FrameType.Message:
                if (f.HasClientMessageId) _tracker.OnMessage(f.ClientMessageId, User, Device, now);
                break;
            case FrameType.Error:
                if (_tracker.OnError(f.HasClientMessageId ? f.ClientMessageId : null, f.ErrorCode ?? "unknown", now) is { } failed)
                    failed.Sender.ReleaseSlot();
                break;
        }
    }

    private void ReleaseSlot() => InflightSlots?.Release();

    private void MarkDead(string code)
    {
        if (Interlocked.Exchange(ref _open, 0) == 0) return;
        if (!_shuttingDown) Interlocked.And(ref User.LiveDevices, ~DeviceBit);
        Interlocked.Decrement(ref _stats.OpenConnections);
        if (!_shuttingDown) _tracker.OnFailure(code, Stopwatch.GetTimestamp());
        try { _closed.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Polite close with a deadline; aborts if the server does not answer in time.</summary>
    public async Task CloseAsync(CancellationToken deadline)
    {
        _shuttingDown = true;
        try
        {
            if (_ws.State == WebSocketState.Open)
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", deadline).ConfigureAwait(false);
            await _receiveLoop.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Deadline passed or socket already broken: abort below.
        }
        finally
        {
            _ws.Abort();
            _ws.Dispose();
            if (Interlocked.Exchange(ref _open, 0) == 1) Interlocked.Decrement(ref _stats.OpenConnections);
        }
    }
}
