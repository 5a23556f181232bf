using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Messenger.Messages.Chat;

namespace Messenger.Web.RealTime;

/// <summary>
/// The one receiver of a socket, for its whole life: parses whole client frames into the connection's graph, and once
/// the graph is gone keeps reading (and dropping) until the client's close frame, so the close handshake completes.
/// Its receives are never cancelled: cancelling a WebSocket receive aborts the connection.
/// </summary>
public static class SocketReader
{
    public static async Task ReadAsync(WebSocket socket, ClientFrameKinds kinds, ChannelWriter<ClientFrame> frames, CancellationToken graphGone)
    {
        var discarding = false;
        try
        {
            while (true)
            {
                var (frame, closed) = await ReadFrameAsync(socket, kinds);
                if (closed) break;
                if (discarding) continue;
                if (frame is null)
                {
                    // Over 32 KiB: the graph fails with it (close 1009); the rest of that frame is dropped.
                    frames.TryComplete(new FrameTooLargeException());
                    discarding = true;
                    continue;
                }
                try
                {
                    await frames.WriteAsync(frame.Value, graphGone);
                }
                catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
                {
                    discarding = true;
                }
            }
        }
        catch (WebSocketException)
        {
            // The connection is gone (or broke the protocol, which the socket has answered with a close itself).
        }
        finally
        {
            frames.TryComplete();
        }
    }

    /// <summary>One whole frame; null when it is over 32 KiB; closed when the client's close frame came.</summary>
    private static async Task<(ClientFrame? Frame, bool Closed)> ReadFrameAsync(WebSocket socket, ClientFrameKinds kinds)
    {
        // A zero-byte read first, so an idle connection holds no receive buffer.
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
        if (first.MessageType == WebSocketMessageType.Close) return (null, true);
        if (first.EndOfMessage) return (Understand(kinds.NextWasText(), ReadOnlySpan<byte>.Empty), false);

        var rented = ArrayPool<byte>.Shared.Rent(Limits.MaxFrameBytes + 1);
        try
        {
            var length = 0;
            var tooLarge = false;
            while (true)
            {
                var part = await socket.ReceiveAsync(rented.AsMemory(tooLarge ? 0 : length, rented.Length - (tooLarge ? 0 : length)),
                    CancellationToken.None);
                if (part.MessageType == WebSocketMessageType.Close) return (null, true);
                if (!tooLarge) length += part.Count;
                if (length > Limits.MaxFrameBytes) tooLarge = true;
                if (!part.EndOfMessage) continue;
                var wasText = kinds.NextWasText();
                return tooLarge ? (null, false) : (Understand(wasText, rented.AsSpan(0, length)), false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Text frames arrive as binary (see <see cref="ClientFrameKinds"/>): UTF-8 is checked here.</summary>
    private static ClientFrame Understand(bool wasText, ReadOnlySpan<byte> payload)
    {
        if (!wasText) return ClientFrame.Invalid("frames must be text");
        if (!System.Text.Unicode.Utf8.IsValid(payload)) return ClientFrame.Invalid("frame is not valid UTF-8");
        return ClientFrame.Parse(payload);
    }
}

public sealed class FrameTooLargeException() : Exception("frame over 32 KiB");
