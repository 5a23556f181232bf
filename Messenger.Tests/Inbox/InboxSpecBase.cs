using Akka.Actor;
using Akka.Configuration;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>
/// Entity specs drive real UserInbox actors (no cluster: <see cref="LocalInboxes"/> plays the shard region) against a
/// real journal. Subclasses choose the journal; the specs are the same for SQLite and PostgreSQL.
/// </summary>
public abstract class InboxSpecBase : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    protected InboxSpecBase(Config config, JournalDatabase database, SendSettings settings, ITestOutputHelper output)
        : base(config, output: output)
    {
        Database = database;
        Settings = settings;
        Archive = new InboxArchive(database, Sys);
        Inboxes = Sys.ActorOf(LocalInboxes.Props(Archive, settings), "inboxes");
    }

    protected JournalDatabase Database { get; }
    protected SendSettings Settings { get; }
    protected IInboxArchive Archive { get; }
    protected IActorRef Inboxes { get; }

    protected async Task<string> OpenAsync(string userId)
    {
        await Inboxes.Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(userId), Wait);
        return userId;
    }

    protected async Task<object> SendAsync(string from, string to, string body, Guid? clientMessageId = null) =>
        await Inboxes.Ask<object>(new UserCommands.SendMessage(from, clientMessageId ?? Guid.NewGuid(), to, body), Wait);

    protected async Task<ChatMessage> SentAsync(string from, string to, string body, Guid? clientMessageId = null)
    {
        var answer = await SendAsync(from, to, body, clientMessageId);
        return Assert.IsType<UserReplies.MessageSent>(answer).Message;
    }

    protected Task<UserReplies.HistoryPage> HistoryAsync(string user, string conversationId, string? before, int limit) =>
        Inboxes.Ask<UserReplies.HistoryPage>(new UserQueries.GetHistory(user, conversationId, before, limit), Wait);

    protected Task<UserReplies.InboxPage> InboxAfterAsync(string user, long after, int limit = 1000) =>
        Inboxes.Ask<UserReplies.InboxPage>(new UserQueries.GetInboxAfter(user, after, limit), Wait);

    protected Task<UserReplies.ConversationsPage> ConversationsAsync(string user, int offset = 0, int limit = 100) =>
        Inboxes.Ask<UserReplies.ConversationsPage>(new UserQueries.GetConversations(user, offset, limit), Wait);

    /// <summary>Stops a user's inbox actor; the next message recovers it from the journal.</summary>
    protected Task StopAsync(string user) => Inboxes.Ask<Akka.Done>(new LocalInboxes.Stop(user), Wait);

    /// <summary>Every message of a conversation, paging back with <paramref name="pageSize"/>; oldest first.</summary>
    protected async Task<List<InboxMessage>> FullHistoryAsync(string user, string conversationId, int pageSize)
    {
        var pages = new List<IReadOnlyList<InboxMessage>>();
        string? before = null;
        var guard = 0;
        do
        {
            var page = await HistoryAsync(user, conversationId, before, pageSize);
            pages.Add(page.Messages);
            before = page.NextBefore;
            Assert.True(++guard < 10_000, "history paging does not end");
        } while (before is not null);
        pages.Reverse();
        return pages.SelectMany(p => p).ToList();
    }

    protected static string User(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];
}
