using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Groups;
using static Messenger.Messages.Groups.GroupCommands;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Messages.Users.UserCommands;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// The fan-out saga as data (<see cref="GroupFanOuts"/>), without an actor system: member acks are fed back by hand.
/// </summary>
public sealed class GroupFanOutSpecs
{
    private const string G = "grp:fanout";
    private static readonly GroupSettings Settings = new();
    private readonly DateTime _t0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static MessageStamped Text(string from, params string[] recipients) => new(
        new ChatMessage(Guid.NewGuid(), Guid.NewGuid(), G, from, G, "hi", DateTime.UnixEpoch, "0000000000000001abcdef01"), recipients);

    [Fact]
    public void Retries_back_off_from_300_ms_doubling_to_2_s_and_go_on_forever()
    {
        var fanOuts = new GroupFanOuts(Settings, jitter: () => 1.0);
        var stamped = Text("ann", "bob", "ann");

        Assert.Equal(["bob"], fanOuts.Start(stamped, _t0).Select(c => c.UserId));
        var asked = new List<double>();
        for (var ms = 0; ms <= 20_000; ms += 50)
            if (fanOuts.Due(_t0.AddMilliseconds(ms)).Count > 0) asked.Add(ms);

        Assert.Equal([300, 900, 2100, 4100, 6100, 8100], asked.Take(6));
        Assert.True(asked.Count > 10);
    }

    [Fact]
    public void Jitter_spreads_a_retry_over_the_upper_half_of_its_backoff()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(150), Settings.Backoff(0, 0.0));
        Assert.Equal(TimeSpan.FromMilliseconds(300), Settings.Backoff(0, 1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), Settings.Backoff(10, 0.0));
        Assert.Equal(TimeSpan.FromMilliseconds(2000), Settings.Backoff(10, 1.0));
    }

    [Fact]
    public void A_text_messages_sender_copy_is_asked_for_only_once_every_other_copy_is_durable()
    {
        var fanOuts = new GroupFanOuts(Settings);
        var stamped = Text("ann", "bob", "cid", "ann");
        var id = stamped.Message.MessageId;

        Assert.Equal(["bob", "cid"], fanOuts.Start(stamped, _t0).Select(c => c.UserId).Order());
        Assert.Empty(fanOuts.Stored(id, "bob", _t0).Next);
        Assert.Equal(["cid", "ann"], fanOuts.OwedBy(id));
        Assert.Empty(fanOuts.Stored(id, "ann", _t0).Next); // an early sender ack changes nothing: not asked yet
        var (next, complete) = fanOuts.Stored(id, "cid", _t0);
        Assert.False(complete);
        Assert.Equal(["ann"], next.Select(c => c.UserId));
        Assert.Empty(fanOuts.Due(_t0.AddMilliseconds(100)));
        Assert.True(fanOuts.Stored(id, "ann", _t0).Complete);
        Assert.Equal(0, fanOuts.Count);
    }

    [Fact]
    public void A_sender_alone_in_the_group_gets_its_copy_at_once()
    {
        var fanOuts = new GroupFanOuts(Settings);
        var stamped = Text("ann", "ann");

        Assert.Equal(["ann"], fanOuts.Start(stamped, _t0).Select(c => c.UserId));
        Assert.True(fanOuts.Stored(stamped.Message.MessageId, "ann", _t0).Complete);
    }

    [Fact]
    public void Concurrent_messages_fan_out_independently_so_a_slow_member_holds_back_only_what_it_owes()
    {
        var fanOuts = new GroupFanOuts(Settings);
        var first = Text("ann", "bob", "cid", "ann");
        var second = Text("bob", "ann", "cid", "bob");
        fanOuts.Start(first, _t0);
        fanOuts.Start(second, _t0);

        // cid acks only the second message: it completes while the first still waits for cid.
        fanOuts.Stored(second.Message.MessageId, "ann", _t0);
        var (next, _) = fanOuts.Stored(second.Message.MessageId, "cid", _t0);
        Assert.Equal(["bob"], next.Select(c => c.UserId));
        Assert.True(fanOuts.Stored(second.Message.MessageId, "bob", _t0).Complete);
        fanOuts.Stored(first.Message.MessageId, "bob", _t0);

        Assert.Equal(["cid", "ann"], fanOuts.OwedBy(first.Message.MessageId)); // ann: the sender, held back
        Assert.All(fanOuts.Due(_t0.AddSeconds(5)), c => Assert.Equal(("cid", first.Message.MessageId), (c.UserId, c.Message.MessageId)));
    }
}
