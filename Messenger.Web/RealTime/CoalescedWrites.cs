using System.Buffers;

namespace Messenger.Web.RealTime;

/// <summary>
/// The outgoing side of an upgraded connection, under the WebSocket protocol code: while the connection's writer
/// <see cref="Hold"/>s, the frames it sends are gathered in one pooled buffer and go to the transport as one write at
/// <see cref="ReleaseAsync"/> (a batch of frames costs one socket send and one Kestrel flush instead of one per frame).
/// Every other write (pongs, close frames, a revocation) passes straight through, in order after whatever is held.
/// An idle connection holds no buffer.
/// </summary>
public sealed class CoalescedWrites(Stream inner) : SocketStreamLayer(inner)
{
    private const int FirstBufferBytes = 16 * 1024;

    private readonly object _lock = new();
    private readonly SemaphoreSlim _transport = new(1, 1);
    private bool _holding;
    private byte[]? _buffer;
    private int _length;

    /// <summary>From now on writes gather until <see cref="ReleaseAsync"/>. The connection's writer only; never nested.</summary>
    public void Hold()
    {
        lock (_lock) _holding = true;
    }

    /// <summary>Writes what gathered since <see cref="Hold"/> to the transport, as one write.</summary>
    public async Task ReleaseAsync()
    {
        await _transport.WaitAsync();
        byte[]? held;
        int length;
        lock (_lock)
        {
            // Writes that start from here on pass through, and wait for this one's transport turn.
            _holding = false;
            (held, length, _buffer, _length) = (_buffer, _length, null, 0);
        }
        try
        {
            if (held is not null && length > 0) await Inner.WriteAsync(held.AsMemory(0, length));
        }
        finally
        {
            if (held is not null) ArrayPool<byte>.Shared.Return(held);
            _transport.Release();
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_holding)
            {
                Append(buffer.Span);
                return ValueTask.CompletedTask;
            }
        }
        return PassThroughAsync(buffer, cancellationToken);
    }

    private async ValueTask PassThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct)
    {
        await _transport.WaitAsync(ct);
        try
        {
            await Inner.WriteAsync(buffer, ct);
        }
        finally
        {
            _transport.Release();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_buffer is null || _buffer.Length - _length < bytes.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(FirstBufferBytes, Math.Max(_length + bytes.Length, (_buffer?.Length ?? 0) * 2)));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = grown;
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            if (_holding)
            {
                Append(buffer.AsSpan(offset, count));
                return;
            }
        }
        Inner.Write(buffer, offset, count);
    }
}
