using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Tests.Serialization;
using static Messenger.Messages.Users.ReceiptCommands;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;
using static Messenger.Tests.Groups.Inbox.CoreDriver;

namespace Messenger.Tests.Groups.Inbox;

/// <summary>
/// Receipts in a group, on pure cores: each member's inbox holds every other member's delivered/read, a member's
/// moved markers are copied to every other member's inbox (and pushed there), membership events are no delivered
/// targets; and the inbox state of a group survives its snapshot.
/// </summary>
public sealed class GroupReceiptCoreSpecs
{
    private readonly DateTime _now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly GroupCopies _group;
    private readonly CoreDriver _driver;

    public GroupReceiptCoreSpecs()
    {
        _group = new GroupCopies("grp:team", _now);
        _driver = new CoreDriver(_now);
    }

    private void Store(ChatMessage message, params InboxCore[] members)
    {
        foreach (var core in members)
            _driver.Persisted(core, Persists<UserEvents.MessageStored>(core.Handle(new StoreGroupCopy(core.UserId, message), "group", _now)));
    }

    private ConversationSummary Summary(InboxCore core, string groupId) =>
        Assert.IsType<ConversationsPage>(RepliesTo(core.Handle(new UserQueries.GetConversations(core.UserId, 0, 10), "edge", _now), "edge").Single())
            .Conversations.Single(c => c.ConversationId == groupId);

    /// <summary>The copies a member's moved markers send, delivered to the other members' cores (acknowledged back).</summary>
    private void Deliver(IEnumerable<InboxEffect> fx, InboxCore from, params InboxCore[] others)
    {
        foreach (var copy in fx.OfType<InboxEffect.ToInbox>().Select(t => t.Message).OfType<CopyPeerReceipt>())
        {
            var to = others.Single(o => o.UserId == copy.UserId);
            var done = _driver.Persisted(to, Persists<ReceiptEvents.MemberReceiptsCopied>(to.Handle(copy, "inbox-" + from.UserId, _now)));
            Assert.Equal(new DeviceReceipt(copy.ConversationId, from.UserId, copy.Delivered, copy.Read),
                done.OfType<InboxEffect.PushToDevices>().Single().Frame);
            from.Handle(RepliesTo(done, "inbox-" + from.UserId).OfType<CopyPeerReceiptStored>().Single(), "inbox-" + to.UserId, _now);
        }
    }

    [Fact]
    public void A_received_moves_my_delivered_marker_and_every_other_member_learns_it()
    {
        var alice = _driver.Opened("alice");
        var bob = _driver.Opened("bob");
        var carol = _driver.Opened("carol");
        Store(_group.Created("Team", "alice", "bob", "carol"), alice, bob, carol);
        var hello = _group.Text("alice", "hello");
        Store(hello, alice, bob, carol);

        var moved = Persists<ReceiptEvents.DeliveredMarkersMoved>(bob.Handle(new MarkReceived("bob", 2), "device", _now));
        Assert.Equal([new ReceiptEvents.DeliveredMove(_group.GroupId, hello.Order)], moved.Moves);
        var fx = _driver.Persisted(bob, moved);
        Assert.Contains(fx.OfType<InboxEffect.PushToDevices>(), p => Equals(p.Frame, new DeviceReceipt(_group.GroupId, "bob", hello.Order, "")));
        Assert.Equal(["alice", "carol"], fx.OfType<InboxEffect.ToInbox>().Select(t => t.Message).OfType<CopyPeerReceipt>()
            .Select(c => c.UserId).Order());
        Deliver(fx, bob, alice, carol);

        Assert.Contains(new MemberReceipt("bob", hello.Order, null), Summary(alice, _group.GroupId).MemberReceipts!);
        Assert.Contains(new MemberReceipt("bob", hello.Order, null), Summary(carol, _group.GroupId).MemberReceipts!);
        Assert.True(bob.Idle); // both copies acknowledged
    }

    [Fact]
    public void Reading_in_a_group_is_copied_to_every_other_member()
    {
        var alice = _driver.Opened("alice");
        var bob = _driver.Opened("bob");
        var carol = _driver.Opened("carol");
        Store(_group.Created("Team", "alice", "bob", "carol"), alice, bob, carol);
        var hello = _group.Text("alice", "hello");
        Store(hello, alice, bob, carol);

        var moved = Persists<UserEvents.ReadMarkerMoved>(carol.Handle(new MarkRead("carol", _group.GroupId, hello.Order), "edge", _now));
        Deliver(_driver.Persisted(carol, moved), carol, alice, bob);

        Assert.Contains(new MemberReceipt("carol", hello.Order, hello.Order), Summary(alice, _group.GroupId).MemberReceipts!);
        Assert.Contains(new MemberReceipt("carol", hello.Order, hello.Order), Summary(bob, _group.GroupId).MemberReceipts!);
    }

    [Fact]
    public void A_members_text_says_they_read_up_to_it_and_membership_events_are_no_delivered_targets()
    {
        var bob = _driver.Opened("bob");
        Store(_group.Created("Team", "alice", "bob", "carol"), bob);
        Store(_group.Added("alice", "dave"), bob);

        Assert.Empty(bob.Handle(new MarkReceived("bob", 2), "device", _now).OfType<InboxEffect.Persist>());
        var fromCarol = _group.Text("carol", "hi");
        Store(fromCarol, bob);

        var receipts = Summary(bob, _group.GroupId).MemberReceipts!;
        Assert.Equal(["alice", "carol", "dave"], receipts.Select(r => r.UserId));
        Assert.Equal(new MemberReceipt("carol", fromCarol.Order, fromCarol.Order), receipts[1]);
        Assert.Equal(new MemberReceipt("alice", null, null), receipts[0]);
    }

