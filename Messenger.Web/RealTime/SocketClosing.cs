using System.Net.WebSockets;

namespace Messenger.Web.RealTime;

/// <summary>
/// Ends a WebSocket with a complete close handshake: our close frame (unless the socket sent one itself on a protocol
/// error), then the client's, read by the connection's reader, so the client reads the status instead of seeing the
/// connection drop (1006). Past the patience the socket is aborted.
/// </summary>
public static class SocketClosing
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <paramref name="patience"/> bounds the whole handshake; a device closed for being slow gets longer, as the frames
    /// already in its socket go out before the close frame can.
    /// </summary>
    public static async Task CloseAsync(WebSocket socket, Task reader, WebSocketCloseStatus status, string reason, TimeSpan patience,
        CancellationToken clientGone)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            await reader.WaitAsync(timeout.Token);
            if (socket.State == WebSocketState.CloseSent) await LingerAsync(timeout.Token, clientGone);
        }
        catch (Exception)
        {
            // The peer is gone or too slow to say goodbye.
            socket.Abort();
        }
    }

    /// <summary>
    /// The socket closed on its own (a protocol error) and cannot read the client's answer: the connection stays open a moment
    /// (until the client hangs up, at most the patience), since closing it with the client's bytes unread would reset
    /// it before the client has read our close frame.
    /// </summary>
    private static async Task LingerAsync(CancellationToken patience, CancellationToken clientGone)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(patience, clientGone);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
