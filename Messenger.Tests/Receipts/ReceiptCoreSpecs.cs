using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.ReceiptCommands;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Tests.Receipts;

/// <summary>The markers: what a received, a read and a send move, forward only, clamped, kept in snapshots.</summary>
public sealed class ReceiptCoreSpecs : ReceiptCoreSpecBase
{
    [Fact]
    public void A_received_moves_delivered_to_the_newest_peer_message_it_covers_and_both_users_hear_of_it()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        var m2 = Deliver(alice, bob, "two");
        Deliver(alice, bob, "three");
        var conversation = Conversation(alice, bob);

        var fx = Run(bob, new MarkReceived("bob", SeqOf(bob, m2)));

        Assert.Equal([new ReceiptEvents.DeliveredMove(conversation, m2.Order)],
            fx.OfType<InboxEffect.Persist>().Select(p => p.Event).OfType<ReceiptEvents.DeliveredMarkersMoved>().Single().Moves);
        Assert.IsType<ReceiptReplies.ReceivedMarked>(RepliesTo(fx, "edge").Single());
        Assert.Equal([new DeviceReceipt(conversation, "bob", m2.Order, "")], Pushed(fx));
        var copy = Copies(fx).Single();
        Assert.Equal(new CopyPeerReceipt("alice", conversation, "bob", m2.Order, ""), copy);

