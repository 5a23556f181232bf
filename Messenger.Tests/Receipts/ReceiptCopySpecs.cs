using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.ReceiptCommands;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Tests.Receipts;

/// <summary>The peer's copy of a user's markers: acknowledged, sent again, and converging after a lost copy.</summary>
public sealed class ReceiptCopySpecs : ReceiptCoreSpecBase
{
    [Fact]
    public void A_lost_copy_converges_on_the_next_marker_move()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        var m2 = Deliver(alice, bob, "two");
        var conversation = Conversation(alice, bob);
        Run(bob, new MarkRead("bob", conversation, m1.Order)); // its copy is lost on the way to alice

        var copy = Copies(Run(bob, new MarkReceived("bob", SeqOf(bob, m2)))).Single();
        Run(alice, copy);

        Assert.Equal(m1.Order, alice.State.Receipts.Of("bob")!.PeerRead);
        Assert.Equal(m2.Order, alice.State.Receipts.Of("bob")!.PeerDelivered);
    }

    [Fact]
    public void A_lost_copy_converges_on_the_next_send_through_the_recipients_answer()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        var conversation = Conversation(alice, bob);
        Run(bob, new MarkRead("bob", conversation, m1.Order)); // its copy is lost on the way to alice
        Assert.Equal("", alice.State.Receipts.Of("bob")!.PeerRead);

        var seen = new List<InboxEffect>();
        Deliver(alice, bob, "two", seen);

        Assert.Equal(m1.Order, alice.State.Receipts.Of("bob")!.PeerRead);
        Assert.Contains(new DeviceReceipt(conversation, "bob", m1.Order, m1.Order), Pushed(seen));
    }

    [Fact]
    public void An_unacknowledged_copy_goes_again_on_the_tick_until_the_peer_acknowledges_it()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        var conversation = Conversation(alice, bob);
        var copy = Copies(Run(bob, new MarkRead("bob", conversation, m1.Order))).Single(); // lost on the way

        Assert.True(bob.NeedsTick);
        Assert.Empty(Copies(bob.Tick(Now + ReceiptCopies.FirstRetry / 2)));
        var again = Copies(bob.Tick(Now + ReceiptCopies.FirstRetry)).Single();
        Assert.Equal(copy, again);

        var atAlice = Run(alice, again, "inbox-bob");
        var ack = RepliesTo(atAlice, "inbox-bob").OfType<CopyPeerReceiptStored>().Single();
        Assert.Equal(new CopyPeerReceiptStored("bob", conversation, m1.Order, m1.Order), ack);
        // A copy alice already holds is acknowledged without a write.
        var duplicate = Run(alice, again, "inbox-bob");
        Assert.Empty(duplicate.OfType<InboxEffect.Persist>());
        Assert.Equal(ack, RepliesTo(duplicate, "inbox-bob").Single());

        bob.Handle(ack, "inbox-alice", Now);
        Assert.Empty(Copies(bob.Tick(Now + TimeSpan.FromHours(1))));
    }

    [Fact]
    public void A_copy_nobody_acknowledges_is_dropped_after_a_few_attempts()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        Run(bob, new MarkRead("bob", Conversation(alice, bob), m1.Order));

        var resent = 0;
        var at = Now;
        for (var i = 0; i < 20; i++)
        {
            at += TimeSpan.FromMinutes(5);
            var fx = bob.Tick(at);
            resent += Copies(fx).Count;
            foreach (var evt in fx.OfType<InboxEffect.Persist>().Select(p => p.Event)) bob.Persisted(evt, ++Journal, at);
        }
        Assert.Equal(ReceiptCopies.Attempts - 1, resent);
        Assert.False(bob.NeedsTick);
        Assert.True(bob.Idle);
    }

    [Fact]
    public void A_copy_for_a_conversation_the_sender_does_not_hold_yet_is_kept()
    {
        var alice = Opened("alice");
        var order = ConversationOrder.Format(1L << 40, Guid.NewGuid());
        var fx = Run(alice, new CopyPeerReceipt("alice", "dm:alice:bob", "bob", order, ""));
        Assert.Equal([new DeviceReceipt("dm:alice:bob", "bob", order, "")], Pushed(fx));
        Assert.Equal(order, alice.State.Receipts.Of("bob")!.PeerDelivered);
        // A copy naming a conversation alice is not in, or markers that are not orders, is dropped.
        Assert.Empty(Run(alice, new CopyPeerReceipt("alice", "dm:bob:carol", "bob", order, "")));
        Assert.Empty(Run(alice, new CopyPeerReceipt("alice", "dm:alice:bob", "bob", "not an order", "")));
    }
}
