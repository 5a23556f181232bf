using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Messenger.Messages.Chat;

namespace Messenger.Web.RealTime;

/// <summary>Reads whole client frames off a socket, parsing each as it completes.</summary>
public static class SocketReader
{
    /// <summary>
    /// Waits for the socket (the graph runs before the upgrade is accepted), then reads whole frames. Waits with a
    /// zero-byte read so an idle connection holds no receive buffer. A frame over 32 KiB throws
    /// <see cref="FrameTooLargeException"/>.
    /// </summary>
    public static async IAsyncEnumerable<ClientFrame> ReadFrames(Task<WebSocket> accepted, [EnumeratorCancellation] CancellationToken ct)
    {
        var socket = await accepted;
        while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(Memory<byte>.Empty, ct);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                yield break;
            }
            if (result.MessageType == WebSocketMessageType.Close) yield break;
            if (result.EndOfMessage)
            {
                // An empty frame: nothing more to read for it.
                yield return result.MessageType == WebSocketMessageType.Text
                    ? ClientFrame.Parse(ReadOnlySpan<byte>.Empty)
                    : ClientFrame.Invalid("frames must be text");
                continue;
            }

            var rented = ArrayPool<byte>.Shared.Rent(Limits.MaxFrameBytes + 1);
            try
            {
                var length = 0;
                WebSocketMessageType type;
                while (true)
                {
                    if (length > Limits.MaxFrameBytes) throw new FrameTooLargeException();
                    ValueWebSocketReceiveResult part;
                    try
                    {
                        part = await socket.ReceiveAsync(rented.AsMemory(length, rented.Length - length), ct);
                    }
                    catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                    {
                        // Includes a text frame that is not UTF-8: the socket has closed it with 1007 already.
                        yield break;
                    }
                    if (part.MessageType == WebSocketMessageType.Close) yield break;
                    length += part.Count;
                    type = part.MessageType;
                    if (part.EndOfMessage) break;
                }
                if (length > Limits.MaxFrameBytes) throw new FrameTooLargeException();
                yield return type == WebSocketMessageType.Text
                    ? ClientFrame.Parse(rented.AsSpan(0, length))
                    : ClientFrame.Invalid("frames must be text");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

public sealed class FrameTooLargeException() : Exception("frame over 32 KiB");
