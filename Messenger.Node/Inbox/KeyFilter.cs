using System.Numerics;
using System.Text;

namespace Messenger.Node.Inbox;

/// <summary>
/// A growing Bloom filter of every idempotency key (from, clientMessageId) this inbox ever stored.
/// Keys of recent messages are answered exactly from memory; for older ones this filter says "maybe",
/// and only then is storage asked. Hashes are FNV-1a (stable across processes, unlike string.GetHashCode).
/// <para>
/// Memory is proportional to the keys held: each layer records how many keys it holds (kept in snapshots, so a
/// restored filter keeps filling its last layer instead of starting a new one), and a new layer holds a third
/// of the keys already held. Every layer but the last is full, so the filter never holds more than
/// 4/3 × keys × 12 bits = 2 bytes per key (above the first layer).
/// </para>
/// </summary>
public sealed class KeyFilter
{
    private const int HashCount = 8;
    private const int BitsPerKey = 12;
    public const int FirstLayerKeys = 1024;

    /// <summary>The largest layer (402 MB): a layer's bytes must fit one array.</summary>
    private const int MaxLayerKeys = 1 << 28;

    private readonly List<Layer> _layers = new();

    private sealed class Layer(byte[] bits, int capacity, int count)
    {
        public byte[] Bits { get; } = bits;
        public int Capacity { get; } = capacity;
        public int Count { get; set; } = count;
    }

    public IReadOnlyList<byte[]> Layers => _layers.Select(l => l.Bits).ToArray();

    /// <summary>How many keys each layer holds (persisted beside <see cref="Layers"/>).</summary>
    public IReadOnlyList<int> Counts => _layers.Select(l => l.Count).ToArray();

    public long KeyCount => _layers.Sum(l => (long)l.Count);

    public long ByteCount => _layers.Sum(l => (long)l.Bits.Length);

    /// <summary>
    /// Restores layers with their counts. Snapshots written before counts were kept have none: each layer's count
    /// is then estimated from how many of its bits are set (the standard Bloom cardinality estimate).
    /// </summary>
    public static KeyFilter Restore(IReadOnlyList<byte[]> layers, IReadOnlyList<int>? counts = null)
    {
        var filter = new KeyFilter();
        var hasCounts = counts is not null && counts.Count == layers.Count;
        for (var i = 0; i < layers.Count; i++)
        {
            var bits = layers[i];
            if (bits.Length == 0) continue;
            var capacity = checked((int)((long)bits.Length * 8 / BitsPerKey));
            filter._layers.Add(new Layer(bits, capacity, Math.Clamp(hasCounts ? counts![i] : Estimate(bits), 0, capacity)));
        }
        filter.ShrinkInflatedLayers();
        return filter;
    }

    public void Add(string from, Guid clientMessageId)
    {
        if (_layers.Count == 0 || _layers[^1].Count >= _layers[^1].Capacity) _layers.Add(NewLayer());
        var layer = _layers[^1];
        var (h1, h2) = Hash(from, clientMessageId);
        var bits = layer.Bits;
        var m = (ulong)bits.Length * 8;
        for (var i = 0; i < HashCount; i++)
        {
            var bit = (h1 + (ulong)i * h2) % m;
            bits[bit >> 3] |= (byte)(1 << (int)(bit & 7));
        }
        layer.Count++;
    }

    public bool MightContain(string from, Guid clientMessageId)
    {
        var (h1, h2) = Hash(from, clientMessageId);
        foreach (var layer in _layers)
        {
            var bits = layer.Bits;
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

    private Layer NewLayer()
    {
        // The first layer has a fixed size; later ones hold a third of what is held, so the free room of the last
        // layer never exceeds a third of the keys (capacity ≤ 4/3 × keys, 12 bits each: 2 bytes per key).
        var held = KeyCount;
        var capacity = held == 0 ? FirstLayerKeys : (int)Math.Min(MaxLayerKeys, Math.Max(256, held / 3 / 8 * 8));
        var bytes = checked((int)((long)capacity * BitsPerKey / 8));
        return new Layer(new byte[bytes], capacity, 0);
    }

    private const int MinFoldedBytes = 96;

    /// <summary>
    /// Layers inflated by the old restore (each one twice the last, nearly empty) shrink to what they hold: a full
    /// layer to twice its keys, the last one (still filling) no smaller than a new layer would be.
    /// </summary>
    private void ShrinkInflatedLayers()
    {
        var held = KeyCount;
        for (var i = 0; i < _layers.Count; i++)
        {
            var layer = _layers[i];
            long least = i == _layers.Count - 1 ? Math.Max(FirstLayerKeys, held / 3) : Math.Max(64, 2L * layer.Count);
            var bits = layer.Bits;
            var capacity = layer.Capacity;
            while (bits.Length % 2 == 0 && bits.Length >= 2 * MinFoldedBytes && capacity / 2 >= least && layer.Count <= capacity / 4)
            {
                bits = Fold(bits);
                capacity = checked((int)((long)bits.Length * 8 / BitsPerKey));
            }
            if (!ReferenceEquals(bits, layer.Bits)) _layers[i] = new Layer(bits, capacity, layer.Count);
        }
    }

    /// <summary>
    /// Halves a layer: bit positions are hash mod m, and (h mod m) mod m/2 = h mod m/2, so OR-ing the two halves gives
    /// exactly the layer those keys would have filled at half the size.
    /// </summary>
    private static byte[] Fold(byte[] bits)
    {
        var half = bits.Length / 2;
        var folded = new byte[half];
        for (var i = 0; i < half; i++) folded[i] = (byte)(bits[i] | bits[half + i]);
        return folded;
    }

    /// <summary>n ≈ -(m/k) ln(1 - X/m) for X set bits out of m.</summary>
    private static int Estimate(byte[] bits)
    {
        long set = 0;
        var span = bits.AsSpan();
        var i = 0;
        for (; i + 8 <= span.Length; i += 8) set += BitOperations.PopCount(BitConverter.ToUInt64(span.Slice(i, 8)));
        for (; i < span.Length; i++) set += BitOperations.PopCount(span[i]);
        double m = (double)bits.Length * 8;
        if (set >= m) return int.MaxValue;
        return (int)Math.Ceiling(-(m / HashCount) * Math.Log(1 - set / m));
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