    [Fact]
    public void Member_copies_arriving_while_one_is_written_ride_in_the_next_write()
    {
        var alice = _driver.Opened("alice");
        Store(_group.Created("Team", "alice", "bob", "carol"), alice);
        var m1 = _group.Text("alice", "one");
        var m2 = _group.Text("alice", "two");
        Store(m1, alice);
        Store(m2, alice);

        var first = Persists<ReceiptEvents.MemberReceiptsCopied>(
            alice.Handle(new CopyPeerReceipt("alice", _group.GroupId, "bob", m1.Order, ""), "inbox-bob", _now));
        Assert.Empty(alice.Handle(new CopyPeerReceipt("alice", _group.GroupId, "carol", m2.Order, m1.Order), "inbox-carol", _now));
        Assert.Empty(alice.Handle(new CopyPeerReceipt("alice", _group.GroupId, "bob", m2.Order, m2.Order), "inbox-bob-2", _now));

        var done = _driver.Persisted(alice, first);
        Assert.Equal(new CopyPeerReceiptStored("bob", _group.GroupId, m1.Order, "") { By = "alice" }, RepliesTo(done, "inbox-bob").Single());
        Assert.Empty(RepliesTo(done, "inbox-carol"));
        var second = Persists<ReceiptEvents.MemberReceiptsCopied>(done);
        Assert.Equal([("bob", m2.Order, m2.Order), ("carol", m2.Order, m1.Order)],
            second.Copies.Select(c => (c.Of!, c.Delivered, c.Read)).OrderBy(c => c.Item1));
        Assert.False(alice.Idle);

        done = _driver.Persisted(alice, second);
        Assert.Equal(new CopyPeerReceiptStored("carol", _group.GroupId, m2.Order, m1.Order) { By = "alice" }, RepliesTo(done, "inbox-carol").Single());
        Assert.Single(RepliesTo(done, "inbox-bob-2"));
        Assert.Equal(2, done.OfType<InboxEffect.PushToDevices>().Count());
        Assert.Equal([new MemberReceipt("bob", m2.Order, m2.Order), new MemberReceipt("carol", m2.Order, m1.Order)],
            Summary(alice, _group.GroupId).MemberReceipts);
        Assert.True(alice.Idle);
    }

    [Fact]
    public void A_refused_member_copy_write_answers_nobody_and_the_next_copy_is_written()
    {
        var alice = _driver.Opened("alice");
        Store(_group.Created("Team", "alice", "bob", "carol"), alice);
        var m1 = _group.Text("alice", "one");
        Store(m1, alice);

        var first = Persists<ReceiptEvents.MemberReceiptsCopied>(
            alice.Handle(new CopyPeerReceipt("alice", _group.GroupId, "bob", m1.Order, ""), "inbox-bob", _now));
        alice.Handle(new CopyPeerReceipt("alice", _group.GroupId, "carol", m1.Order, ""), "inbox-carol", _now);

        var refused = alice.PersistRejected(first, _now);
        Assert.Empty(RepliesTo(refused, "inbox-bob"));
        var next = Persists<ReceiptEvents.MemberReceiptsCopied>(refused);
        Assert.Equal(["carol"], next.Copies.Select(c => c.Of));
    }

    [Fact]
    public void A_group_conversation_and_its_member_markers_survive_the_snapshot()
    {
        var bob = _driver.Opened("bob");
        Store(_group.Created("Team", "alice", "bob", "carol"), bob);
        var fromAlice = _group.Text("alice", "one");
        Store(fromAlice, bob);
        Store(_group.Renamed("carol", "Team 2"), bob);
        _driver.Persisted(bob, new ReceiptEvents.MemberReceiptsCopied([new(_group.GroupId, fromAlice.Order, "") { Of = "carol" }]));
        _driver.Persisted(bob, Persists<ReceiptEvents.DeliveredMarkersMoved>(bob.Handle(new MarkReceived("bob", 3), "device", _now)));

        var snapshot = bob.State.ToSnapshot();
        var restored = new InboxState("bob", CoreDriver.Settings.RecentWindow);
        restored.Restore(snapshot);

        Assert.Equal(DeepForm.Of(snapshot), DeepForm.Of(restored.ToSnapshot()));
        var before = GroupSummaries.Of(bob.State, bob.State.ConversationWith(_group.GroupId)!);
        var after = GroupSummaries.Of(restored, restored.ConversationWith(_group.GroupId)!);
        Assert.Equal(DeepForm.Of(before), DeepForm.Of(after));
        Assert.Equal(new GroupSummary("Team 2", 3, true), after.Group);
        Assert.Equal([new MemberReceipt("alice", fromAlice.Order, fromAlice.Order), new MemberReceipt("carol", fromAlice.Order, null)],
            after.MemberReceipts);
        Assert.Equal(1, after.UnreadCount);
        Assert.Equal(fromAlice.Order, restored.Receipts.Of(_group.GroupId)!.Delivered);
    }
}
