using System.Collections.Concurrent;

namespace Messenger.Web.RealTime;

/// <summary>
/// Sits between the upgraded connection and the WebSocket protocol code, on the incoming side only, and hands every
/// client text frame over as a binary one, noting which messages were text.
/// <para>
/// Why: the protocol code checks that text frames are UTF-8 and, when one is not, sends 1007 and aborts the
/// connection at once, so the client usually reads a reset (1006) instead of the close. Receiving text as binary
/// lets the bridge check UTF-8 itself and answer <c>invalid_request</c> on an open connection, as it does for any
/// other malformed frame. Client frames are masked, so this only reads the 2–14 header bytes of each frame and
/// flips one opcode bit; payloads pass untouched.
/// </para>
/// </summary>
public sealed class ClientFrameKinds(Stream inner) : SocketStreamLayer(inner)
{
    private readonly ConcurrentQueue<bool> _wasText = new();
    private State _state = State.First;
    private int _needed;
    private long _payloadLeft;
    private bool _masked;

    private enum State { First, Second, Length, Mask, Payload }

    /// <summary>Whether the next client message (in order) was sent as text.</summary>
    public bool NextWasText() => _wasText.TryDequeue(out var text) && text;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        Scan(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = Inner.Read(buffer, offset, count);
        Scan(buffer.AsSpan(offset, read));
        return read;
    }

    private void Scan(Span<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case State.First:
                    var opcode = bytes[i] & 0x0F;
                    if (opcode == 1)
                    {
                        bytes[i] = (byte)((bytes[i] & 0xF0) | 2);
                        _wasText.Enqueue(true);
                    }
                    else if (opcode == 2) _wasText.Enqueue(false);
                    _state = State.Second;
                    i++;
                    break;
                case State.Second:
                    _masked = (bytes[i] & 0x80) != 0;
                    var length = bytes[i] & 0x7F;
                    i++;
                    if (length < 126)
                    {
                        _payloadLeft = length;
                        AfterLength();
                    }
                    else
                    {
                        _needed = length == 126 ? 2 : 8;
                        _payloadLeft = 0;
                        _state = State.Length;
                    }
                    break;
                case State.Length:
                    _payloadLeft = (_payloadLeft << 8) | bytes[i];
                    i++;
                    if (--_needed == 0) AfterLength();
                    break;
                case State.Mask:
                    i++;
                    if (--_needed == 0) AfterMask();
                    break;
                case State.Payload:
                    var skip = (int)Math.Min(_payloadLeft, bytes.Length - i);
                    i += skip;
                    _payloadLeft -= skip;
                    if (_payloadLeft == 0) _state = State.First;
                    break;
            }
        }
    }

    private void AfterLength()
    {
        if (_masked)
        {
            _needed = 4;
            _state = State.Mask;
        }
        else AfterMask();
    }

    private void AfterMask() => _state = _payloadLeft > 0 ? State.Payload : State.First;
}
