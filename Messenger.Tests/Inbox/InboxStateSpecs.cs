using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Tests.Inbox;

/// <summary>The pure inbox state: bounded memory, idempotency keys beyond the window, snapshot round trip.</summary>
public sealed class InboxStateSpecs
{
    private const string Me = "me";
    private long _journalSeq;

    [Fact]
    public void Memory_stays_bounded_however_long_the_history()
    {
        var state = new InboxState(Me, recentWindow: 50);
        Store(state, 20_000, peers: 10);

        Assert.Equal(50, state.Recent.Count);
        Assert.Equal(20_000, state.Seq);
        Assert.Equal(10, state.Conversations.Count);
        // Old keys live only in the Bloom filter: about 1.3 bytes a key, not a full map entry.
        var filterBytes = state.Keys.Layers.Sum(l => l.Length);
        Assert.InRange(filterBytes, 20_000, 20_000 * 3);
        var snapshot = state.ToSnapshot();
        Assert.Equal(50, snapshot.Recent.Count);
        Assert.True(snapshot.Checkpoints.Count <= 20_000 / InboxState.CheckpointEvery + 1);
    }

    [Fact]
    public void Every_stored_key_is_remembered_by_the_filter_and_new_keys_are_mostly_not()
    {
        var state = new InboxState(Me, recentWindow: 10);
        var keys = Store(state, 5_000, peers: 3);
        Assert.All(keys, k => Assert.True(state.Keys.MightContain(k.From, k.Key)));

        var falsePositives = Enumerable.Range(0, 10_000).Count(_ => state.Keys.MightContain("peer0", Guid.NewGuid()));
        Assert.True(falsePositives < 300, $"{falsePositives} false positives in 10,000");
    }

    [Fact]
    public void A_snapshot_restores_the_same_state()
    {
        var state = new InboxState(Me, recentWindow: 20);
        var keys = Store(state, 300, peers: 4);
        state.Apply(new UserEvents.ReadMarkerMoved(ConversationId.Direct(Me, "peer1"), state.ConversationWith("peer1")!.LastMessage!.Message.Order), ++_journalSeq);

        var restored = new InboxState(Me, recentWindow: 20);
        restored.Restore(state.ToSnapshot());

        Assert.Equal(state.Seq, restored.Seq);
        Assert.Equal(state.Clock, restored.Clock);
        Assert.Equal(state.Recent, restored.Recent);
        Assert.Equal(
            state.ConversationsByActivity(0, 10).Select(c => (c.Peer, c.Index, c.LastMessage, c.UnreadCount, c.ReadMarker, c.MessageCount)),
            restored.ConversationsByActivity(0, 10).Select(c => (c.Peer, c.Index, c.LastMessage, c.UnreadCount, c.ReadMarker, c.MessageCount)));
        Assert.All(keys, k => Assert.True(restored.Keys.MightContain(k.From, k.Key)));
        Assert.Equal(state.JournalPositionAtOrBefore(290), restored.JournalPositionAtOrBefore(290));
    }

    [Fact]
    public void Events_without_a_conversation_number_replay_as_before_and_numbered_ones_keep_their_number()
    {
        var state = new InboxState(Me, recentWindow: 20);
        Message(state, "peer1", number: null);
        Message(state, "peer2", number: null);
        Message(state, "peer1", number: null);
        Message(state, "peer4", number: 4); // a rejected write left number 3 unused
        Message(state, "peer5", number: null); // an older writer would have counted; replay never reuses a number

        Assert.Equal(
            [("peer1", 1), ("peer2", 2), ("peer4", 4), ("peer5", 5)],
            state.Conversations.Select(c => (c.Peer, c.Index)).OrderBy(c => c.Index));
        Assert.Equal(5, state.MaxConversationNumber);
        var restored = new InboxState(Me, recentWindow: 20);
        restored.Restore(state.ToSnapshot());
        Assert.Equal(5, restored.MaxConversationNumber);
    }

    private void Message(InboxState state, string peer, int? number)
    {
        var id = Guid.NewGuid();
        var message = new ChatMessage(id, Guid.NewGuid(), ConversationId.Direct(Me, peer), peer, Me, "m", DateTime.UtcNow,
            ConversationOrder.Format(ConversationOrder.Next(state.Clock, DateTime.UtcNow), id));
        state.Apply(new UserEvents.MessageStored(message, state.Seq + 1, AwaitingSenderCopy: false, number), ++_journalSeq);
    }

