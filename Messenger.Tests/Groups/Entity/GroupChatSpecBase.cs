using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Groups;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// Group entity specs: real GroupChat and UserInbox actors on a real journal (Messenger's own plugin, SQLite or PostgreSQL), wired
/// by <see cref="LocalGroupChats"/> in place of the two shard regions. Fast retries and a short send deadline so
/// failures show within seconds; every wait is for a condition.
/// </summary>
public abstract class GroupChatSpecBase : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    protected static readonly SendSettings InboxSettings = new()
    {
        Deadline = TimeSpan.FromSeconds(2),
        FirstRetry = TimeSpan.FromMilliseconds(100),
        MaxRetry = TimeSpan.FromMilliseconds(400),
    };

    protected static readonly GroupSettings GroupSettings = new()
    {
        FirstRetry = TimeSpan.FromMilliseconds(100),
        MaxRetry = TimeSpan.FromMilliseconds(400),
        TickInterval = TimeSpan.FromMilliseconds(50),
        SnapshotEvery = 5,
    };

    private readonly string? _dir;

    /// <summary>On a fresh SQLite file (the embedded default journal).</summary>
    protected GroupChatSpecBase(ITestOutputHelper output, GroupSettings? groupSettings = null)
        : this(TempDirs.Create("group-spec"), output, groupSettings ?? GroupSettings)
    {
    }

    /// <summary>On <paramref name="database"/>, prepared as a shard host prepares it (PostgreSQL: the cluster journal).</summary>
    protected GroupChatSpecBase(JournalDatabase database, ITestOutputHelper output)
        : this(null, SpecDatabases.Prepared(database), output, GroupSettings)
    {
    }

    private GroupChatSpecBase(string dir, ITestOutputHelper output, GroupSettings groupSettings)
        : this(dir, SpecDatabases.Sqlite(dir), output, groupSettings)
    {
    }

    private GroupChatSpecBase(string? dir, JournalDatabase database, ITestOutputHelper output, GroupSettings groupSettings)
        : base(InboxConfigs.SqlJournal(database), output: output)
    {
        _dir = dir;
        Database = database;
        Regions = Sys.ActorOf(LocalGroupChats.Props(new InboxArchive(database, Sys), InboxSettings, groupSettings), "regions");
    }

    protected JournalDatabase Database { get; }

    /// <summary>How many events of <paramref name="persistenceId"/> the journal still holds.</summary>
    protected async Task<long> JournalRowsAsync(string persistenceId)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM event_journal WHERE persistence_id = @pid";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "pid";
        parameter.Value = persistenceId;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Both "regions": user ids go to inboxes, group ids to groups.</summary>
    protected IActorRef Regions { get; }

    protected async Task<string[]> UsersAsync(params string[] prefixes)
    {
        var users = prefixes.Select(p => $"{p}{Guid.NewGuid():N}"[..12]).ToArray();
        foreach (var user in users) await Regions.Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(user), Wait);
        return users;
    }

    protected Task<object> AskAsync(object command) => Regions.Ask<object>(command, Wait);

    protected async Task<GroupReplies.GroupView> CreateAsync(string by, params string[] others) =>
        Assert.IsType<GroupReplies.GroupView>(
            await AskAsync(new GroupCommands.CreateGroup(ConversationId.NewGroup(), by, "Team", others)));

    protected Task<object> SendAsync(string from, string groupId, string body, Guid? key = null) =>
        AskAsync(new UserCommands.SendMessage(from, key ?? Guid.NewGuid(), groupId, body));

    protected async Task<ChatMessage> SentAsync(string from, string groupId, string body, Guid? key = null)
    {
        var answer = await SendAsync(from, groupId, body, key);
        return Assert.IsType<UserReplies.MessageSent>(answer).Message;
    }

    /// <summary>A member's copy of the group: every message of it in the member's inbox, in conversation order.</summary>
    protected async Task<List<ChatMessage>> CopyAsync(string user, string groupId)
    {
        var page = await Regions.Ask<UserReplies.InboxPage>(new UserQueries.GetInboxAfter(user, 0, 10_000), Wait);
        return page.Messages.Where(m => m.Message.ConversationId == groupId && !m.Retracted).Select(m => m.Message)
            .OrderBy(m => m.Order, StringComparer.Ordinal).ToList();
    }

    protected Task CrashAsync(string entityId) => Regions.Ask<Akka.Done>(new LocalGroupChats.Crash(entityId), Wait);

    protected Task DropCopiesAsync(string user, string? body = null) =>
        Regions.Ask<Akka.Done>(new LocalGroupChats.DropCopies(user, body), Wait);

    protected Task DeliverCopiesAsync(string user) => Regions.Ask<Akka.Done>(new LocalGroupChats.DeliverCopies(user), Wait);

    void IDisposable.Dispose()
    {
        Shutdown();
        if (_dir is null) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirs.TryDelete(_dir);
    }
}
