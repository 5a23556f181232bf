using Akka.Actor;
using Akka.TestKit;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Inbox;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Tests.Groups.Inbox;

/// <summary>
/// Real UserInbox actors on a real journal (SQLite and PostgreSQL), with a test probe as the group region: the group's copies are
/// stored once and acknowledged (also after a restart, a snapshot and past the recent window, where storage answers
/// for the key), a group send is answered by the sender's own copy or by the group's refusal, and the group
/// conversation (roster, unread count, history) is rebuilt from the journal.
/// </summary>
public abstract class GroupUserInboxSpecs : InboxSpecBase
{
    private readonly TestProbe _groups;
    private readonly IActorRef _host;
    private readonly GroupCopies _group = new("grp:" + Guid.NewGuid().ToString("N")[..12], DateTime.UtcNow);

    protected GroupUserInboxSpecs(JournalDatabase database, ITestOutputHelper output)
        : base(InboxConfigs.SqlJournal(database), database, UserInboxSpecs.SmallInbox, output)
    {
        _groups = CreateTestProbe();
        _host = Sys.ActorOf(GroupInboxHost.Props(Archive, Settings, _groups.Ref), "group-inboxes");
    }

    protected static JournalDatabase Prepared(JournalDatabase database)
    {
        database.PrepareAsync().GetAwaiter().GetResult();
        return database;
    }

    private async Task<string> Open(string user)
    {
        await _host.Ask<InboxReady>(new OpenInbox(user), Wait);
        return user;
    }

    /// <summary>Stores a copy as the group does (the probe is the group) and waits for its acknowledgement.</summary>
    private async Task Copy(string member, ChatMessage message)
    {
        _host.Tell(new StoreGroupCopy(member, message), _groups.Ref);
        await _groups.ExpectMsgAsync<GroupCommands.GroupCopyStored>(
            a => Assert.Equal(new GroupCommands.GroupCopyStored(_group.GroupId, member, message.MessageId), a), Wait);
    }

    private async Task<ConversationSummary> Summary(string user) =>
        (await _host.Ask<ConversationsPage>(new UserQueries.GetConversations(user, 0, 10), Wait))
            .Conversations.Single(c => c.ConversationId == _group.GroupId);

    private Task<InboxPage> Inbox(string user) => _host.Ask<InboxPage>(new UserQueries.GetInboxAfter(user, 0, 1000), Wait);

    private Task Restart(string user) => _host.Ask<Akka.Done>(new GroupInboxHost.Stop(user), Wait);

    [Fact]
    public async Task A_group_send_is_answered_once_the_group_wrote_the_senders_copy_after_the_others()
    {
        var alice = await Open(User("alice"));
        var bob = await Open(User("bob"));
        var created = _group.Created("Team", alice, bob);
        await Copy(alice, created);
        await Copy(bob, created);

        var key = Guid.NewGuid();
        var answer = _host.Ask<object>(new SendMessage(alice, key, _group.GroupId, "hello team"), Wait);
        var post = await _groups.ExpectMsgAsync<GroupCommands.PostMessage>(Wait);
        Assert.Equal((_group.GroupId, alice, key, "hello team"), (post.GroupId, post.From, post.ClientMessageId, post.Body));
        var inboxOfAlice = _groups.LastSender;

        var message = _group.Stamped(post);
        await Copy(bob, message);
        Assert.False(answer.IsCompleted);
        await Copy(alice, message);
        Assert.Equal(new MessageSent(message), await answer);
        Assert.Equal(inboxOfAlice.Path.Name, alice);

        Assert.Equal(new MessageSent(message), await _host.Ask<object>(new SendMessage(alice, key, _group.GroupId, "hello team"), Wait));
        Assert.Equal(message, (await Inbox(bob)).Messages[^1].Message);
        var summary = await Summary(bob);
        Assert.Equal(1, summary.UnreadCount);
        Assert.Equal(new GroupSummary("Team", 2, true), summary.Group);
        Assert.Equal([new MemberReceipt(alice, message.Order, message.Order)], summary.MemberReceipts);
        Assert.Equal(0, (await Summary(alice)).UnreadCount);
    }

    [Fact]
    public async Task A_send_the_group_refuses_is_answered_with_forbidden()
    {
        var alice = await Open(User("alice"));
        var key = Guid.NewGuid();
        var answer = _host.Ask<object>(new SendMessage(alice, key, _group.GroupId, "let me in"), Wait);
        await _groups.ExpectMsgAsync<GroupCommands.PostMessage>(Wait);
        _groups.Reply(new Rejected(ErrorCodes.Forbidden, "not a member of this group", key));

        var refused = Assert.IsType<Rejected>(await answer);
        Assert.Equal((ErrorCodes.Forbidden, (Guid?)key), (refused.Code, refused.ClientMessageId));
    }