    [Fact]
    public void Conversations_sort_by_when_their_last_message_arrived_not_by_the_senders_clock()
    {
        // x's clock runs a little ahead of y's (two messages in one millisecond); y's message still arrived last.
        var state = new InboxState(Me, recentWindow: 20);
        var wall = ConversationOrder.Next(0, DateTime.UtcNow);
        void Arrive(string from, long clock)
        {
            var id = Guid.NewGuid();
            var message = new ChatMessage(id, Guid.NewGuid(), ConversationId.Direct(Me, from), from, Me, "m", DateTime.UtcNow,
                ConversationOrder.Format(clock, id));
            state.Apply(new UserEvents.MessageStored(message, state.Seq + 1, AwaitingSenderCopy: false), ++_journalSeq);
        }
        Arrive("x", wall);
        Arrive("x", wall + 1);
        Arrive("y", wall);

        Assert.Equal(["y", "x"], state.ConversationsByActivity(0, 10).Select(c => c.Peer));
        var restored = new InboxState(Me, recentWindow: 20);
        restored.Restore(state.ToSnapshot());
        Assert.Equal(["y", "x"], restored.ConversationsByActivity(0, 10).Select(c => c.Peer));
    }

    [Fact]
    public void Orders_are_fixed_width_hex_and_the_clock_never_goes_back()
    {
        var now = DateTime.UtcNow;
        var first = ConversationOrder.Next(0, now);
        var second = ConversationOrder.Next(first, now.AddSeconds(-5));
        Assert.True(second > first);
        var a = ConversationOrder.Format(first, Guid.NewGuid());
        var b = ConversationOrder.Format(second, Guid.NewGuid());
        Assert.True(ConversationOrder.IsValid(a));
        Assert.True(string.CompareOrdinal(a, b) < 0);
        Assert.Equal(first, ConversationOrder.ClockOf(a));
        Assert.False(ConversationOrder.IsValid("zz"));
    }

    private List<(string From, Guid Key)> Store(InboxState state, int count, int peers)
    {
        var keys = new List<(string, Guid)>();
        var clock = ConversationOrder.Next(state.Clock, DateTime.UtcNow);
        for (var i = 0; i < count; i++)
        {
            var peer = $"peer{i % peers}";
            var incoming = i % 2 == 0;
            var (from, to) = incoming ? (peer, Me) : (Me, peer);
            var id = Guid.NewGuid();
            var key = Guid.NewGuid();
            clock++;
            var message = new ChatMessage(id, key, ConversationId.Direct(Me, peer), from, to, $"m{i}", DateTime.UtcNow,
                ConversationOrder.Format(clock, id));
            state.Apply(new UserEvents.MessageStored(message, state.Seq + 1, AwaitingSenderCopy: false), ++_journalSeq);
            keys.Add((from, key));
        }
        return keys;
    }
}

/// <summary>History from the window when messages arrived out of conversation order (concurrent sends, failover).</summary>
public sealed class InboxWindowOrderSpecs
{
    [Fact]
    public void The_window_never_answers_a_page_that_skips_an_evicted_older_message()
    {
        var state = new InboxState("me", recentWindow: 8);
        long journal = 0;
        void Store(long clock)
        {
            var id = Guid.NewGuid();
            var message = new ChatMessage(id, Guid.NewGuid(), ConversationId.Direct("me", "peer"), "peer", "me", $"c{clock}",
                DateTime.UtcNow, ConversationOrder.Format(clock, id));
            state.Apply(new UserEvents.MessageStored(message, state.Seq + 1, AwaitingSenderCopy: false), ++journal);
        }
        // Arrival order differs from conversation order: 100 arrives after 200..400.
        foreach (var clock in new long[] { 200, 300, 400, 100, 500, 501, 502, 503, 504, 505 }) Store(clock);
        var conversation = state.ConversationWith("peer")!;

        string? before = null;
        var seen = new List<long>();
        while (true)
        {
            var page = state.TryHistoryFromWindow(conversation, before, 1);
            if (page is null) break; // storage takes over from here
            seen.AddRange(page.Messages.Select(m => ConversationOrder.ClockOf(m.Message.Order)));
            before = page.NextBefore;
            if (before is null) break;
        }
        // Memory answers down to 400; the next older one in memory (100) would skip the evicted 300 and 200.
        Assert.Equal(new long[] { 505, 504, 503, 502, 501, 500, 400 }, seen);
        var restored = new InboxState("me", recentWindow: 8);
        restored.Restore(state.ToSnapshot());
        Assert.Equal(conversation.EvictedUpTo, restored.ConversationWith("peer")!.EvictedUpTo);
    }
}
