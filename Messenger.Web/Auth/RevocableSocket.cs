using System.Net.WebSockets;
using System.Text;
using Messenger.Messages.Chat;

namespace Messenger.Web.Auth;

/// <summary>
/// A device's WebSocket that can be ended because its token stopped working: <see cref="Revoke"/> sends the
/// <c>error</c> frame <c>unauthorized</c> and closes with 1008, between (never inside) the frames the connection
/// writes; later writes are dropped. Sends are serialized here, so the connection's own writer and the revocation
/// never overlap on the underlying socket.
/// </summary>
public sealed class RevocableSocket(WebSocket inner) : WebSocket
{
    /// <summary>A client that does not answer the close handshake is cut off after this.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private static readonly byte[] UnauthorizedFrame = Encoding.UTF8.GetBytes(
        $$"""{"type":"error","code":"{{ErrorCodes.Unauthorized}}","message":"this session was signed out"}""");

    private readonly SemaphoreSlim _sending = new(1, 1);
    private volatile bool _revoked;

    /// <summary>Ends the session; <paramref name="stop"/> is cancelled if the client has not closed within <see cref="CloseGrace"/>.</summary>
    public void Revoke(CancellationTokenSource stop) => _ = RevokeAsync(stop);

    private async Task RevokeAsync(CancellationTokenSource stop)
    {
        if (!await _sending.WaitAsync(CloseGrace))
        {
            // A write to this client has been stuck that long (it stopped reading): no frame can get through.
            _revoked = true;
            inner.Abort();
            Stop(stop, TimeSpan.Zero);
            return;
        }
        try
        {
            if (_revoked) return;
            _revoked = true;
            if (inner.State != WebSocketState.Open) return;
            using var timeout = new CancellationTokenSource(CloseGrace);
            await inner.SendAsync(UnauthorizedFrame, WebSocketMessageType.Text, true, timeout.Token);
            await inner.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "signed out", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone already: nothing to tell it.
        }
        finally
        {
            _sending.Release();
            Stop(stop, CloseGrace);
        }
    }

    private static void Stop(CancellationTokenSource stop, TimeSpan after)
    {
        try
        {
            stop.CancelAfter(after);
        }
        catch (ObjectDisposedException)
        {
            // The connection has ended already.
        }
    }

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage,
        CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            if (!_revoked) await inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage,
        CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            if (!_revoked) await inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            if (!_revoked) await inner.CloseAsync(closeStatus, statusDescription, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;
    public override string? CloseStatusDescription => inner.CloseStatusDescription;
    public override WebSocketState State => inner.State;
    public override string? SubProtocol => inner.SubProtocol;
    public override void Abort() => inner.Abort();
    public override void Dispose() => inner.Dispose();
}
