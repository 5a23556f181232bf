using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Tests.Inbox;
using Xunit.Abstractions;

namespace Messenger.Tests.Outages;

/// <summary>
/// Inboxes whose storage fails answer at once (issue 14): the commands that waited for a recovery that failed (Akka drops
/// them) and a sender whose recipient cannot recover hear <c>unavailable</c> long before the saga's deadline, which is
/// set far beyond the specs' ask timeout here so that only an immediate answer passes.
/// </summary>
public sealed class InboxStorageFailureSpecs(ITestOutputHelper output) : FaultyInboxSpecBase(Slow, output)
{
    private static readonly SendSettings Slow = new()
    {
        Deadline = TimeSpan.FromMinutes(5),
        FirstRetry = TimeSpan.FromMilliseconds(100),
        MaxRetry = TimeSpan.FromMilliseconds(300),
        TickInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Commands_that_waited_for_a_recovery_that_failed_are_answered_unavailable()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        await StopAsync(a);
        await FailRecoveryOfAsync(a);

        var key = Guid.NewGuid();
        var send = Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "while a's storage is down", key));
        Assert.Equal((ErrorCodes.Unavailable, StorageUnavailable.Reason, key), (send.Code, send.Reason, send.ClientMessageId));
        var query = await Inboxes.Ask<object>(new UserQueries.GetConversations(a, 0, 10), Wait);
        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(query).Code);

        await Journal.OnRecovery.Pass();
        Assert.Equal(key, (await SentAsync(a, b, "while a's storage is down", key)).ClientMessageId);
    }

    [Fact]
    public async Task A_send_whose_recipient_cannot_recover_ends_unavailable_at_once_and_its_retry_is_stored_once()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        await StopAsync(b);
        await FailRecoveryOfAsync(b);

        var key = Guid.NewGuid();
        var answer = Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "hello", key));
        Assert.Equal((ErrorCodes.Unavailable, key), (answer.Code, answer.ClientMessageId));

        await Journal.OnRecovery.Pass();
        var sent = await SentAsync(a, b, "hello", key);
        Assert.Equal([sent.MessageId], (await InboxAfterAsync(b, 0)).Messages.Select(m => m.Message.MessageId));
        Assert.Equal([sent.MessageId], (await InboxAfterAsync(a, 0)).Messages.Select(m => m.Message.MessageId));
    }

    /// <summary>Replaying <paramref name="user"/>'s inbox fails as with a database that went away.</summary>
    private Task FailRecoveryOfAsync(string user) =>
        Journal.OnRecovery.SetInterceptorAsync(new FailRecovery("inbox-" + user));

    private sealed class FailRecovery(string persistenceId) : IJournalInterceptor
    {
        public Task InterceptAsync(IPersistentRepresentation message) =>
            message.PersistenceId == persistenceId ? throw new TestJournalFailureException("injected: the database went away") : Task.CompletedTask;
    }
}
