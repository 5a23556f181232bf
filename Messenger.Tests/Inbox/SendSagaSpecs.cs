using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>
/// The send saga with a failure injected at each step (Akka.Persistence.TestKit journal). Every case ends with the
/// message in both copies or in neither, and the client hears either "sent" or a clean "unavailable".
/// </summary>
public sealed class SendSagaSpecs : FaultyInboxSpecBase
{
    private static readonly SendSettings FastSaga = new()
    {
        Deadline = TimeSpan.FromSeconds(1.5),
        FirstRetry = TimeSpan.FromMilliseconds(100),
        MaxRetry = TimeSpan.FromMilliseconds(400),
        DriveSenderCopyAfter = TimeSpan.FromMilliseconds(300),
    };

    public SendSagaSpecs(ITestOutputHelper output) : base(FastSaga, output)
    {
    }

    /// <summary>Fails journal writes of <paramref name="persistenceId"/>'s stored messages while <paramref name="failing"/> holds.</summary>
    private Task FailMessageWritesOf(string persistenceId, Func<bool> failing) =>
        InterceptWritesAsync(p =>
        {
            if (p.PersistenceId == persistenceId && IsStoredMessage(p) && failing())
                throw new InvalidOperationException("injected journal failure");
        });

    [Fact]
    public async Task Receiver_journal_failure_answers_unavailable_and_stores_nothing_then_a_retry_stores_both_copies()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var failing = true;
        await FailMessageWritesOf("inbox-" + b, () => failing);
        var key = Guid.NewGuid();

        var answer = Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "hello", key));
        Assert.Equal(ErrorCodes.Unavailable, answer.Code);
        Assert.Empty((await InboxAfterAsync(a, 0)).Messages);
        Assert.Empty((await InboxAfterAsync(b, 0)).Messages);

        failing = false;
        var sent = await SentAsync(a, b, "hello", key);
        await AssertBothCopiesOnce(a, b, sent);
    }

    [Fact]
    public async Task Receiver_down_answers_unavailable_within_the_deadline_and_no_copy_exists()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.SetUnreachable(b, true), Wait);
        var key = Guid.NewGuid();

        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "are you there", key)).Code);
        Assert.Empty((await InboxAfterAsync(a, 0)).Messages);

        await Inboxes.Ask<Akka.Done>(new LocalInboxes.SetUnreachable(b, false), Wait);
        Assert.Empty((await InboxAfterAsync(b, 0)).Messages);
        var sent = await SentAsync(a, b, "are you there", key);
        await AssertBothCopiesOnce(a, b, sent);
    }

    [Fact]
    public async Task Sender_journal_failure_after_the_receiver_stored_is_completed_by_the_receiver_without_a_client_retry()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var failuresLeft = 3;
        await FailMessageWritesOf("inbox-" + a, () => Interlocked.Decrement(ref failuresLeft) >= 0);

        var answer = await SendAsync(a, b, "half written", Guid.NewGuid());
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(answer).Code);

        // Nobody retries: the recipient drives the sender's copy until the sender's journal takes it.
        var inB = (await InboxAfterAsync(b, 0)).Messages.Single().Message;
        await AwaitAssertAsync(async () =>
            Assert.Equal(inB, (await InboxAfterAsync(a, 0)).Messages.Single().Message), Wait, TimeSpan.FromMilliseconds(200));
        await AssertBothCopiesOnce(a, b, inB);
    }

    [Fact]
    public async Task Sender_crash_between_the_two_writes_is_completed_by_the_receiver_and_a_retry_gets_the_same_message()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var crashed = 0;
        // The moment the recipient's copy is written, the sender's inbox (and its saga) is killed.
        await InterceptWritesAsync(async p =>
        {
            if (p.PersistenceId == "inbox-" + b && IsStoredMessage(p) && Interlocked.Exchange(ref crashed, 1) == 0)
                await Inboxes.Ask<Akka.Done>(new LocalInboxes.Crash(a), Wait);
        });
        var key = Guid.NewGuid();

        var answer = await SendAsync(a, b, "crash in the middle", key);
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(answer).Code);

        // The recipient's write completes right after the crash.
        ChatMessage inB = null!;
        await AwaitAssertAsync(async () => inB = (await InboxAfterAsync(b, 0)).Messages.Single().Message, Wait);
        await AwaitAssertAsync(async () =>
            Assert.Equal(inB, (await InboxAfterAsync(a, 0)).Messages.Single().Message), Wait, TimeSpan.FromMilliseconds(200));

        // The client's retry with the same key converges on the message the recipient holds.
        Assert.Equal(inB, await SentAsync(a, b, "crash in the middle", key));
        await AssertBothCopiesOnce(a, b, inB);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_key_store_one_message()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var key = Guid.NewGuid();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => SendAsync(a, b, "same", key)));
        var ids = answers.Select(x => Assert.IsType<UserReplies.MessageSent>(x).Message.MessageId).Distinct().ToList();
        Assert.Single(ids);
        await AssertBothCopiesOnce(a, b, ((UserReplies.MessageSent)answers[0]).Message);
    }

    [Fact]
    public async Task The_common_path_writes_two_message_events_per_message_and_batches_the_confirmations()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var stored = 0;
        var confirmations = new List<int>();
        await InterceptWritesAsync(p =>
        {
            if (!p.PersistenceId.EndsWith(a) && !p.PersistenceId.EndsWith(b)) return;
            switch (Payload(p))
            {
                case UserEvents.MessageStored: Interlocked.Increment(ref stored); break;
                case UserEvents.SenderCopiesConfirmed c: lock (confirmations) confirmations.Add(c.MessageIds.Count); break;
            }
        });
        var sends = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => SentAsync(a, b, $"m{i}")));

        await AwaitAssertAsync(() =>
        {
            lock (confirmations) Assert.Equal(40, confirmations.Sum());
        }, Wait, TimeSpan.FromMilliseconds(100));
        Assert.Equal(80, Volatile.Read(ref stored));
        lock (confirmations) Assert.True(confirmations.Count < 40, $"{confirmations.Count} confirmation writes for 40 messages");
        Assert.Equal(40, sends.Select(m => m.MessageId).Distinct().Count());
    }

    private async Task AssertBothCopiesOnce(string a, string b, ChatMessage message)
    {
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(message, (await InboxAfterAsync(a, 0)).Messages.Single(m => m.Message.ClientMessageId == message.ClientMessageId).Message);
            Assert.Equal(message, (await InboxAfterAsync(b, 0)).Messages.Single(m => m.Message.ClientMessageId == message.ClientMessageId).Message);
        }, Wait, TimeSpan.FromMilliseconds(200));
    }
}
