using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;
using static Messenger.Tests.Groups.Inbox.CoreDriver;

namespace Messenger.Tests.Groups.Inbox;

/// <summary>
/// A member's inbox core driven directly (no actor system) with the copies a group fans out: idempotent copies,
/// out-of-order arrival, membership events and unread counts, read markers, the roster, summaries, and the sender's
/// pending group send. Reply targets are strings standing for the actors that asked ("group" is the group's entity).
/// </summary>
public sealed class GroupInboxCoreSpecs
{
    private readonly DateTime _now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly GroupCopies _group;
    private readonly CoreDriver _driver;

    public GroupInboxCoreSpecs()
    {
        _group = new GroupCopies("grp:team", _now);
        _driver = new CoreDriver(_now);
    }

    private InboxCore Opened(string user) => _driver.Opened(user);

    /// <summary>Stores one copy as the group asks for it and returns what went back to the group.</summary>
    private List<object> Store(InboxCore core, ChatMessage message)
    {
        var fx = core.Handle(new StoreGroupCopy(core.UserId, message), "group", _now);
        var stored = fx.OfType<InboxEffect.Persist>().Select(p => p.Event).OfType<UserEvents.MessageStored>().SingleOrDefault();
        if (stored is null) return RepliesTo(fx, "group").ToList();
        Assert.False(stored.AwaitingSenderCopy);
        return RepliesTo(_driver.Persisted(core, stored), "group").ToList();
    }

    private ConversationSummary Summary(InboxCore core) =>
        Assert.IsType<ConversationsPage>(RepliesTo(core.Handle(new UserQueries.GetConversations(core.UserId, 0, 10), "edge", _now), "edge").Single())
            .Conversations.Single(c => c.ConversationId == _group.GroupId);

    [Fact]
    public void A_copy_is_stored_once_per_key_and_acknowledged_to_the_group_each_time_it_is_asked()
    {
        var bob = Opened("bob");
        var created = _group.Created("Team", "alice", "bob");

        Assert.Equal([new GroupCommands.GroupCopyStored(_group.GroupId, "bob", created.MessageId)], Store(bob, created));
        Assert.Equal([new GroupCommands.GroupCopyStored(_group.GroupId, "bob", created.MessageId)], Store(bob, created));

        Assert.Equal(1, bob.State.Seq);
        var held = bob.State.FindRecent("alice", created.ClientMessageId)!;
        Assert.Equal(created, held.Message);
        Assert.True(bob.Idle);
    }

    [Fact]
    public void A_copy_asked_again_while_its_write_is_in_flight_is_acknowledged_once_it_is_durable()
    {
        var bob = Opened("bob");
        var created = _group.Created("Team", "alice", "bob");
        var stored = Persists<UserEvents.MessageStored>(bob.Handle(new StoreGroupCopy("bob", created), "group", _now));
        Assert.Empty(bob.Handle(new StoreGroupCopy("bob", created), "group-again", _now));

        var fx = _driver.Persisted(bob, stored);
        Assert.Single(RepliesTo(fx, "group"));
        Assert.Single(RepliesTo(fx, "group-again"));
        Assert.Single(fx.OfType<InboxEffect.PushToDevices>(), p => p.Frame is DeviceFrames.Deliver);
    }

    [Fact]
    public void An_inbox_without_an_account_refuses_the_copy_as_not_found()
    {
        var ghost = new InboxCore("ghost", CoreDriver.Settings);
        ghost.Recovered(_now);
        var created = _group.Created("Team", "alice", "ghost");

        var answer = Assert.IsType<Rejected>(RepliesTo(ghost.Handle(new StoreGroupCopy("ghost", created), "group", _now), "group").Single());
        Assert.Equal(ErrorCodes.NotFound, answer.Code);
        Assert.Equal(0, ghost.State.Seq);
    }

    [Fact]
    public void A_copy_that_is_not_a_group_message_is_refused()
    {
        var bob = Opened("bob");
        var direct = new ChatMessage(Guid.NewGuid(), Guid.NewGuid(), "dm:alice:bob", "alice", "bob", "hi", _now, "000000000001-alice");

        var answer = Assert.IsType<Rejected>(RepliesTo(bob.Handle(new StoreGroupCopy("bob", direct), "group", _now), "group").Single());
        Assert.Equal(ErrorCodes.InvalidRequest, answer.Code);
        Assert.Equal(0, bob.State.Seq);
    }

    [Fact]
    public void Membership_events_are_not_unread_and_text_of_others_is()
    {
        var bob = Opened("bob");
        Store(bob, _group.Created("Team", "alice", "bob"));
        Store(bob, _group.Added("alice", "carol"));
        Assert.Equal(0, Summary(bob).UnreadCount);

        Store(bob, _group.Text("alice", "hi"));
        Store(bob, _group.Text("carol", "hey"));
        Store(bob, _group.Renamed("carol", "Team 2"));
        var summary = Summary(bob);
        Assert.Equal(2, summary.UnreadCount);
        Assert.Equal(MessageKinds.GroupRenamed, summary.LastMessage.Message.Kind);
        Assert.Equal(new GroupSummary("Team 2", 3, true), summary.Group);
        Assert.Null(summary.PeerDelivered);
        Assert.Null(summary.PeerRead);
    }

