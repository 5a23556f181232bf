using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Groups;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;
using static Messenger.Messages.Groups.GroupCommands;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// Journal failures injected under the group saga (Akka.Persistence.TestKit's journal, whose writes can be failed per
/// persistence id): a member's journal failing, the group's own journal failing. Every case ends with the message in
/// every member's copy once, and the callers hear either the answer or a clean <c>unavailable</c>.
/// </summary>
public sealed class GroupJournalFailureSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly IActorRef _regions;

    public GroupJournalFailureSpecs(ITestOutputHelper output) : base(InboxConfigs.FaultyJournal(), output: output)
    {
        var archive = new InboxArchive(new JournalDatabase(JournalKind.Sqlite, "Data Source=:memory:"), Sys);
        _regions = Sys.ActorOf(LocalGroupChats.Props(archive,
            new SendSettings { Deadline = TimeSpan.FromSeconds(2), FirstRetry = TimeSpan.FromMilliseconds(100), MaxRetry = TimeSpan.FromMilliseconds(400) },
            new GroupSettings { FirstRetry = TimeSpan.FromMilliseconds(100), MaxRetry = TimeSpan.FromMilliseconds(400), TickInterval = TimeSpan.FromMilliseconds(50) }),
            "regions");
    }

    private ITestJournal Journal => TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    /// <summary>Fails the writes of <paramref name="persistenceId"/>'s events of type <typeparamref name="T"/> while <paramref name="failing"/> holds.</summary>
    private Task FailWrites<T>(string persistenceId, Func<bool> failing) =>
        Journal.OnWrite.SetInterceptorAsync(new Failing(p => p.PersistenceId == persistenceId && p.Payload is T && failing()));

    private sealed class Failing(Func<IPersistentRepresentation, bool> fails) : IJournalInterceptor
    {
        public Task InterceptAsync(IPersistentRepresentation message) =>
            fails(message) ? throw new InvalidOperationException("injected journal failure") : Task.CompletedTask;
    }

    private async Task<string[]> UsersAsync(params string[] prefixes)
    {
        var users = prefixes.Select(p => $"{p}{Guid.NewGuid():N}"[..12]).ToArray();
        foreach (var user in users) await _regions.Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(user), Wait);
        return users;
    }

    private Task<object> AskAsync(object command) => _regions.Ask<object>(command, Wait);

    private async Task<List<ChatMessage>> CopyAsync(string user, string groupId) =>
        (await _regions.Ask<UserReplies.InboxPage>(new UserQueries.GetInboxAfter(user, 0, 10_000), Wait)).Messages
        .Where(m => m.Message.ConversationId == groupId).Select(m => m.Message).ToList();

    [Fact]
    public async Task A_members_failing_journal_delays_sent_to_unavailable_and_a_retry_converges_once_it_is_back()
    {
        var users = await UsersAsync("ann", "bob", "cid");
        var (ann, cid) = (users[0], users[2]);
        var g = Assert.IsType<GroupReplies.GroupView>(await AskAsync(new CreateGroup(ConversationId.NewGroup(), ann, "Team", users[1..]))).ConversationId;
        var failing = true;
        await FailWrites<UserEvents.MessageStored>("inbox-" + cid, () => failing);
        var key = Guid.NewGuid();

        var first = Assert.IsType<UserReplies.Rejected>(await AskAsync(new UserCommands.SendMessage(ann, key, g, "hello")));
        failing = false;
        var sent = Assert.IsType<UserReplies.MessageSent>(await AskAsync(new UserCommands.SendMessage(ann, key, g, "hello"))).Message;

        Assert.Equal(ErrorCodes.Unavailable, first.Code);
        foreach (var user in users) Assert.Single(await CopyAsync(user, g), m => m.ClientMessageId == key && m == sent);
    }

    [Fact]
    public async Task The_groups_failing_journal_answers_unavailable_and_stores_nothing_then_a_retry_applies_once()
    {
        var users = await UsersAsync("ann", "bob", "cid");
        var (ann, bob, cid) = (users[0], users[1], users[2]);
        var g = Assert.IsType<GroupReplies.GroupView>(await AskAsync(new CreateGroup(ConversationId.NewGroup(), ann, "Team", [bob]))).ConversationId;
        var failing = true;
        await FailWrites<GroupEvents.MessageStamped>("group-" + g, () => failing);

        var refused = Assert.IsType<UserReplies.Rejected>(await AskAsync(new AddMember(g, ann, cid)));
        Assert.Equal(ErrorCodes.Unavailable, refused.Code);
        failing = false;

        var view = Assert.IsType<GroupReplies.GroupView>(await AskAsync(new AddMember(g, ann, cid)));
        Assert.Equal([ann, bob, cid], view.Members.Select(m => m.UserId));
        var sent = Assert.IsType<UserReplies.MessageSent>(await AskAsync(new UserCommands.SendMessage(bob, Guid.NewGuid(), g, "hi"))).Message;
        foreach (var user in users)
        {
            var copy = await CopyAsync(user, g);
            Assert.Single(copy, m => m.Kind == MessageKinds.MemberAdded);
            Assert.Single(copy, m => m == sent);
        }
    }
}
