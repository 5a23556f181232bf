using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Inbox;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Presence;

/// <summary>
/// Presence and typing in real UserInbox actors against a real SQLite journal (no cluster: nothing is published,
/// answers are read from the inboxes): death watch of devices, the grace period after recovering "online", typing.
/// </summary>
public sealed class PresenceInboxSpecs : InboxSpecBase, IDisposable
{
    private static readonly TimeSpan Generous = PresenceTracker.Grace + TimeSpan.FromSeconds(20);
    private readonly string _dir;

    public PresenceInboxSpecs(ITestOutputHelper output) : this(TempDirs.Create("presence-spec"), output)
    {
    }

    private PresenceInboxSpecs(string dir, ITestOutputHelper output)
        : base(InboxConfigs.SqlJournal(SpecDatabases.Sqlite(dir)), SpecDatabases.Sqlite(dir), new SendSettings(), output)
    {
        _dir = dir;
    }

    private Task<PresenceReplies.UserPresence> PresenceOfAsync(string user) =>
        Inboxes.Ask<PresenceReplies.UserPresence>(new PresenceCommands.ReadPresence(user), Wait);

    private async Task<Akka.TestKit.TestProbe> AttachAsync(string user)
    {
        var device = CreateTestProbe();
        Inboxes.Tell(new UserCommands.AttachDevice(user, device.Ref), device.Ref);
        await device.ExpectMsgAsync<UserReplies.DeviceAttached>(Wait);
        return device;
    }

    [Fact]
    public async Task A_device_whose_actor_dies_is_detached_by_death_watch_and_the_user_goes_offline()
    {
        var bob = await OpenAsync(User("b"));
        var device = await AttachAsync(bob);
        Assert.True((await PresenceOfAsync(bob)).Online);

        Sys.Stop(device.Ref);
        await AwaitAssertAsync(async () =>
        {
            var presence = await PresenceOfAsync(bob);
            Assert.False(presence.Online);
            Assert.NotNull(presence.LastSeen);
        }, Generous);
    }

    [Fact]
    public async Task An_inbox_that_recovers_online_stays_online_for_the_grace_period_then_records_offline_without_devices()
    {
        var bob = await OpenAsync(User("b"));
        var alice = await OpenAsync(User("a"));
        await AttachAsync(bob);
        var online = await PresenceOfAsync(bob);
        Assert.True(online.Online);
        // The presence event is written in the background; a send acknowledged after it means it is durable too
        // (one inbox's writes are stored in order).
        await SentAsync(bob, alice, "after the presence event");

        // The incarnation stops with the device attached (a move, a crash): "online" is what its journal says.
        await StopAsync(bob);
        var recovered = await PresenceOfAsync(bob);
        Assert.True(recovered.Online);
        Assert.Equal(online.Version, recovered.Version);

        // The old device never attaches to the new incarnation: after the grace period the user is offline.
        await AwaitAssertAsync(async () =>
        {
            var presence = await PresenceOfAsync(bob);
            Assert.False(presence.Online);
            Assert.True(presence.Version > online.Version);
            Assert.Equal(presence.Version, presence.LastSeen!.Value.Ticks);
        }, Generous);

        // And that is durable (once a later write of this inbox is acknowledged, so is the presence event before it).
        var lastSeen = (await PresenceOfAsync(bob)).LastSeen;
        await SentAsync(bob, alice, "after going offline");
        await StopAsync(bob);
        Assert.Equal(lastSeen, (await PresenceOfAsync(bob)).LastSeen);
        Assert.False((await PresenceOfAsync(bob)).Online);
    }

    [Fact]
    public async Task Typing_reaches_the_peers_devices_and_is_refused_outside_the_callers_conversations()
    {
        var alice = await OpenAsync(User("a"));
        var bob = await OpenAsync(User("b"));
        var stranger = await OpenAsync(User("s"));
        await SentAsync(alice, bob, "hi");
        var bobDevice = await AttachAsync(bob);
        var aliceDevice = CreateTestProbe();
        var conversation = ConversationId.Direct(alice, bob);

        Inboxes.Tell(new PresenceCommands.Typing(alice, conversation), aliceDevice.Ref);
        Assert.Equal(new TypingFrames.PeerTyping(conversation, alice), await bobDevice.ExpectMsgAsync<TypingFrames.PeerTyping>(Wait));

        Inboxes.Tell(new PresenceCommands.Typing(alice, ConversationId.Direct(alice, stranger)), aliceDevice.Ref);
        Assert.Equal(ErrorCodes.NotFound, (await aliceDevice.ExpectMsgAsync<PresenceReplies.TypingRefused>(Wait)).Code);
        // Nothing was stored by typing.
        Assert.Single((await InboxAfterAsync(bob, 0)).Messages);
    }

    [Fact]
    public async Task Presence_is_answered_for_a_peer_and_refused_for_a_stranger()
    {
        var alice = await OpenAsync(User("a"));
        var bob = await OpenAsync(User("b"));
        var stranger = await OpenAsync(User("s"));
        await SentAsync(bob, alice, "hi");

        var peer = await Inboxes.Ask<object>(new PresenceCommands.GetPresence(alice, bob), Wait);
        Assert.Equal(new PresenceReplies.UserPresence(bob, false, null, 0), peer);
        var refused = await Inboxes.Ask<object>(new PresenceCommands.GetPresence(alice, stranger), Wait);
        Assert.Equal(ErrorCodes.NotFound, Assert.IsType<UserReplies.Rejected>(refused).Code);
        var visible = await Inboxes.Ask<PresenceReplies.PresenceVisible>(
            new PresenceCommands.WatchPresence(alice, [stranger, bob, alice], 4), Wait);
        Assert.Equal(new[] { bob, alice }, visible.UserIds);
        Assert.Equal(4, visible.Generation);
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirs.TryDelete(_dir);
    }
}
