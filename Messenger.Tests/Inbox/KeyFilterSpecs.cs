using Messenger.Messages.Chat;
using Messenger.Messages.Serialization;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Tests.Inbox;

/// <summary>
/// The idempotency key filter across incarnations (issue 9, defect 1): each restore used to count every layer as
/// full, so every incarnation that stored a thousand keys added a layer twice the last one, until the size
/// overflowed and the inbox could not recover.
/// </summary>
public sealed class KeyFilterSpecs
{
    private const string Me = "me";

    [Fact]
    public void Restoring_and_refilling_30_times_keeps_the_snapshot_at_two_bytes_per_key()
    {
        var serializer = new MessengerSerializer(null!);
        var state = new InboxState(Me, recentWindow: 50);
        var keys = new List<(string From, Guid Key)>();
        for (var cycle = 0; cycle < 30; cycle++)
        {
            keys.AddRange(Store(state, 1_100));
            var snapshot = state.ToSnapshot();
            var bytes = serializer.ToBinary(snapshot);
            var restored = (UserSnapshots.InboxSnapshot)serializer.FromBinary(bytes, serializer.Manifest(snapshot));

            var filterBytes = restored.KeyFilterLayers.Sum(l => (long)l.Length);
            Assert.True(filterBytes <= 2L * keys.Count, $"cycle {cycle}: {filterBytes} filter bytes for {keys.Count} keys");
            Assert.Equal(keys.Count, restored.KeyFilterCounts!.Sum());
            // The whole snapshot: the filter plus the bounded window and summaries, not a growing multiple of the keys.
            Assert.True(bytes.Length <= 2L * keys.Count + 64 * 1024, $"cycle {cycle}: snapshot of {bytes.Length} bytes");

            state = new InboxState(Me, recentWindow: 50);
            state.Restore(restored);
        }
        Assert.Equal(33_000, state.Keys.KeyCount);
        Assert.All(keys, k => Assert.True(state.Keys.MightContain(k.From, k.Key)));
        var falsePositives = Enumerable.Range(0, 10_000).Count(_ => state.Keys.MightContain("peer0", Guid.NewGuid()));
        Assert.True(falsePositives < 500, $"{falsePositives} false positives in 10,000");
    }

    [Fact]
    public void A_snapshot_written_before_counts_were_kept_restores_with_estimated_counts_and_keeps_filling()
    {
        var filter = new KeyFilter();
        var keys = Enumerable.Range(0, 700).Select(i => ($"peer{i % 3}", Guid.NewGuid())).ToList();
        foreach (var (from, key) in keys) filter.Add(from, key);

        // Old snapshots carry layers only.
        var restored = KeyFilter.Restore(filter.Layers);
        Assert.Equal(filter.Layers.Count, restored.Layers.Count);
        Assert.InRange(restored.KeyCount, 700 * 0.9, 700 * 1.1);

        var before = restored.ByteCount;
        for (var i = 0; i < 50; i++) restored.Add("peer9", Guid.NewGuid());
        Assert.Equal(before, restored.ByteCount); // the partly filled last layer keeps filling
        Assert.All(keys, k => Assert.True(restored.MightContain(k.Item1, k.Item2)));
    }

    [Fact]
    public void A_full_old_layer_restores_as_full_and_growth_stays_proportional()
    {
        var filter = new KeyFilter();
        for (var i = 0; i < 100_000; i++) filter.Add("peer", Guid.NewGuid());
        Assert.True(filter.ByteCount <= 2L * 100_000, $"{filter.ByteCount} bytes for 100,000 keys");

        var restored = KeyFilter.Restore(filter.Layers, filter.Counts);
        Assert.Equal(filter.Counts, restored.Counts);
        for (var i = 0; i < 100_000; i++) restored.Add("peer", Guid.NewGuid());
        Assert.True(restored.ByteCount <= 2L * 200_000, $"{restored.ByteCount} bytes for 200,000 keys");
    }

    [Fact]
    public void Layers_inflated_by_the_old_restore_shrink_to_what_they_hold_and_keep_every_key()
    {
        // What 12 restores of the old filter left: each layer twice the last, each holding the ~90 keys of one life.
        var layers = new List<byte[]>();
        var keys = new List<(string, Guid)>();
        for (var life = 0; life < 12; life++)
        {
            var capacity = 128 << life;
            var filter = KeyFilter.Restore([new byte[capacity * 12 / 8]], [capacity - 100]); // room for this life's keys, not folded
            for (var i = 0; i < 90; i++)
            {
                var key = ($"peer{i % 5}", Guid.NewGuid());
                filter.Add(key.Item1, key.Item2);
                keys.Add(key);
            }
            layers.Add(filter.Layers.Single());
        }
        Assert.True(layers.Sum(l => (long)l.Length) > 700_000);

        var restored = KeyFilter.Restore(layers);
        Assert.True(restored.ByteCount <= 8L * keys.Count, $"{restored.ByteCount} bytes for {keys.Count} keys");
        Assert.All(keys, k => Assert.True(restored.MightContain(k.Item1, k.Item2)));
        var falsePositives = Enumerable.Range(0, 10_000).Count(_ => restored.MightContain("peer0", Guid.NewGuid()));
        Assert.True(falsePositives < 1_000, $"{falsePositives} false positives in 10,000");
    }

    private static List<(string, Guid)> Store(InboxState state, int count)
    {
        var keys = new List<(string, Guid)>();
        var clock = ConversationOrder.Next(state.Clock, DateTime.UtcNow);
        for (var i = 0; i < count; i++)
        {
            var peer = $"peer{i % 7}";
            var (from, to) = i % 2 == 0 ? (peer, Me) : (Me, peer);
            var id = Guid.NewGuid();
            var key = Guid.NewGuid();
            var message = new ChatMessage(id, key, ConversationId.Direct(Me, peer), from, to, "m", DateTime.UtcNow,
                ConversationOrder.Format(++clock, id));
            state.Apply(new UserEvents.MessageStored(message, state.Seq + 1, AwaitingSenderCopy: false), state.Seq + 1);
            keys.Add((from, key));
        }
        return keys;
    }
}
