using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Node.Groups;
using Messenger.Node.Inbox;
using static Messenger.Messages.Groups.GroupCommands;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Node.Groups.GroupDecision;

namespace Messenger.Tests.Groups.Entity;

/// <summary>Sends to a group: who may post, the stamp (order, recipients, the sender last) and the key's idempotency.</summary>
public sealed partial class GroupRulesSpecs
{
    [Fact]
    public void A_text_message_goes_to_every_other_member_first_and_its_sender_last()
    {
        Created("bob", "cid");
        var key = Guid.NewGuid();

        var stamped = Change(Post("bob", key, "hi")).Single();

        Assert.Equal(["ann", "cid", "bob"], stamped.Recipients);
        var m = stamped.Message;
        Assert.Equal((key, "bob", G, G, "hi", (string?)null), (m.ClientMessageId, m.From, m.To, m.ConversationId, m.Body, m.Kind));
    }

    [Fact]
    public void Orders_run_past_the_group_clock_and_past_the_senders_clock()
    {
        Created("bob");
        var created = ConversationOrder.ClockOf(Change(Post("ann", Guid.NewGuid(), "one")).Single().Message.Order);
        var senderClock = created + (1L << 40);

        var next = Change(Post("bob", Guid.NewGuid(), "two", senderClock)).Single().Message;
        var after = Change(new RenameGroup(G, "ann", "Later")).Single().Message;

        Assert.True(ConversationOrder.ClockOf(next.Order) > senderClock);
        Assert.True(string.CompareOrdinal(after.Order, next.Order) > 0);
    }

    [Fact]
    public void A_key_in_flight_is_known_with_the_same_content_and_refused_with_other_content()
    {
        Created("bob");
        var key = Guid.NewGuid();
        var stamped = Change(Post("bob", key, "hi")).Single();

        Assert.Equal(stamped.Message, Assert.IsType<Known>(Decide(Post("bob", key, "hi"))).InFlight);
        Refused(Post("bob", key, "other"), ErrorCodes.InvalidRequest);
        Assert.IsType<Changed>(Decide(Post("ann", key, "same key, other sender")));
    }

    [Fact]
    public void A_message_stamped_before_its_sender_left_is_still_theirs_on_a_retry()
    {
        Created("bob", "cid");
        var key = Guid.NewGuid();
        Change(Post("bob", key, "hi"));
        Change(new RemoveMember(G, "bob", "bob"));

        Assert.IsType<Known>(Decide(Post("bob", key, "hi")));
        Refused(Post("bob", Guid.NewGuid(), "new"), ErrorCodes.Forbidden);
    }

    [Fact]
    public void A_finished_key_stays_known_within_the_window_so_a_late_duplicate_is_not_stamped_again()
    {
        Created("bob");
        var key = Guid.NewGuid();
        var stamped = Change(Post("bob", key, "hi")).Single();
        _group.Apply(new FanOutsDone([stamped.Message.MessageId]));

        Assert.Null(Assert.IsType<Known>(Decide(Post("bob", key, "hi"))).InFlight);
        for (var i = 0; i < GroupState.RecentKeyWindow; i++)
            _group.Apply(new FanOutsDone([Change(Post("ann", Guid.NewGuid(), "fill")).Single().Message.MessageId]));
        Assert.IsType<Changed>(Decide(Post("bob", key, "hi")));
    }

    [Fact]
    public void The_state_survives_a_snapshot()
    {
        Created("bob", "cid");
        var inFlight = Change(Post("bob", Guid.NewGuid(), "hi")).Single();
        Change(new RemoveMember(G, "ann", "ann"));

        var restored = new GroupState(G);
        restored.Restore(_group.ToSnapshot());

        Assert.Equal(_group.View(), restored.View());
        Assert.Equal(_group.ToSnapshot() with { Unfinished = [], RecentKeys = [], Members = [] },
            restored.ToSnapshot() with { Unfinished = [], RecentKeys = [], Members = [] });
        Assert.Equal(_group.Unfinished.Select(u => u.Message.MessageId).Order(), restored.Unfinished.Select(u => u.Message.MessageId).Order());
        Assert.True(restored.TryFindKey(new MessageKey("bob", inFlight.Message.ClientMessageId), out var found));
        Assert.Equal(inFlight.Message, found);
    }

    private PostMessage Post(string from, Guid key, string body, long senderClock = 0) =>
        new(G, from, key, body, _now, senderClock);
}