    [Fact]
    public void My_text_moves_my_read_marker_and_my_own_membership_action_does_not()
    {
        var alice = Opened("alice");
        Store(alice, _group.Created("Team", "alice", "bob"));
        var fromBob = _group.Text("bob", "hello");
        Store(alice, fromBob);
        Store(alice, _group.Added("alice", "carol"));
        var conversation = alice.State.ConversationWith(_group.GroupId)!;
        Assert.Equal("", conversation.ReadMarker);
        Assert.Equal(1, conversation.UnreadCount);

        var mine = _group.Text("alice", "welcome");
        Store(alice, mine);
        Assert.Equal(mine.Order, conversation.ReadMarker);
        Assert.Equal(0, conversation.UnreadCount);
    }

    [Fact]
    public void Mark_read_works_for_a_group_and_counts_only_text()
    {
        var bob = Opened("bob");
        Store(bob, _group.Created("Team", "alice", "bob"));
        var first = _group.Text("alice", "one");
        Store(bob, first);
        Store(bob, _group.Added("alice", "carol"));
        Store(bob, _group.Text("carol", "two"));
        Assert.Equal(2, Summary(bob).UnreadCount);

        var fx = bob.Handle(new MarkRead("bob", _group.GroupId, first.Order), "edge", _now);
        var moved = Persists<UserEvents.ReadMarkerMoved>(fx);
        var done = _driver.Persisted(bob, moved);
        Assert.Equal(new ReadMarked(_group.GroupId, first.Order), RepliesTo(done, "edge").Single());
        Assert.Equal(1, Summary(bob).UnreadCount);
    }

    [Fact]
    public void Copies_arriving_out_of_order_keep_the_roster_of_the_newest_membership_event()
    {
        var bob = Opened("bob");
        var created = _group.Created("Team", "alice", "bob");
        var hello = _group.Text("alice", "hello");
        var added = _group.Added("alice", "carol");
        var renamed = _group.Renamed("alice", "Renamed");

        Store(bob, hello); // overtook the group_created copy: a member with no roster yet
        Assert.Equal(new GroupSummary("", 0, true), Summary(bob).Group);
        Store(bob, renamed);
        Store(bob, created);
        Store(bob, added);

        var summary = Summary(bob);
        Assert.Equal(new GroupSummary("Renamed", 3, true), summary.Group);
        Assert.Equal(renamed.MessageId, summary.LastMessage.Message.MessageId);
        Assert.Equal(1, summary.UnreadCount);
        Assert.Equal(["alice", "carol"], summary.MemberReceipts!.Select(r => r.UserId));
    }

    [Fact]
    public void A_removed_member_keeps_the_copy_and_is_no_longer_a_member()
    {
        var bob = Opened("bob");
        Store(bob, _group.Created("Team", "alice", "bob", "carol"));
        Store(bob, _group.Text("carol", "bye soon"));
        var removed = _group.Removed("alice", "bob");
        Store(bob, removed);

        var summary = Summary(bob);
        Assert.Equal(new GroupSummary("Team", 2, false), summary.Group);
        Assert.Equal(MessageKinds.MemberRemoved, summary.LastMessage.Message.Kind);
        Assert.Equal("bob", summary.LastMessage.Message.Subject);
        var history = Assert.IsType<HistoryPage>(RepliesTo(
            bob.Handle(new UserQueries.GetHistory("bob", _group.GroupId, null, 50), "edge", _now), "edge").Single());
        Assert.Equal(3, history.Messages.Count);
        Assert.Null(PresenceRules.TypingTargets(bob.State, _group.GroupId));
        Assert.False(PresenceRules.CanSee(bob.State, "carol"));
    }

    [Fact]
    public void History_of_a_group_the_inbox_never_held_is_not_found()
    {
        var bob = Opened("bob");
        var answer = Assert.IsType<Rejected>(RepliesTo(
            bob.Handle(new UserQueries.GetHistory("bob", "grp:other", null, 50), "edge", _now), "edge").Single());
        Assert.Equal(ErrorCodes.NotFound, answer.Code);
    }

    [Fact]
    public void Co_members_are_visible_and_typing_goes_to_every_other_member()
    {
        var bob = Opened("bob");
        Store(bob, _group.Created("Team", "alice", "bob", "carol"));

        Assert.True(PresenceRules.CanSee(bob.State, "carol"));
        Assert.False(PresenceRules.CanSee(bob.State, "dave"));
        Assert.Equal(["carol", "bob", "alice"], PresenceRules.Visible(bob.State, ["carol", "dave", "bob", "carol", "alice"]));
        Assert.Equal(["alice", "carol"], PresenceRules.TypingTargets(bob.State, _group.GroupId));
        Assert.Null(PresenceRules.TypingTargets(bob.State, "grp:other"));
    }

    [Fact]
    public void Sync_lists_group_copies_in_inbox_order_with_their_kinds()
    {
        var bob = Opened("bob");
        var created = _group.Created("Team", "alice", "bob");
        var text = _group.Text("alice", "hi");
        Store(bob, text);
        Store(bob, created);

        var page = Assert.IsType<InboxPage>(RepliesTo(bob.Handle(new UserQueries.GetInboxAfter("bob", 0, 10), "edge", _now), "edge").Single());
        Assert.Equal([(text.MessageId, 1L), (created.MessageId, 2L)], page.Messages.Select(m => (m.Message.MessageId, m.Seq)));
        Assert.Equal(MessageKinds.GroupCreated, page.Messages[1].Message.Kind);
    }
}
