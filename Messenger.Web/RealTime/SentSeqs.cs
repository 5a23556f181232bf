namespace Messenger.Web.RealTime;

/// <summary>
/// Which inbox positions this connection already sent, as a sparse bitmap (4,096 seqs a chunk): a live message that a
/// running sync also covers goes out once. One bit per message seen on the connection.
/// </summary>
public sealed class SentSeqs
{
    private const int ChunkBits = 4096;
    private readonly Dictionary<long, ulong[]> _chunks = new();

    /// <summary>Marks <paramref name="seq"/> as sent; false if it already was.</summary>
    public bool TryMark(long seq)
    {
        var chunkIndex = seq / ChunkBits;
        if (!_chunks.TryGetValue(chunkIndex, out var chunk))
            _chunks[chunkIndex] = chunk = new ulong[ChunkBits / 64];
        var bit = (int)(seq % ChunkBits);
        var mask = 1UL << (bit & 63);
        if ((chunk[bit >> 6] & mask) != 0) return false;
        chunk[bit >> 6] |= mask;
        return true;
    }

    public bool Contains(long seq)
    {
        if (seq < 0 || !_chunks.TryGetValue(seq / ChunkBits, out var chunk)) return false;
        var bit = (int)(seq % ChunkBits);
        return (chunk[bit >> 6] & (1UL << (bit & 63))) != 0;
    }
}
