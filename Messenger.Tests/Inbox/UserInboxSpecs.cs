using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>
/// The user inbox against a real SQL journal: persist, recover, snapshot + recover, dedup, order, conversation
/// summaries, and history/sync paged from storage past the in-memory window. Run on SQLite here and on PostgreSQL
/// by a subclass.
/// </summary>
public abstract class UserInboxSpecs : InboxSpecBase
{
    /// <summary>Small window and frequent snapshots so the specs cross both boundaries with few messages.</summary>
    public static readonly SendSettings SmallInbox = new()
    {
        RecentWindow = 8,
        SnapshotEvery = 10,
        DriveSenderCopyAfter = TimeSpan.FromMilliseconds(500),
    };

    protected UserInboxSpecs(JournalDatabase database, ITestOutputHelper output)
        : base(InboxConfigs.SqlJournal(database), database, SmallInbox, output)
    {
    }

    [Fact]
    public async Task A_sent_message_is_in_both_copies_with_the_same_id_order_and_body()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var sent = await SentAsync(a, b, "hello");

        var inA = (await InboxAfterAsync(a, 0)).Messages.Single();
        var inB = (await InboxAfterAsync(b, 0)).Messages.Single();
        Assert.Equal(sent, inA.Message);
        Assert.Equal(sent, inB.Message);
        Assert.Equal(1, inA.Seq);
        Assert.Equal(1, inB.Seq);
        Assert.Equal(ConversationId.Direct(a, b), sent.ConversationId);
    }

    [Fact]
    public async Task Inbox_recovers_messages_conversations_and_read_markers_after_a_restart()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        for (var i = 0; i < 5; i++) await SentAsync(a, b, $"m{i}");
        var before = await ConversationsAsync(b);
        var inboxBefore = await InboxAfterAsync(b, 0);

        await StopAsync(a);
        await StopAsync(b);

        Assert.Equal(inboxBefore.Messages, (await InboxAfterAsync(b, 0)).Messages);
        var after = await ConversationsAsync(b);
        Assert.Equal(before.Conversations.Single(), after.Conversations.Single());
        Assert.Equal(5, after.Conversations.Single().UnreadCount);
        // Seq continues without a gap after recovery.
        await SentAsync(a, b, "after restart");
        Assert.Equal(6, (await InboxAfterAsync(b, 5)).Messages.Single().Seq);
    }

    [Fact]
    public async Task Snapshots_are_taken_and_recovery_from_snapshot_plus_events_gives_the_same_state()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        for (var i = 0; i < 25; i++) await SentAsync(i % 2 == 0 ? a : b, i % 2 == 0 ? b : a, $"m{i}");
        var conversation = ConversationId.Direct(a, b);
        var historyBefore = await FullHistoryAsync(a, conversation, 7);
        var conversationsBefore = await ConversationsAsync(a);

        await AwaitAssertAsync(async () => Assert.True(await SnapshotCountAsync("inbox-" + a) >= 1), Wait);
        await StopAsync(a);

        Assert.Equal(historyBefore, await FullHistoryAsync(a, conversation, 7));
        Assert.Equal(conversationsBefore.Conversations.Single(), (await ConversationsAsync(a)).Conversations.Single());
        Assert.Equal(25, (await InboxAfterAsync(a, 0)).Messages.Count);
    }

    [Fact]
    public async Task The_same_client_message_id_stores_one_message_even_after_restarts_and_past_the_window()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var key = Guid.NewGuid();
        var first = await SentAsync(a, b, "once", key);
        Assert.Equal(first, await SentAsync(a, b, "once", key));

        var reused = Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "different body", key));
        Assert.Equal(ErrorCodes.InvalidRequest, reused.Code);

        // Push the key out of the in-memory window, restart both, and retry: storage still knows it.
        for (var i = 0; i < SmallInbox.RecentWindow * 2; i++) await SentAsync(a, b, $"filler {i}");
        await StopAsync(a);
        await StopAsync(b);
        Assert.Equal(first, await SentAsync(a, b, "once", key));
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "changed", key)).Code);

        var inB = (await InboxAfterAsync(b, 0)).Messages;
        Assert.Single(inB, m => m.Message.ClientMessageId == key);
        Assert.Equal(1 + SmallInbox.RecentWindow * 2, inB.Count);
    }

    [Fact]
    public async Task A_key_older_than_the_window_reused_for_another_recipient_or_body_is_refused_before_and_after_restarts()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var c = await OpenAsync(User("c"));
        var key = Guid.NewGuid();
        var first = await SentAsync(a, b, "once", key);
        for (var i = 0; i < SmallInbox.RecentWindow * 2; i++) await SentAsync(a, b, $"filler {i}");

        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, c, "once", key)).Code);
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "other", key)).Code);
        await StopAsync(a);
        await StopAsync(b);
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, c, "once", key)).Code);
        Assert.Equal(first, await SentAsync(a, b, "once", key));

        Assert.Empty((await InboxAfterAsync(c, 0)).Messages);
        Assert.Single((await InboxAfterAsync(a, 0, 1000)).Messages, m => m.Message.ClientMessageId == key);
    }

    [Fact]
    public async Task Replies_sort_after_what_they_answer_and_both_copies_agree_on_the_order()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 20; i++)
            sent.Add(await SentAsync(i % 3 == 0 ? b : a, i % 3 == 0 ? a : b, $"turn {i}"));

        // Each message was sent after the previous one was acknowledged: strictly increasing order.
        for (var i = 1; i < sent.Count; i++)
            Assert.True(string.CompareOrdinal(sent[i - 1].Order, sent[i].Order) < 0, $"message {i} sorts before {i - 1}");

        var conversation = ConversationId.Direct(a, b);
        var historyA = (await FullHistoryAsync(a, conversation, 6)).Select(m => m.Message).ToList();
        var historyB = (await FullHistoryAsync(b, conversation, 6)).Select(m => m.Message).ToList();
        Assert.Equal(sent, historyA);
        Assert.Equal(sent, historyB);
    }

    [Fact]
    public async Task Conversations_sort_by_last_activity_with_unread_counts_and_read_markers()
    {
        var me = await OpenAsync(User("me"));
        var x = await OpenAsync(User("x"));
        var y = await OpenAsync(User("y"));
        await SentAsync(x, me, "from x 1");
        await SentAsync(x, me, "from x 2");
        var fromY = await SentAsync(y, me, "from y");

        var list = (await ConversationsAsync(me)).Conversations;
        Assert.Equal(new[] { y, x }, list.Select(c => c.Peer));
        Assert.Equal(new[] { 1, 2 }, list.Select(c => c.UnreadCount));
        Assert.Equal(fromY, list[0].LastMessage.Message);

        // Replying to x moves x to the top and reads it.
        await SentAsync(me, x, "reply");
        list = (await ConversationsAsync(me)).Conversations;
        Assert.Equal(new[] { x, y }, list.Select(c => c.Peer));
        Assert.Equal(0, list[0].UnreadCount);

        // The read marker moves forward only.
        var marked = await Inboxes.Ask<UserReplies.ReadMarked>(new UserCommands.MarkRead(me, fromY.ConversationId, fromY.Order), Wait);
        Assert.Equal(fromY.Order, marked.UpTo);
        await Inboxes.Ask<UserReplies.ReadMarked>(new UserCommands.MarkRead(me, fromY.ConversationId, new string('0', 24)), Wait);
        Assert.Equal(0, (await ConversationsAsync(me)).Conversations.Single(c => c.Peer == y).UnreadCount);
        await SentAsync(y, me, "another");
        Assert.Equal(1, (await ConversationsAsync(me)).Conversations.Single(c => c.Peer == y).UnreadCount);

        // Offset and limit page the list.
        Assert.Equal(new[] { x }, (await ConversationsAsync(me, offset: 1, limit: 1)).Conversations.Select(c => c.Peer));
    }

    [Fact]
    public async Task History_pages_from_storage_past_the_window_return_every_message_once_in_order()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var c = await OpenAsync(User("c"));
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 40; i++)
        {
            sent.Add(await SentAsync(i % 4 == 0 ? b : a, i % 4 == 0 ? a : b, $"ab {i}"));
            if (i % 5 == 0) await SentAsync(c, a, $"noise {i}"); // another conversation interleaved in a's journal
        }
        var conversation = ConversationId.Direct(a, b);
        foreach (var pageSize in new[] { 1, 7, 40, 200 })
        {
            var all = await FullHistoryAsync(a, conversation, pageSize);
            Assert.Equal(sent, all.Select(m => m.Message));
        }
        Assert.Equal(sent, (await FullHistoryAsync(b, conversation, 9)).Select(m => m.Message));

        // The newest page, older-than a given order, and the end of history.
        var newest = await HistoryAsync(a, conversation, null, 5);
        Assert.Equal(sent.TakeLast(5), newest.Messages.Select(m => m.Message));
        Assert.Equal(sent[^5].Order, newest.NextBefore);
        var oldest = await HistoryAsync(a, conversation, sent[3].Order, 10);
        Assert.Equal(sent.Take(3), oldest.Messages.Select(m => m.Message));
        Assert.Null(oldest.NextBefore);
    }

    [Fact]
    public async Task Sync_returns_the_inbox_after_a_seq_from_memory_and_from_storage()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        for (var i = 0; i < 30; i++) await SentAsync(i % 2 == 0 ? a : b, i % 2 == 0 ? b : a, $"m{i}");

        var all = (await InboxAfterAsync(b, 0)).Messages;
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), all.Select(m => m.Seq));

        var page = await InboxAfterAsync(b, 3, 10);
        Assert.Equal(Enumerable.Range(4, 10).Select(i => (long)i), page.Messages.Select(m => m.Seq));
        Assert.Equal(13, page.NextAfter);

        var tail = await InboxAfterAsync(b, 28, 10);
        Assert.Equal(new long[] { 29, 30 }, tail.Messages.Select(m => m.Seq));
        var none = await InboxAfterAsync(b, 30, 10);
        Assert.Empty(none.Messages);
        Assert.Equal(30, none.NextAfter);
    }

    [Fact]
    public async Task Sending_to_an_unknown_user_or_to_oneself_is_refused_and_stores_nothing()
    {
        var a = await OpenAsync(User("a"));
        var ghost = User("ghost");
        Assert.Equal(ErrorCodes.NotFound, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, ghost, "hi")).Code);
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, a, "me")).Code);
        Assert.Empty((await InboxAfterAsync(a, 0)).Messages);
        Assert.Empty((await ConversationsAsync(a)).Conversations);
    }

    private async Task<long> SnapshotCountAsync(string persistenceId)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM snapshot_store WHERE persistence_id = @pid";
        var p = command.CreateParameter();
        p.ParameterName = "pid";
        p.Value = persistenceId;
        command.Parameters.Add(p);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}

/// <summary>The inbox specs on a real SQLite file (the embedded default journal).</summary>
public sealed class SqliteUserInboxSpecs : UserInboxSpecs, IDisposable
{
    private readonly string _dir;

    public SqliteUserInboxSpecs(ITestOutputHelper output) : this(TempDirs.Create("inbox-spec"), output)
    {
    }

    private SqliteUserInboxSpecs(string dir, ITestOutputHelper output)
        : base(SpecDatabases.Sqlite(dir), output)
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
