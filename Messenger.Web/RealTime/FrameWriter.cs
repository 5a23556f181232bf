using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace Messenger.Web.RealTime;

/// <summary>
/// Writes a batch of frames (whatever queued while the previous write was in flight) to one socket: all of them
/// serialised back to back into one reused buffer with one reused Utf8JsonWriter, then sent one WebSocket message each,
/// gathered by <see cref="CoalescedWrites"/> into one transport write for the whole batch.
/// An idle connection holds no buffer; a large one is dropped after use.
/// </summary>
public sealed class FrameWriter
{
    private const int KeepBufferBytes = 64 * 1024;

    private ArrayBufferWriter<byte>? _buffer;
    private Utf8JsonWriter? _json;

    public async Task WriteAsync(WebSocket socket, IReadOnlyList<ServerFrame> frames, CancellationToken ct, CoalescedWrites? writes = null)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        var json = _json ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        var ends = ArrayPool<int>.Shared.Rent(frames.Count);
        try
        {
            for (var i = 0; i < frames.Count; i++)
            {
                json.Reset(buffer);
                frames[i].Write(json);
                json.Flush();
                ends[i] = buffer.WrittenCount;
            }
            // Two or more frames go to the transport as one write (one send, one flush); the protocol code still frames each.
            var coalesce = writes is not null && frames.Count > 1;
            if (coalesce) writes!.Hold();
            try
            {
                var start = 0;
                for (var i = 0; i < frames.Count; i++)
                {
                    await socket.SendAsync(buffer.WrittenMemory[start..ends[i]], WebSocketMessageType.Text, true, ct);
                    start = ends[i];
                }
            }
            finally
            {
                if (coalesce) await writes!.ReleaseAsync();
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ends);
            if (buffer.Capacity > KeepBufferBytes)
            {
                _buffer = null;
                _json = null;
            }
        }
    }
}
