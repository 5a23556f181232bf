using Akka.Actor;
using Akka.Persistence.TestKit;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>
/// Journal rejections (issue 9, defect 5), snapshots across incarnations (defect 4) and a failing snapshot store,
/// and devices across an inbox's incarnations (defect 3, the passivation race).
/// </summary>
public sealed class InboxWriteFailureSpecs : FaultyInboxSpecBase
{
    private static readonly SendSettings Quick = new()
    {
        Deadline = TimeSpan.FromSeconds(3),
        FirstRetry = TimeSpan.FromMilliseconds(100),
        MaxRetry = TimeSpan.FromMilliseconds(300),
        DriveSenderCopyAfter = TimeSpan.FromMilliseconds(300),
        TickInterval = TimeSpan.FromMilliseconds(50),
        SnapshotEvery = 5,
        PassivateAfter = TimeSpan.FromMilliseconds(300),
    };

    public InboxWriteFailureSpecs(ITestOutputHelper output) : base(Quick, output)
    {
    }

    [Fact]
    public async Task A_rejected_recipient_write_is_retried_and_leaves_no_gap_in_the_seq()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var rejections = 1;
        await InterceptWritesAsync(p =>
        {
            if (p.PersistenceId == "inbox-" + b && IsStoredMessage(p) && Interlocked.Decrement(ref rejections) >= 0)
                throw new TestJournalRejectionException("injected rejection");
        });

        var first = await SentAsync(a, b, "first");
        var second = await SentAsync(a, b, "second");
        Assert.Equal([(first, 1L), (second, 2L)], (await InboxAfterAsync(b, 0)).Messages.Select(m => (m.Message, m.Seq)));
        await StopAsync(b);
        var third = await SentAsync(a, b, "third");
        Assert.Equal([1L, 2L, 3L], (await InboxAfterAsync(b, 0)).Messages.Select(m => m.Seq));
        Assert.Equal(third, (await InboxAfterAsync(b, 2)).Messages.Single().Message);
    }

    [Fact]
    public async Task A_rejected_sender_write_answers_unavailable_and_the_inbox_stays_consistent_and_can_passivate()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var c = await OpenAsync(User("c"));
        var rejecting = true;
        await InterceptWritesAsync(p =>
        {
            if (p.PersistenceId == "inbox-" + a && IsStoredMessage(p) && Volatile.Read(ref rejecting))
                throw new TestJournalRejectionException("injected rejection");
        });

        Assert.Equal(ErrorCodes.Unavailable, Assert.IsType<UserReplies.Rejected>(await SendAsync(a, b, "refused", Guid.NewGuid())).Code);
        Volatile.Write(ref rejecting, false);
        var toC = await SentAsync(a, c, "accepted");

        // b drives a's copy of the refused message: both end in a's inbox at consecutive seqs, and recovery agrees.
        await AwaitAssertAsync(async () => Assert.Equal(2, (await InboxAfterAsync(a, 0)).Messages.Count), Wait);
        var before = await InboxAfterAsync(a, 0);
        Assert.Equal([1L, 2L], before.Messages.Select(m => m.Seq));
        Assert.Contains(before.Messages, m => m.Message == toC);
        var passivated = CreateTestProbe();
        Sys.EventStream.Subscribe(passivated.Ref, typeof(LocalInboxes.PassivationRequested));
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.HoldPassivation(a), Wait);
        passivated.ExpectMsg<LocalInboxes.PassivationRequested>(m => m.UserId == a, Wait);
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.ReleasePassivation(a), Wait);

        await StopAsync(a);
        Assert.Equal(before.Messages, (await InboxAfterAsync(a, 0)).Messages);
        Assert.Equal(2, (await ConversationsAsync(a)).Conversations.Count);
    }

    [Fact]
    public async Task Snapshots_count_from_the_last_snapshot_across_incarnations()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        for (var i = 0; i < 3; i++) await SentAsync(a, b, $"first life {i}");
        Assert.False(await HasSnapshotAsync("inbox-" + a));
        await StopAsync(a);
        for (var i = 0; i < 3; i++) await SentAsync(a, b, $"second life {i}");

        // 1 + 6 events since none: past SnapshotEvery (5), though neither incarnation wrote 5.
        await AwaitAssertAsync(async () => Assert.True(await HasSnapshotAsync("inbox-" + a)), Wait);
    }

    [Fact]
    public async Task A_failing_snapshot_store_keeps_the_inbox_working_and_a_later_snapshot_is_taken()
    {
        await Snapshots.OnSave.Fail();
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 12; i++) sent.Add(await SentAsync(a, b, $"m{i}"));
        Assert.False(await HasSnapshotAsync("inbox-" + a));
        await StopAsync(a);
        Assert.Equal(sent, (await InboxAfterAsync(a, 0)).Messages.Select(m => m.Message));

        await Snapshots.OnSave.Pass();
        for (var i = 0; i < 6; i++) sent.Add(await SentAsync(a, b, $"n{i}"));
        await AwaitAssertAsync(async () => Assert.True(await HasSnapshotAsync("inbox-" + a)), Wait);
        await StopAsync(a);
        Assert.Equal(sent, (await InboxAfterAsync(a, 0)).Messages.Select(m => m.Message));
    }

    [Fact]
    public async Task A_device_attaching_while_the_inbox_passivates_is_told_to_attach_again_and_then_gets_live_pushes()
    {
        var a = await OpenAsync(User("a"));
        var b = await OpenAsync(User("b"));
        var passivated = CreateTestProbe();
        Sys.EventStream.Subscribe(passivated.Ref, typeof(LocalInboxes.PassivationRequested));
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.HoldPassivation(a), Wait);
        passivated.ExpectMsg<LocalInboxes.PassivationRequested>(m => m.UserId == a, Wait);

        // The attach reaches the incarnation that already asked to stop.
        var device = CreateTestProbe();
        Inboxes.Tell(new UserCommands.AttachDevice(a, device.Ref), device.Ref);
        Assert.Equal(0, device.ExpectMsg<UserReplies.DeviceAttached>(Wait).Seq);
        await Inboxes.Ask<Akka.Done>(new LocalInboxes.ReleasePassivation(a), Wait);
        Assert.Equal(a, device.ExpectMsg<DeviceFrames.InboxStopped>(Wait).UserId);

        // The device attaches again (as the bridge does on InboxStopped) and the next incarnation pushes live.
        Inboxes.Tell(new UserCommands.AttachDevice(a, device.Ref), device.Ref);
        Assert.Equal(0, device.ExpectMsg<UserReplies.DeviceAttached>(Wait).Seq);
        var sent = await SentAsync(b, a, "after the hand-over");
        Assert.Equal(new InboxMessage(sent, 1), device.ExpectMsg<DeviceFrames.Deliver>(Wait).Message);
    }
}
