using Akka.Actor;
using Akka.TestKit;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Inbox;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Receipts;

/// <summary>
/// Receipts on real UserInbox actors against a real journal: markers persist, reach both users' devices, copy to the
/// peer's inbox and survive restarts and snapshot recovery. Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class ReceiptInboxSpecs : InboxSpecBase
{
    protected ReceiptInboxSpecs(JournalDatabase database, ITestOutputHelper output)
        : base(InboxConfigs.SqlJournal(database), database, UserInboxSpecs.SmallInbox, output)
    {
    }

    private async Task<TestProbe> DeviceOfAsync(string user)
    {
        var device = CreateTestProbe();
        Inboxes.Tell(new UserCommands.AttachDevice(user, device.Ref), device.Ref);
        await device.ExpectMsgAsync<UserReplies.DeviceAttached>(Wait);
        return device;
    }

    private Task<ReceiptReplies.ReceivedMarked> ReceivedAsync(string user, long upTo) =>
        Inboxes.Ask<ReceiptReplies.ReceivedMarked>(new ReceiptCommands.MarkReceived(user, upTo), Wait);

    private Task<UserReplies.ReadMarked> ReadAsync(string user, string conversationId, string upTo) =>
        Inboxes.Ask<UserReplies.ReadMarked>(new UserCommands.MarkRead(user, conversationId, upTo), Wait);

    private static async Task<DeviceReceipt> NextReceiptAsync(TestProbe device) =>
        (DeviceReceipt)await device.FishForMessageAsync(m => m is DeviceReceipt, Wait);

    private async Task<UserReplies.ConversationSummary> SummaryAsync(string user) =>
        (await ConversationsAsync(user)).Conversations.Single();

    [Fact]
    public async Task Receipts_reach_both_users_devices_and_the_peer_copy_in_the_conversation()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var m1 = await SentAsync(a, b, "one");
        var m2 = await SentAsync(a, b, "two");
        var aDevice = await DeviceOfAsync(a);
        var bDevice = await DeviceOfAsync(b);
        var conversation = m1.ConversationId;

        await ReceivedAsync(b, 2);
        Assert.Equal(new DeviceReceipt(conversation, b, m2.Order, ""), await NextReceiptAsync(bDevice));
        Assert.Equal(new DeviceReceipt(conversation, b, m2.Order, ""), await NextReceiptAsync(aDevice));

        await ReadAsync(b, conversation, m1.Order);
        Assert.Equal(new DeviceReceipt(conversation, b, m2.Order, m1.Order), await NextReceiptAsync(bDevice));
        Assert.Equal(new DeviceReceipt(conversation, b, m2.Order, m1.Order), await NextReceiptAsync(aDevice));

        var atA = await SummaryAsync(a);
        Assert.Equal((m2.Order, m1.Order), (atA.PeerDelivered, atA.PeerRead));
        // Bob's copy of alice's markers: she holds and read the conversation up to her own newest message.
        var atB = await SummaryAsync(b);
        Assert.Equal((m2.Order, m2.Order), (atB.PeerDelivered, atB.PeerRead));
    }

    [Fact]
    public async Task Markers_and_peer_copies_are_durable_across_restarts_and_snapshot_recovery()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var sent = new List<ChatMessage>();
        // More messages than the window (8) and the snapshot interval (10): recovery goes through a snapshot.
        for (var i = 0; i < 14; i++) sent.Add(await SentAsync(a, b, $"m{i}"));
        var conversation = sent[0].ConversationId;
        await ReceivedAsync(b, 6);
        await ReadAsync(b, conversation, sent[3].Order);
        await AwaitAssertAsync(async () =>
        {
            var atA = await SummaryAsync(a);
            Assert.Equal((sent[5].Order, sent[3].Order), (atA.PeerDelivered, atA.PeerRead));
        }, Wait);

        await StopAsync(a);
        await StopAsync(b);

        var afterA = await SummaryAsync(a);
        Assert.Equal((sent[5].Order, sent[3].Order), (afterA.PeerDelivered, afterA.PeerRead));
        var bDevice = await DeviceOfAsync(b);
        // Bob's delivered marker was kept: an older received moves nothing, a newer one moves it from there.
        await ReceivedAsync(b, 2);
        await ReceivedAsync(b, 10);
        Assert.Equal(new DeviceReceipt(conversation, b, sent[9].Order, sent[3].Order), await NextReceiptAsync(bDevice));
        await AwaitAssertAsync(async () => Assert.Equal(sent[9].Order, (await SummaryAsync(a)).PeerDelivered), Wait);
    }

    [Fact]
    public async Task A_copy_lost_on_the_way_to_the_peer_converges_on_the_peers_next_message()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var m1 = await SentAsync(a, b, "one");
        var aDevice = await DeviceOfAsync(a);
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.SetUnreachable(a, true), Wait);
        await ReadAsync(b, m1.ConversationId, m1.Order); // its copy to alice is dropped
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.SetUnreachable(a, false), Wait);
        Assert.Equal("", (await SummaryAsync(a)).PeerRead);

        // Bob's answer to alice's next message carries his markers.
        await SentAsync(a, b, "two");
        Assert.Equal(new DeviceReceipt(m1.ConversationId, b, m1.Order, m1.Order), await NextReceiptAsync(aDevice));
        var atA = await SummaryAsync(a);
        Assert.Equal((m1.Order, m1.Order), (atA.PeerDelivered, atA.PeerRead));
    }

    [Fact]
    public async Task A_reply_shows_the_replier_read_the_conversation_without_a_receipt()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        await SentAsync(a, b, "question");
        var reply = await SentAsync(b, a, "answer");

        var atA = await SummaryAsync(a);
        Assert.Equal((reply.Order, reply.Order), (atA.PeerDelivered, atA.PeerRead));
        var atB = await SummaryAsync(b);
        Assert.True(string.CompareOrdinal(atB.PeerRead, reply.Order) < 0);
        Assert.NotEqual("", atB.PeerRead);
    }
}

public sealed class SqliteReceiptInboxSpecs : ReceiptInboxSpecs, IDisposable
{
    private readonly string _dir;

    public SqliteReceiptInboxSpecs(ITestOutputHelper output) : this(TempDirs.Create("receipt-spec"), output)
    {
    }

    private SqliteReceiptInboxSpecs(string dir, ITestOutputHelper output)
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

[Collection(PostgresCollection.Name)]
public sealed class PostgresReceiptInboxSpecs : ReceiptInboxSpecs
{
    public PostgresReceiptInboxSpecs(PostgresServer postgres, ITestOutputHelper output) : base(SpecDatabases.Postgres(postgres, "receipts"), output)
    {
    }
}
