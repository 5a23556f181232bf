using System.Net.WebSockets;

namespace Messenger.Web.RealTime;

/// <summary>
/// Ends a WebSocket with a complete close handshake: our close frame (unless the socket sent one itself, as it does
/// with 1007 for a text frame that is not UTF-8), then the client's, read by the connection's reader, so the client
/// reads the status instead of seeing the connection drop (1006). Past the patience the socket is aborted.
/// </summary>
public static class SocketClosing
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <paramref name="patience"/> bounds the whole handshake; a device closed for being slow gets longer, as the frames
    /// already in its socket go out before the close frame can.
    /// </summary>
    public static async Task CloseAsync(WebSocket socket, Task reader, WebSocketCloseStatus status, string reason, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            await reader.WaitAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The peer is gone or too slow to say goodbye.
            socket.Abort();
        }
    }
}
