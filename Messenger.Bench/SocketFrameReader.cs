using System.Buffers;
using System.Net.WebSockets;

namespace Messenger.Bench;

/// <summary>Called with each whole text frame; the span is only valid during the call.</summary>
public delegate void TextFrameHandler(ReadOnlySpan<byte> utf8);

/// <summary>
/// The receive loop every bench device runs: reassembles fragmented frames in a pooled buffer (doubling it when a
/// frame outgrows it) and hands each whole text frame to the device. Binary frames are ignored.
/// </summary>
public static class SocketFrameReader
{
    /// <summary>Reads until the server closes or the socket dies; either way it returns normally.</summary>
    public static async Task ReadFramesAsync(WebSocket ws, TextFrameHandler handle)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        int count = 0;
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close) return;
                count += r.Count;
                if (!r.EndOfMessage)
                {
                    if (count == buffer.Length) Grow(ref buffer, count);
                    continue;
                }
                if (r.MessageType == WebSocketMessageType.Text) handle(buffer.AsSpan(0, count));
                count = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // The socket died: the caller treats it like a close.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Grow(ref byte[] buffer, int used)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }
}
