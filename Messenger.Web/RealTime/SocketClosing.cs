using System.Net.WebSockets;

namespace Messenger.Web.RealTime;

/// <summary>
/// Ends a WebSocket with a complete close handshake: our close frame (unless the socket sent one itself, as it does
/// with 1007 for a text frame that is not UTF-8), then the client's, so the client reads the status instead of seeing
/// the connection drop (1006).
/// </summary>
public static class SocketClosing
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    public static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            var drain = new byte[256];
            while (socket.State == WebSocketState.CloseSent)
                await socket.ReceiveAsync(drain.AsMemory(), timeout.Token);
        }
        catch (Exception)
        {
            // Best effort: the peer may be gone already.
        }
    }
}