    [Fact]
    public async Task Copies_are_stored_once_across_restarts_snapshots_and_the_recent_window()
    {
        var bob = await Open(User("bob"));
        var created = _group.Created("Team", "alice", bob, "carol");
        var messages = new List<ChatMessage> { created };
        for (var i = 0; i < 12; i++) messages.Add(_group.Text(i % 2 == 0 ? "alice" : "carol", $"m{i}"));
        messages.Add(_group.Removed("alice", bob));
        foreach (var m in messages) await Copy(bob, m);

        await Restart(bob);
        // Asked again (the group restarted before it heard the acks): older than the window, storage answers for the key.
        await Copy(bob, messages[1]);
        await Copy(bob, messages[^1]);

        var inbox = await Inbox(bob);
        Assert.Equal(messages.Select(m => m.MessageId), inbox.Messages.Select(m => m.Message.MessageId));
        Assert.Equal(Enumerable.Range(1, messages.Count).Select(i => (long)i), inbox.Messages.Select(m => m.Seq));
        var summary = await Summary(bob);
        Assert.Equal(new GroupSummary("Team", 2, false), summary.Group);
        Assert.Equal(12, summary.UnreadCount);
        Assert.Equal(MessageKinds.MemberRemoved, summary.LastMessage.Message.Kind);

        var history = await FullHistory(bob, pageSize: 5);
        Assert.Equal(messages.Select(m => m.MessageId), history.Select(m => m.Message.MessageId));
    }

    [Fact]
    public async Task A_resent_key_older_than_the_window_is_answered_from_storage_without_asking_the_group()
    {
        var alice = await Open(User("alice"));
        var created = _group.Created("Team", alice, "bob");
        await Copy(alice, created);
        var first = _group.Text(alice, "first", Guid.NewGuid());
        await Copy(alice, first);
        for (var i = 0; i < 12; i++) await Copy(alice, _group.Text("bob", $"m{i}"));
        await Restart(alice);

        Assert.Equal(new MessageSent(first),
            await _host.Ask<object>(new SendMessage(alice, first.ClientMessageId, _group.GroupId, "first"), Wait));
        var reused = Assert.IsType<Rejected>(
            await _host.Ask<object>(new SendMessage(alice, first.ClientMessageId, _group.GroupId, "changed"), Wait));
        Assert.Equal(ErrorCodes.InvalidRequest, reused.Code);
        _groups.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_members_read_and_typing_reach_the_other_members_devices_and_summaries()
    {
        var alice = await Open(User("alice"));
        var bob = await Open(User("bob"));
        var carol = await Open(User("carol"));
        var created = _group.Created("Team", alice, bob, carol);
        var hello = _group.Text(alice, "hello");
        foreach (var m in new[] { created, hello })
        foreach (var member in new[] { alice, bob, carol })
            await Copy(member, m);
        var carolsDevice = CreateTestProbe();
        await _host.Ask<DeviceAttached>(new AttachDevice(carol, carolsDevice.Ref), Wait);

        await _host.Ask<ReadMarked>(new MarkRead(bob, _group.GroupId, hello.Order), Wait);
        await carolsDevice.FishForMessageAsync(m => m is Messenger.Messages.Devices.DeviceReceipt r && r.UserId == bob
            && r.Read == hello.Order && r.ConversationId == _group.GroupId, Wait);
        await AwaitAssertAsync(async () =>
            Assert.Contains(new MemberReceipt(bob, hello.Order, hello.Order), (await Summary(alice)).MemberReceipts!), Wait);

        _host.Tell(new PresenceCommands.Typing(alice, _group.GroupId));
        await carolsDevice.FishForMessageAsync(m => m is Messenger.Messages.Devices.TypingFrames.PeerTyping t
            && t.ConversationId == _group.GroupId && t.UserId == alice, Wait);
    }

    private async Task<List<InboxMessage>> FullHistory(string user, int pageSize)
    {
        var all = new List<InboxMessage>();
        string? before = null;
        do
        {
            var page = await _host.Ask<HistoryPage>(new UserQueries.GetHistory(user, _group.GroupId, before, pageSize), Wait);
            all.InsertRange(0, page.Messages);
            before = page.NextBefore;
        } while (before is not null);
        return all;
    }

}

/// <summary>The group inbox specs on a real SQLite file (the embedded default journal).</summary>
public sealed class SqliteGroupUserInboxSpecs : GroupUserInboxSpecs, IDisposable
{
    private readonly string _dir;

    public SqliteGroupUserInboxSpecs(ITestOutputHelper output) : this(TempDirs.Create("group-inbox-spec"), output)
    {
    }

    private SqliteGroupUserInboxSpecs(string dir, ITestOutputHelper output)
        : base(Prepared(new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(dir))), output)
    {
        _dir = dir;
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirs.TryDelete(_dir);
    }
}

/// <summary>The group inbox specs on PostgreSQL (the cluster journal), a database of their own per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGroupUserInboxSpecs(PostgresServer postgres, ITestOutputHelper output)
    : GroupUserInboxSpecs(Prepared(new JournalDatabase(JournalKind.PostgreSql,
        postgres.CreateDatabaseAsync("groupinbox").GetAwaiter().GetResult())), output);
