using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>
/// One clientMessageId names exactly one message, on every path (issue 9, defect 2): a write in flight, a pending
/// send, the recipient's answer, the recipient driving the sender's copy, after a restart. A key is "reused" when a
/// client got <c>unavailable</c> and sent another recipient or body under it.
/// </summary>
public sealed class IdempotencySpecs : FaultyInboxSpecBase
{
    /// <summary>No retry before the recipient answers, and the recipient drives late: each spec meets the path it names.</summary>
    private static readonly SendSettings Paced = new()
    {
        Deadline = TimeSpan.FromSeconds(3),
        FirstRetry = TimeSpan.FromSeconds(1),
        MaxRetry = TimeSpan.FromSeconds(1),
        DriveSenderCopyAfter = TimeSpan.FromSeconds(4),
        TickInterval = TimeSpan.FromMilliseconds(50),
    };

    public IdempotencySpecs(ITestOutputHelper output) : base(Paced, output)
    {
    }

    private bool _rejecting;

    /// <summary>The sender's journal refuses its message writes while <see cref="_rejecting"/> holds.</summary>
    private Task RejectMessageWritesOf(string user) =>
        InterceptWritesAsync(p =>
        {
            if (p.PersistenceId == "inbox-" + user && IsStoredMessage(p) && Volatile.Read(ref _rejecting))
                throw new Akka.Persistence.TestKit.TestJournalRejectionException("injected rejection");
        });

    private static void AssertInvalid(object answer) =>
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<UserReplies.Rejected>(answer).Code);

    [Fact]
    public async Task A_write_in_flight_holds_back_sent_joins_the_same_body_and_refuses_a_changed_one()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var c = await OpenAsync(User("c"));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await InterceptWritesAsync(async p =>
        {
            if (p.PersistenceId != "inbox-" + a || !IsStoredMessage(p)) return;
            entered.TrySetResult();
            await gate.Task;
        });
        var key = Guid.NewGuid();

        var first = SendAsync(a, b, "one", key);
        await entered.Task.WaitAsync(Wait);
        AssertInvalid(await SendAsync(a, b, "two", key));
        AssertInvalid(await SendAsync(a, c, "one", key));
        var again = SendAsync(a, b, "one", key);
        Assert.False(first.IsCompleted, "sent before the sender's copy is durable");

        gate.SetResult();
        var sent = Assert.IsType<UserReplies.MessageSent>(await first).Message;
        Assert.Equal(sent, Assert.IsType<UserReplies.MessageSent>(await again).Message);
        await AssertOnceInBothCopies(a, b, sent);
        Assert.Empty((await InboxAfterAsync(c, 0)).Messages);
    }

    [Fact]
    public async Task A_pending_send_refuses_a_changed_body_and_joins_the_same_one()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.SetUnreachable(b, true), Wait);
        var key = Guid.NewGuid();

        var first = SendAsync(a, b, "one", key);
        AssertInvalid(await SendAsync(a, b, "two", key));
        var joined = SendAsync(a, b, "one", key);
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(await first).Code);
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(await joined).Code);

        await Inboxes.Ask<Akka.Done>(new LocalInboxes.SetUnreachable(b, false), Wait);
        await AssertOnceInBothCopies(a, b, await SentAsync(a, b, "one", key));
    }

    [Fact]
    public async Task The_recipients_answer_with_an_earlier_message_refuses_a_changed_body_and_completes_the_earlier_one()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        _rejecting = true;
        await RejectMessageWritesOf(a);
        var key = Guid.NewGuid();

        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "one", key)).Code);
        var earlier = (await InboxAfterAsync(b, 0)).Messages.Single().Message;
        _rejecting = false;

        AssertInvalid(await SendAsync(a, b, "two", key));
        await AssertOnceInBothCopies(a, b, earlier);
        Assert.Equal(earlier, await SentAsync(a, b, "one", key));
    }

    [Fact]
    public async Task After_a_restart_a_changed_body_is_refused_and_the_same_body_gets_the_stored_message()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        _rejecting = true;
        await RejectMessageWritesOf(a);
        var key = Guid.NewGuid();
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "one", key)).Code);
        var stored = (await InboxAfterAsync(b, 0)).Messages.Single().Message;

        await StopAsync(a);
        await StopAsync(b);
        _rejecting = false;

        AssertInvalid(await SendAsync(a, b, "changed", key));
        Assert.Equal(stored, await SentAsync(a, b, "one", key));
        await AssertOnceInBothCopies(a, b, stored);
    }

    [Fact]
    public async Task A_key_reused_for_another_recipient_retracts_the_first_recipients_copy_visibly()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var c = await OpenAsync(User("c"));
        var bDevice = CreateTestProbe();
        Inboxes.Tell(new UserCommands.AttachDevice(b, bDevice.Ref), bDevice.Ref);
        bDevice.ExpectMsg<UserReplies.DeviceAttached>(Wait);
        _rejecting = true;
        await RejectMessageWritesOf(a);
        var key = Guid.NewGuid();

        // b stores M1, a's copy is refused: the client hears unavailable and reuses the key for c.
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "to b", key)).Code);
        var m1 = bDevice.ExpectMsg<DeviceFrames.Deliver>(Wait).Message.Message;
        _rejecting = false;
        var m2 = await SentAsync(a, c, "to c", key);
        await AssertOnceInBothCopies(a, c, m2);

        // b drives a's copy of M1; a holds M2 under the key, so b's M1 is retracted at a new seq and pushed.
        var retraction = bDevice.ExpectMsg<DeviceFrames.Deliver>(Wait).Message;
        Assert.Equal(new InboxMessage(m1, 2, Retracted: true), retraction);
        Assert.Equal([new InboxMessage(m1, 1, true), new InboxMessage(m1, 2, true)], (await InboxAfterAsync(b, 0)).Messages);
        var summary = (await ConversationsAsync(b)).Conversations.Single();
        Assert.True(summary.LastMessage.Retracted);
        Assert.Equal(0, summary.UnreadCount);
        Assert.Equal([new InboxMessage(m1, 1, true)], (await HistoryAsync(b, m1.ConversationId, null, 10)).Messages);
        Assert.Equal([m2], (await InboxAfterAsync(a, 0)).Messages.Select(m => m.Message));

        // The retraction survives a restart, and the key stays refused for b.
        await StopAsync(b);
        Assert.Equal([new InboxMessage(m1, 1, true), new InboxMessage(m1, 2, true)], (await InboxAfterAsync(b, 0)).Messages);
        AssertInvalid(await SendAsync(a, b, "to b", key));
    }

    private async Task AssertOnceInBothCopies(string a, string b, ChatMessage message)
    {
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(message, (await InboxAfterAsync(a, 0)).Messages.Single(m => m.Message.ClientMessageId == message.ClientMessageId).Message);
            Assert.Equal(message, (await InboxAfterAsync(b, 0)).Messages.Single(m => m.Message.ClientMessageId == message.ClientMessageId).Message);
        }, Wait, TimeSpan.FromMilliseconds(100));
    }
}
