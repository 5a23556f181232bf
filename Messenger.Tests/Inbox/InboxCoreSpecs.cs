using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Tests.Inbox;

/// <summary>
/// The inbox core driven directly, without an actor system: commands in, effects out, journal outcomes fed back by
/// hand. Reply targets are plain strings standing for the actors that asked.
/// </summary>
public sealed class InboxCoreSpecs
{
    private static readonly SendSettings Settings = new();
    private readonly DateTime _now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private long _journal;

    private InboxCore Opened(string user)
    {
        var core = new InboxCore(user, Settings);
        core.Recovered(_now);
        var opened = Persists<UserEvents.InboxOpened>(core.Handle(new OpenInbox(user), "edge", _now));
        core.Persisted(opened, ++_journal, _now);
        return core;
    }

    private static T Persists<T>(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.Persist>().Select(p => p.Event).OfType<T>().Single();

    private static IEnumerable<object> RepliesTo(IEnumerable<InboxEffect> fx, string to) =>
        fx.OfType<InboxEffect.Reply>().Where(r => Equals(r.To, to)).Select(r => r.Message);

    private static T Routed<T>(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.ToInbox>().Select(t => t.Message).OfType<T>().Single();

    /// <summary>The whole common path between two cores: two message writes, one batched confirmation.</summary>
    private ChatMessage Deliver(InboxCore a, InboxCore b, Guid key, string body, string client = "client")
    {
        var ask = Routed<StoreRecipientCopy>(a.Handle(new SendMessage(a.UserId, key, b.UserId, body), client, _now));
        var inB = Persists<UserEvents.MessageStored>(b.Handle(ask, "inbox-a", _now));
        var answer = RepliesTo(b.Persisted(inB, ++_journal, _now), "inbox-a").OfType<RecipientCopyStored>().Single();
        var inA = Persists<UserEvents.MessageStored>(a.Handle(answer, "inbox-b", _now));
        var done = a.Persisted(inA, ++_journal, _now);
        Assert.Equal(new MessageSent(inA.Message), RepliesTo(done, client).Single());
        b.Handle(RepliesTo(done, "inbox-b").OfType<SenderCopyStored>().Single(), "inbox-a", _now);
        return inA.Message;
    }

    [Fact]
    public void The_common_path_writes_each_copy_once_and_batches_the_confirmation()
    {
        var a = Opened("alice");
        var b = Opened("bob");
        var message = Deliver(a, b, Guid.NewGuid(), "hello");

        Assert.Equal(1, a.State.ConversationWith("bob")!.Index);
        Assert.Equal(message, b.State.FindRecent("alice", message.ClientMessageId)!.Message);
        Assert.False(b.Idle); // the confirmation waits for the tick's batch
        var flush = b.Tick(_now.AddMilliseconds(100));
        var confirmed = Persists<UserEvents.SenderCopiesConfirmed>(flush);
        Assert.Equal([message.MessageId], confirmed.MessageIds);
        b.Persisted(confirmed, ++_journal, _now);
        Assert.True(b.Idle);
        Assert.True(a.Idle);
    }

    [Fact]
    public void A_busy_inbox_writes_its_confirmations_at_most_once_per_flush_interval()
    {
        var a = Opened("alice");
        var b = Opened("bob");
        var first = Deliver(a, b, Guid.NewGuid(), "one");
        var flush = b.Tick(_now.AddMilliseconds(250));
        b.Persisted(Persists<UserEvents.SenderCopiesConfirmed>(flush), ++_journal, _now);

        // The next confirmations wait for the interval (one row a second, not one per 250 ms tick), then share a row.
        var second = Deliver(a, b, Guid.NewGuid(), "two");
        var third = Deliver(a, b, Guid.NewGuid(), "three");
        Assert.Empty(b.Tick(_now.AddMilliseconds(500)).OfType<InboxEffect.Persist>());
        Assert.Empty(b.Tick(_now.AddMilliseconds(1000)).OfType<InboxEffect.Persist>());
        var later = Persists<UserEvents.SenderCopiesConfirmed>(b.Tick(_now.AddMilliseconds(1250)));
        Assert.Equal([second.MessageId, third.MessageId], later.MessageIds);
        Assert.NotEqual(first.MessageId, second.MessageId);
    }

    [Fact]
    public void A_changed_body_under_a_key_whose_write_is_in_flight_is_invalid_and_the_same_body_joins()
    {
        var a = Opened("alice");
        var b = Opened("bob");
        var key = Guid.NewGuid();
        var ask = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", key, "bob", "one"), "c1", _now));
        var inB = Persists<UserEvents.MessageStored>(b.Handle(ask, "inbox-a", _now));
        var answer = RepliesTo(b.Persisted(inB, ++_journal, _now), "inbox-a").OfType<RecipientCopyStored>().Single();
        var inA = Persists<UserEvents.MessageStored>(a.Handle(answer, "inbox-b", _now)); // a's write in flight

        var changed = RepliesTo(a.Handle(new SendMessage("alice", key, "bob", "two"), "c2", _now), "c2").Single();
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(changed).Code);
        var otherPeer = RepliesTo(a.Handle(new SendMessage("alice", key, "carol", "one"), "c3", _now), "c3").Single();
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(otherPeer).Code);
        Assert.Empty(a.Handle(new SendMessage("alice", key, "bob", "one"), "c4", _now));

        var done = a.Persisted(inA, ++_journal, _now);
        Assert.Equal(new MessageSent(inA.Message), RepliesTo(done, "c1").Single());
        Assert.Equal(new MessageSent(inA.Message), RepliesTo(done, "c4").Single());
    }