        var atAlice = Run(alice, copy, "inbox-bob");
        Assert.Equal([new DeviceReceipt(conversation, "bob", m2.Order, "")], Pushed(atAlice));
        Assert.Equal(m2.Order, alice.State.Receipts.Of("bob")!.PeerDelivered);
        Assert.True(string.CompareOrdinal(m1.Order, alice.State.Receipts.Of("bob")!.PeerDelivered) < 0);
    }

    [Fact]
    public void Markers_only_move_forward()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        var m2 = Deliver(alice, bob, "two");
        var conversation = Conversation(alice, bob);
        Run(bob, new MarkReceived("bob", SeqOf(bob, m2)));
        Run(bob, new MarkRead("bob", conversation, m2.Order));

        var back = Run(bob, new MarkReceived("bob", SeqOf(bob, m1)));
        Assert.Empty(back.OfType<InboxEffect.Persist>());
        Assert.IsType<ReceiptReplies.ReceivedMarked>(RepliesTo(back, "edge").Single());
        Assert.Empty(Pushed(back));
        var readBack = Run(bob, new MarkRead("bob", conversation, m1.Order));
        Assert.Empty(readBack.OfType<InboxEffect.Persist>());
        Assert.Equal(m2.Order, bob.State.Receipts.Of("alice")!.Delivered);
        Assert.Equal(m2.Order, bob.State.ConversationWith("alice")!.ReadMarker);

        Run(alice, new CopyPeerReceipt("alice", conversation, "bob", m2.Order, m2.Order));
        var older = Run(alice, new CopyPeerReceipt("alice", conversation, "bob", m1.Order, m1.Order));
        Assert.Empty(older.OfType<InboxEffect.Persist>());
        Assert.Equal(m2.Order, alice.State.Receipts.Of("bob")!.PeerRead);
        Assert.Equal(m2.Order, alice.State.Receipts.Of("bob")!.PeerDelivered);
    }

    [Fact]
    public void UpTo_past_the_newest_seq_is_clamped_and_a_negative_one_is_invalid()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        Deliver(alice, bob, "one");
        var newest = Deliver(alice, bob, "two");

        var fx = Run(bob, new MarkReceived("bob", long.MaxValue));
        Assert.Equal(newest.Order, Pushed(fx).Single().Delivered);

        var negative = Run(bob, new MarkReceived("bob", -1));
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(RepliesTo(negative, "edge").Single()).Code);
        Assert.Empty(negative.OfType<InboxEffect.Persist>());
    }

    [Fact]
    public void Read_moves_delivered_up_to_it_and_the_peer_copy_carries_both()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        Deliver(alice, bob, "one");
        var m2 = Deliver(alice, bob, "two");
        var conversation = Conversation(alice, bob);

        var fx = Run(bob, new MarkRead("bob", conversation, m2.Order));

        Assert.Equal(new ReadMarked(conversation, m2.Order), RepliesTo(fx, "edge").Single());
        Assert.Equal([new DeviceReceipt(conversation, "bob", m2.Order, m2.Order)], Pushed(fx));
        Assert.Equal(new CopyPeerReceipt("alice", conversation, "bob", m2.Order, m2.Order), Copies(fx).Single());
        // Nothing is left to deliver: a received moves nothing.
        Assert.Empty(Run(bob, new MarkReceived("bob", long.MaxValue)).OfType<InboxEffect.Persist>());
    }

    [Fact]
    public void Sending_moves_the_senders_own_markers_without_a_receipt_and_the_recipient_copy_follows_the_message()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var seen = new List<InboxEffect>();
        var m1 = Deliver(alice, bob, "one", seen);
        var reply = Deliver(bob, alice, "a reply", seen);

        Assert.Empty(Pushed(seen));
        Assert.Empty(Copies(seen));
        Assert.Equal(reply.Order, bob.State.Receipts.Of("alice")!.Delivered);
        Assert.Equal(reply.Order, bob.State.ConversationWith("alice")!.ReadMarker);
        // Alice's copy of bob's markers: he read and holds the conversation up to his own reply.
        Assert.Equal(reply.Order, alice.State.Receipts.Of("bob")!.PeerRead);
        Assert.Equal(reply.Order, alice.State.Receipts.Of("bob")!.PeerDelivered);
        Assert.True(string.CompareOrdinal(m1.Order, alice.State.Receipts.Of("bob")!.PeerRead) < 0);
    }

    [Fact]
    public void A_received_counts_only_messages_the_caller_did_not_send()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var fromAlice = Deliver(alice, bob, "one");
        Deliver(bob, alice, "reply"); // bob's own message: his markers are already past alice's message
        var own = Run(bob, new MarkReceived("bob", long.MaxValue));
        Assert.Empty(own.OfType<InboxEffect.Persist>());

        // Alice holds bob's reply (seq 2) above her own message (seq 1): only seq 2 can move her delivered marker.
        var onlyOwn = Run(alice, new MarkReceived("alice", SeqOf(alice, fromAlice)));
        Assert.Empty(onlyOwn.OfType<InboxEffect.Persist>());
        var covered = Run(alice, new MarkReceived("alice", 2));
        Assert.Single(Pushed(covered));
    }

    [Fact]
    public void Markers_and_what_waits_to_be_delivered_survive_a_snapshot()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        var m2 = Deliver(alice, bob, "two");
        Run(bob, new MarkReceived("bob", SeqOf(bob, m1)));
        Run(alice, new CopyPeerReceipt("alice", Conversation(alice, bob), "bob", m1.Order, ""));

        var bob2 = new InboxCore("bob", Settings);
        bob2.State.Restore(bob.State.ToSnapshot());
        bob2.Recovered(Now);
        var alice2 = new InboxCore("alice", Settings);
        alice2.State.Restore(alice.State.ToSnapshot());

        Assert.Equal(m1.Order, bob2.State.Receipts.Of("alice")!.Delivered);
        Assert.Equal(m1.Order, alice2.State.Receipts.Of("bob")!.PeerDelivered);
        Assert.Equal(m2.Order, Pushed(Run(bob2, new MarkReceived("bob", long.MaxValue))).Single().Delivered);
    }

    [Fact]
    public void A_snapshot_from_before_receipts_starts_delivered_at_the_read_marker()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var m1 = Deliver(alice, bob, "one");
        var m2 = Deliver(alice, bob, "two");
        Run(bob, new MarkRead("bob", Conversation(alice, bob), m1.Order));

        var bob2 = new InboxCore("bob", Settings);
        bob2.State.Restore(bob.State.ToSnapshot() with { Receipts = null });
        bob2.Recovered(Now);

        Assert.Equal(m1.Order, bob2.State.Receipts.Of("alice")!.Delivered);
        Assert.Equal(m2.Order, Pushed(Run(bob2, new MarkReceived("bob", long.MaxValue))).Single().Delivered);
    }

    [Fact]
    public void A_long_undelivered_backlog_folds_its_oldest_into_one_entry_that_counts_once_covered()
    {
        var receipts = new ConversationReceipts("alice", "dm:alice:bob");
        string Order(int n) => ConversationOrder.Format(n, Guid.Empty);
        var count = ConversationReceipts.UndeliveredKept + 10;
        for (var seq = 1; seq <= count; seq++) receipts.PeerMessageStored(seq, Order(seq));

        Assert.Equal(ConversationReceipts.UndeliveredKept, receipts.Undelivered.Count);
        Assert.Equal(10, receipts.OverflowSeq);
        Assert.Equal(Order(11), receipts.DeliveredTarget(11));
        Assert.Equal(Order(count), receipts.DeliveredTarget(long.MaxValue));
        // Below the folded entry's seq nothing is known for sure: the marker waits for a received that covers it.
        Assert.Null(receipts.DeliveredTarget(5));

        Assert.True(receipts.MoveDelivered(Order(count)));
        Assert.False(receipts.HasUndelivered);
        Assert.False(receipts.MoveDelivered(Order(1)));
    }
}
