using System.Text;

namespace Messenger.Node.Inbox;

/// <summary>
/// A growing Bloom filter of every idempotency key (from, clientMessageId) this inbox ever stored.
/// Keys of recent messages are answered exactly from memory; for older ones this filter says "maybe",
/// and only then is storage asked. Memory stays about 1.5 bytes per key instead of a full key map.
/// Layers double in capacity; hashes are FNV-1a (stable across processes, unlike string.GetHashCode).
/// </summary>
public sealed class KeyFilter
{
    private const int HashCount = 8;
    private const int BitsPerKey = 12;
    private const int FirstLayerKeys = 128;

    private readonly List<(byte[] Bits, int Capacity, int Count)> _layers = new();

    public IReadOnlyList<byte[]> Layers => _layers.Select(l => l.Bits).ToArray();

    public static KeyFilter Restore(IReadOnlyList<byte[]> layers)
    {
        var filter = new KeyFilter();
        foreach (var bits in layers)
        {
            var capacity = bits.Length * 8 / BitsPerKey;
            filter._layers.Add((bits, capacity, capacity)); // a restored layer counts as full: new keys go to a new one
        }
        return filter;
    }

    public void Add(string from, Guid clientMessageId)
    {
        if (_layers.Count == 0 || _layers[^1].Count >= _layers[^1].Capacity)
        {
            var capacity = _layers.Count == 0 ? FirstLayerKeys : _layers[^1].Capacity * 2;
            _layers.Add((new byte[capacity * BitsPerKey / 8], capacity, 0));
        }
        var (bits, cap, count) = _layers[^1];
        var (h1, h2) = Hash(from, clientMessageId);
        var m = (ulong)bits.Length * 8;
        for (var i = 0; i < HashCount; i++)
        {
            var bit = (h1 + (ulong)i * h2) % m;
            bits[bit >> 3] |= (byte)(1 << (int)(bit & 7));
        }
        _layers[^1] = (bits, cap, count + 1);
    }

    public bool MightContain(string from, Guid clientMessageId)
    {
        var (h1, h2) = Hash(from, clientMessageId);
        foreach (var (bits, _, _) in _layers)
        {
            var m = (ulong)bits.Length * 8;
            var all = true;
            for (var i = 0; i < HashCount && all; i++)
            {
                var bit = (h1 + (ulong)i * h2) % m;
                all = (bits[bit >> 3] & (1 << (int)(bit & 7))) != 0;
            }
            if (all) return true;
        }
        return false;
    }

    private static (ulong, ulong) Hash(string from, Guid clientMessageId)
    {
        Span<byte> buffer = stackalloc byte[16 + 4 * 32];
        clientMessageId.TryWriteBytes(buffer);
        var n = 16 + Encoding.UTF8.GetBytes(from, buffer[16..]);
        ulong h1 = 14695981039346656037UL, h2 = 1099511628211UL * 31;
        for (var i = 0; i < n; i++)
        {
            h1 = (h1 ^ buffer[i]) * 1099511628211UL;
            h2 = (h2 ^ buffer[n - 1 - i]) * 0x100000001b3UL + 0x9E3779B97F4A7C15UL;
        }
        return (h1, h2 | 1);
    }
}