    [Fact]
    public void A_changed_body_under_a_pending_key_is_invalid()
    {
        var a = Opened("alice");
        var key = Guid.NewGuid();
        a.Handle(new SendMessage("alice", key, "bob", "one"), "c1", _now);
        var changed = RepliesTo(a.Handle(new SendMessage("alice", key, "bob", "two"), "c2", _now), "c2").Single();
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(changed).Code);
        Assert.Empty(a.Handle(new SendMessage("alice", key, "bob", "one"), "c3", _now)); // joins the pending send
    }

    [Fact]
    public void The_recipients_answer_with_another_message_under_the_key_refuses_the_send_and_adopts_that_message()
    {
        var a = Opened("alice");
        var key = Guid.NewGuid();
        var ask = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", key, "bob", "second try"), "client", _now));
        // Bob already holds an earlier message under this key (its sender copy was lost with a failover).
        var earlier = ask.Message with { MessageId = Guid.NewGuid(), Body = "first try" };

        var fx = a.Handle(new RecipientCopyStored(earlier), "inbox-b", _now);
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(RepliesTo(fx, "client").Single()).Code);
        var adopted = Persists<UserEvents.MessageStored>(fx);
        Assert.Equal(earlier, adopted.Message);
        var done = a.Persisted(adopted, ++_journal, _now);
        Assert.Equal(new SenderCopyStored("bob", earlier.MessageId), RepliesTo(done, "inbox-b").Single());
        Assert.Equal(ErrorCodes.InvalidRequest,
            Assert.IsType<Rejected>(RepliesTo(a.Handle(new SendMessage("alice", key, "bob", "second try"), "c2", _now), "c2").Single()).Code);
    }

    [Fact]
    public void A_driven_sender_copy_that_lost_its_key_to_another_message_is_retracted_by_the_recipient()
    {
        var a = Opened("alice");
        var b = Opened("bob");
        var carol = Opened("carol");
        var key = Guid.NewGuid();
        // Bob stored M1 under the key, but alice's copy never got it; the client reused the key for carol.
        var m1 = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", key, "bob", "to bob"), "c1", _now)).Message;
        var inB = Persists<UserEvents.MessageStored>(b.Handle(new StoreRecipientCopy("bob", m1), "inbox-a-old", _now));
        b.Persisted(inB, ++_journal, _now);
        var a2 = new InboxCore("alice", Settings);
        a2.State.Restore(a.State.ToSnapshot());
        a2.Recovered(_now);
        var m2 = Deliver(a2, carol, key, "to carol");

        var drive = Routed<StoreSenderCopy>(b.Tick(_now + Settings.DriveSenderCopyAfter));
        Assert.Equal(m1, drive.Message);
        var retract = Assert.IsType<RetractRecipientCopy>(RepliesTo(a2.Handle(drive, "inbox-b", _now), "inbox-b").Single());
        Assert.Equal(new RetractRecipientCopy("bob", m1.MessageId), retract);

        var retracted = Persists<UserEvents.MessageRetracted>(b.Handle(retract, "inbox-a", _now));
        Assert.Equal(2, retracted.Seq);
        var pushed = b.Persisted(retracted, ++_journal, _now).OfType<InboxEffect.PushToDevices>().Single();
        Assert.Equal(new DeviceFrames.Deliver(new InboxMessage(m1, 2, Retracted: true)), pushed.Frame);

        Assert.Empty(b.State.AwaitingSenderCopy);
        var sync = b.State.TryInboxFromWindow(0, 10)!.Messages;
        Assert.Equal([new InboxMessage(m1, 1, true), new InboxMessage(m1, 2, true)], sync);
        var conversation = b.State.ConversationWith("alice")!;
        Assert.True(conversation.LastMessage!.Retracted);
        Assert.Equal(0, conversation.UnreadCount);
        Assert.Equal([new InboxMessage(m1, 1, true)], b.State.TryHistoryFromWindow(conversation, null, 10)!.Messages);
        // The key stays used: asking bob to store anything under it again is refused.
        var again = RepliesTo(b.Handle(new StoreRecipientCopy("bob", m2 with { To = "bob" }), "inbox-a", _now), "inbox-a").Single();
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(again).Code);
        Assert.True(b.Idle);
        Assert.Equal(m2, a2.State.FindRecent("alice", key)!.Message);
    }

    [Fact]
    public void A_driven_copy_that_reaches_a_pending_send_with_other_content_wins_and_the_pending_recipient_is_retracted()
    {
        var a = Opened("alice");
        var key = Guid.NewGuid();
        // The client reused the key for carol while bob's copy of an earlier message under it is still owed.
        var pending = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", key, "carol", "to carol"), "client", _now)).Message;
        var toBob = pending with { MessageId = Guid.NewGuid(), To = "bob", Body = "to bob", ConversationId = ConversationId.Direct("alice", "bob") };

        var fx = a.Handle(new StoreSenderCopy("alice", toBob), "inbox-b", _now);
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(RepliesTo(fx, "client").Single()).Code);
        var write = Persists<UserEvents.MessageStored>(fx);
        Assert.Equal(toBob, write.Message);
        // Carol stored the pending message meanwhile: her answer arrives while bob's message is being written...
        Assert.Empty(a.Handle(new RecipientCopyStored(pending), "inbox-c", _now));
        var done = a.Persisted(write, ++_journal, _now);
        Assert.Equal(new SenderCopyStored("bob", toBob.MessageId), RepliesTo(done, "inbox-b").Single());
        // ...and once it is durable, carol's copy is retracted.
        Assert.Equal(new RetractRecipientCopy("carol", pending.MessageId), RepliesTo(done, "inbox-c").Single());
        Assert.True(a.Idle);
    }

    [Fact]
    public void A_rejected_write_answers_unavailable_and_gives_back_its_seq_and_conversation_number()
    {
        var a = Opened("alice");
        var ask = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", Guid.NewGuid(), "bob", "x"), "client", _now));
        var write = Persists<UserEvents.MessageStored>(a.Handle(new RecipientCopyStored(ask.Message), "inbox-b", _now));
        Assert.Equal((1L, 1), (write.Seq, write.ConversationNumber!.Value));

        var fx = a.PersistRejected(write, _now);
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<Rejected>(RepliesTo(fx, "client").Single()).Code);
        Assert.True(a.Idle);

        var next = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", Guid.NewGuid(), "carol", "y"), "c2", _now));
        var nextWrite = Persists<UserEvents.MessageStored>(a.Handle(new RecipientCopyStored(next.Message), "inbox-c", _now));
        Assert.Equal((1L, 1), (nextWrite.Seq, nextWrite.ConversationNumber!.Value));
    }

    [Fact]
    public void A_seq_reserved_before_a_later_write_is_not_reused_and_numbers_travel_in_the_events()
    {
        var a = Opened("alice");
        var first = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", Guid.NewGuid(), "bob", "1"), "c1", _now));
        var second = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", Guid.NewGuid(), "carol", "2"), "c2", _now));
        var w1 = Persists<UserEvents.MessageStored>(a.Handle(new RecipientCopyStored(first.Message), "b", _now));
        var w2 = Persists<UserEvents.MessageStored>(a.Handle(new RecipientCopyStored(second.Message), "c", _now));
        a.PersistRejected(w1, _now);
        a.Persisted(w2, ++_journal, _now);
        Assert.Equal(2, a.State.ConversationWith("carol")!.Index);

        var third = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", Guid.NewGuid(), "dave", "3"), "c3", _now));
        var w3 = Persists<UserEvents.MessageStored>(a.Handle(new RecipientCopyStored(third.Message), "d", _now));
        Assert.Equal((3L, 3), (w3.Seq, w3.ConversationNumber!.Value));
    }

    [Fact]
    public void An_old_key_is_looked_up_in_storage_and_a_changed_body_is_invalid()
    {
        var a = Opened("alice");
        var key = Guid.NewGuid();
        var old = new ChatMessage(Guid.NewGuid(), key, ConversationId.Direct("alice", "bob"), "alice", "bob", "old", _now,
            ConversationOrder.Format(ConversationOrder.Next(0, _now), Guid.NewGuid()));
        a.State.Keys.Add("alice", key); // as if the message had left the window

        var fx = a.Handle(new SendMessage("alice", key, "bob", "new"), "c1", _now);
        var find = fx.OfType<InboxEffect.FindKey>().Single();
        Assert.Equal(new MessageKey("alice", key), find.Key);
        Assert.Null(find.ConversationId); // her own key: looked for in every conversation, a reuse towards carol counts too
        Assert.Empty(a.Handle(new SendMessage("alice", key, "bob", "old"), "c2", _now)); // parked behind the lookup

        var answered = a.KeyLookedUp(find.Key, new InboxMessage(old, 1), failed: false, _now);
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(RepliesTo(answered, "c1").Single()).Code);
        Assert.Equal(new MessageSent(old), RepliesTo(answered, "c2").Single());
    }

    [Fact]
    public void The_sender_copy_of_a_pending_send_is_written_without_asking_storage_again()
    {
        var a = Opened("alice");
        var b = Opened("bob");
        var key = Guid.NewGuid();
        var ask = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", key, "bob", "hi"), "client", _now));
        a.State.Keys.Add("alice", key); // from here on the key filter says "maybe" for the key
        var inB = Persists<UserEvents.MessageStored>(b.Handle(ask, "inbox-a", _now));
        var answer = RepliesTo(b.Persisted(inB, ++_journal, _now), "inbox-a").OfType<RecipientCopyStored>().Single();

        var fx = a.Handle(answer, "inbox-b", _now);
        Assert.Empty(fx.OfType<InboxEffect.FindKey>());
        Assert.Equal(ask.Message, Persists<UserEvents.MessageStored>(fx).Message);

        // Another message under the key (a recipient driving a copy the sender never wrote) still asks storage.
        var other = ask.Message with { MessageId = Guid.NewGuid(), Body = "other" };
        var a2 = Opened("alice");
        a2.State.Keys.Add("alice", key);
        Assert.Single(a2.Handle(new StoreSenderCopy("alice", other), "inbox-b", _now).OfType<InboxEffect.FindKey>());
    }

    [Fact]
    public void A_peers_old_key_is_looked_up_in_the_conversation_of_its_message_only()
    {
        var a = Opened("alice");
        var b = Opened("bob");
        Deliver(a, b, Guid.NewGuid(), "first"); // bob now has a conversation with alice
        var key = Guid.NewGuid();
        b.State.Keys.Add("alice", key); // as if a message under the key had left the window
        var ask = Routed<StoreRecipientCopy>(a.Handle(new SendMessage("alice", key, "bob", "again"), "c1", _now));

        var find = b.Handle(ask, "inbox-a", _now).OfType<InboxEffect.FindKey>().Single();
        Assert.Equal((new MessageKey("alice", key), "dm:alice:bob"), (find.Key, find.ConversationId));
    }

    [Fact]
    public void Sends_retry_on_the_tick_and_end_unavailable_at_the_deadline()
    {
        var a = Opened("alice");
        a.Handle(new SendMessage("alice", Guid.NewGuid(), "bob", "x"), "client", _now);
        Assert.True(a.NeedsTick);
        Assert.Single(a.Tick(_now + Settings.FirstRetry).OfType<InboxEffect.ToInbox>());
        var late = a.Tick(_now + Settings.Deadline);
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<Rejected>(RepliesTo(late, "client").Single()).Code);
        Assert.False(a.NeedsTick);
        Assert.True(a.Idle);
    }
}
