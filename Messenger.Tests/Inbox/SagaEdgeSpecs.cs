using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>
/// Saga edges the failure specs leave out (issue 9): the recipient's write that commits only after the sender's
/// deadline, and the recipient's answer lost on its way back. Both end with the message once in each copy.
/// </summary>
public sealed class SagaEdgeSpecs : FaultyInboxSpecBase
{
    private static readonly SendSettings FastSaga = new()
    {
        Deadline = TimeSpan.FromSeconds(1.5),
        FirstRetry = TimeSpan.FromMilliseconds(100),
        MaxRetry = TimeSpan.FromMilliseconds(400),
        // Past the deadline: a send answered `sent` within it was healed by the sender's retry, not by the recipient
        // driving the sender's copy.
        DriveSenderCopyAfter = TimeSpan.FromSeconds(3),
        TickInterval = TimeSpan.FromMilliseconds(50),
    };

    public SagaEdgeSpecs(ITestOutputHelper output) : base(FastSaga, output)
    {
    }

    [Fact]
    public async Task A_recipient_write_committing_after_the_deadline_ends_in_both_copies_without_a_retry_and_a_retry_gets_sent()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await InterceptWritesAsync(async p =>
        {
            if (p.PersistenceId != "inbox-" + b || !IsStoredMessage(p)) return;
            held.TrySetResult();
            await release.Task;
        });
        var key = Guid.NewGuid();

        var answer = await SendAsync(a, b, "late but stored", key);
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(answer).Code);
        Assert.True(held.Task.IsCompleted, "the recipient's write never reached the journal");
        Assert.Empty((await InboxAfterAsync(a, 0)).Messages);

        release.SetResult();

        // Nobody retries: the recipient's late copy reaches the sender's inbox on its own.
        ChatMessage inB = null!;
        await AwaitAssertAsync(async () => inB = (await InboxAfterAsync(b, 0)).Messages.Single().Message, Wait);
        await AssertBothCopiesOnce(a, b, inB);
        Assert.Equal(key, inB.ClientMessageId);

        var retried = await SentAsync(a, b, "late but stored", key);
        Assert.Equal(inB, retried);
        await AssertBothCopiesOnce(a, b, inB);
    }

    [Fact]
    public async Task A_lost_recipient_answer_is_healed_by_the_senders_retry_with_the_copy_the_recipient_holds()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var dropped = CreateTestProbe();
        Sys.EventStream.Subscribe(dropped, typeof(LocalInboxes.RecipientAnswerDropped));
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.DropNextRecipientAnswer(a), Wait);

        var sent = await SentAsync(a, b, "did you get it");

        var lost = dropped.ExpectMsg<LocalInboxes.RecipientAnswerDropped>(Wait).Answer.Message;
        Assert.Equal(lost, sent);
        await AssertBothCopiesOnce(a, b, sent);
    }

    /// <summary>Each inbox holds exactly one message, and it is <paramref name="message"/>.</summary>
    private async Task AssertBothCopiesOnce(string a, string b, ChatMessage message)
    {
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(message, (await InboxAfterAsync(a, 0)).Messages.Single().Message);
            Assert.Equal(message, (await InboxAfterAsync(b, 0)).Messages.Single().Message);
        }, Wait, TimeSpan.FromMilliseconds(200));
    }
}
