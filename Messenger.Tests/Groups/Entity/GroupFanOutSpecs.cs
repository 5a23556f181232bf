using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Groups;
using static Messenger.Messages.Groups.GroupCommands;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Messages.Users.UserCommands;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// The fan-out saga as data (<see cref="GroupFanOuts"/>) and the group core around it, without an actor system:
/// journal outcomes and member acks are fed back by hand; reply targets are strings standing for the askers.
/// </summary>
public sealed class GroupFanOutSpecs
{
    private const string G = "grp:fanout";
    private static readonly GroupSettings Settings = new();
    private readonly DateTime _t0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static StoreGroupCopy[] Copies(IEnumerable<GroupEffect> fx) =>
        fx.OfType<GroupEffect.ToInbox>().Select(t => t.Message).Cast<StoreGroupCopy>().ToArray();

    private static string[] To(IEnumerable<GroupEffect> fx) => Copies(fx).Select(c => c.UserId).Order().ToArray();

    private static object[] RepliesTo(IEnumerable<GroupEffect> fx, string to) =>
        fx.OfType<GroupEffect.Reply>().Where(r => Equals(r.To, to)).Select(r => r.Message).ToArray();

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

    // ---- The group core: decisions, persistence outcomes and acks ----

    private sealed class Driven(GroupCore core, DateTime now)
    {
        public GroupCore Core { get; } = core;

        /// <summary>Runs effects as the actor does: persists succeed at once (their effects are collected too).</summary>
        public List<GroupEffect> Run(List<GroupEffect> fx)
        {
            var all = new List<GroupEffect>();
            var queue = new Queue<GroupEffect>(fx);
            while (queue.TryDequeue(out var effect))
            {
                all.Add(effect);
                if (effect is GroupEffect.Persist persist)
                    foreach (var more in Core.Persisted(persist.Event, now)) queue.Enqueue(more);
            }
            return all;
        }

        public List<GroupEffect> Handle(object command, string replyTo = "edge") => Run(Core.Handle(command, replyTo, now));

        public List<GroupEffect> Ack(ChatMessage m, string member) =>
            Handle(new GroupCopyStored(G, member, m.MessageId), member);

        public List<GroupEffect> AckAll(IEnumerable<GroupEffect> fx)
        {
            var all = new List<GroupEffect>();
            var pending = Copies(fx).ToList();
            while (pending.Count > 0)
            {
                var copy = pending[0];
                pending.RemoveAt(0);
                var more = Ack(copy.Message, copy.UserId);
                all.AddRange(more);
                pending.AddRange(Copies(more));
            }
            return all;
        }
    }

    private Driven NewGroup(params string[] others)
    {
        var driven = new Driven(new GroupCore(G, Settings), _t0);
        driven.Run(driven.Core.Recovered(_t0));
        driven.AckAll(driven.Handle(new CreateGroup(G, "ann", "Team", others)));
        return driven;
    }

    [Fact]
    public void A_membership_answer_comes_once_every_concerned_copy_is_durable()
    {
        var group = new Driven(new GroupCore(G, Settings), _t0);
        var fx = group.Handle(new CreateGroup(G, "ann", "Team", ["bob", "cid"]));
        var copies = Copies(fx);
        Assert.Equal(["ann", "bob", "cid"], To(fx));
        Assert.Empty(RepliesTo(fx, "edge"));

        Assert.Empty(RepliesTo(group.Ack(copies[0].Message, "ann"), "edge"));
        Assert.Empty(RepliesTo(group.Ack(copies[0].Message, "bob"), "edge"));
        var view = Assert.IsType<GroupReplies.GroupView>(RepliesTo(group.Ack(copies[0].Message, "cid"), "edge").Single());

        Assert.Equal((G, "Team", _t0), (view.ConversationId, view.Name, view.CreatedAt));
        Assert.Equal(["ann", "bob", "cid"], view.Members.Select(m => m.UserId));
        Assert.Equal(0, group.Core.FanOuts.Count);
    }

    [Fact]
    public void A_leaving_last_admin_is_answered_after_both_events_are_in_every_concerned_copy()
    {
        var group = NewGroup("bob", "cid");

        var fx = group.Handle(new RemoveMember(G, "ann", "ann"));
        var copies = Copies(fx);

        Assert.Equal(["ann", "bob", "bob", "cid", "cid"], copies.Select(c => c.UserId).Order());
        foreach (var copy in copies.Where(c => c.Message.Kind == MessageKinds.MemberLeft))
            Assert.Empty(RepliesTo(group.Ack(copy.Message, copy.UserId), "edge"));
        var answers = copies.Where(c => c.Message.Kind == MessageKinds.AdminAdded)
            .SelectMany(c => RepliesTo(group.Ack(c.Message, c.UserId), "edge")).ToArray();
        var view = Assert.IsType<GroupReplies.GroupView>(Assert.Single(answers));
        Assert.Equal([("bob", GroupRoles.Admin), ("cid", GroupRoles.Member)], view.Members.Select(m => (m.UserId, m.Role)));
    }

    [Fact]
    public void A_no_op_is_answered_at_once_and_stores_nothing()
    {
        var group = NewGroup("bob");

        var fx = group.Handle(new AddMember(G, "ann", "bob"));

        Assert.Empty(fx.OfType<GroupEffect.Persist>());
        Assert.IsType<GroupReplies.GroupView>(RepliesTo(fx, "edge").Single());
    }

    [Fact]
    public void A_refused_send_goes_back_to_the_senders_inbox_with_its_key()
    {
        var group = NewGroup("bob");
        var key = Guid.NewGuid();

        var fx = group.Handle(new PostMessage(G, "zed", key, "hi", _t0, 0), "zed-inbox");

        var refused = Assert.IsType<UserReplies.Rejected>(RepliesTo(fx, "zed-inbox").Single());
        Assert.Equal((ErrorCodes.Forbidden, (Guid?)key), (refused.Code, refused.ClientMessageId));
    }

    [Fact]
    public void Membership_changes_and_sends_are_one_sequence_so_each_copy_is_one_cut()
    {
        var group = NewGroup("bob");

        var before = Copies(group.Handle(new PostMessage(G, "bob", Guid.NewGuid(), "before", _t0, 0), "bob"));
        var add = Copies(group.Handle(new AddMember(G, "ann", "cid")));
        var after = Copies(group.Handle(new PostMessage(G, "bob", Guid.NewGuid(), "after", _t0, 0), "bob"));
        var remove = Copies(group.Handle(new RemoveMember(G, "ann", "cid")));
        var last = Copies(group.Handle(new PostMessage(G, "bob", Guid.NewGuid(), "last", _t0, 0), "bob"));

        // Others first (the sender's copy comes once they ack): who is asked shows the recipients fixed at stamp time.
        Assert.Equal(["ann"], before.Select(c => c.UserId));
        Assert.Equal(["ann", "bob", "cid"], add.Select(c => c.UserId).Order());
        Assert.Equal(["ann", "cid"], after.Select(c => c.UserId).Order());
        Assert.Equal(["ann", "bob", "cid"], remove.Select(c => c.UserId).Order());
        Assert.Equal(["ann"], last.Select(c => c.UserId));
        var orders = new[] { before, add, after, remove, last }.Select(c => c[0].Message.Order).ToArray();
        Assert.Equal(orders.Order(StringComparer.Ordinal), orders);
    }

    [Fact]
    public void A_member_without_an_inbox_is_dropped_from_the_fan_out()
    {
        var group = NewGroup("bob", "cid");
        var fx = group.Handle(new PostMessage(G, "bob", Guid.NewGuid(), "hi", _t0, 0), "bob");
        var message = Copies(fx)[0].Message;
        group.Ack(message, "ann");

        var next = group.Run(group.Core.MemberRefused("cid",
            new UserReplies.Rejected(ErrorCodes.NotFound, "no such user", message.ClientMessageId), _t0));

        Assert.Equal(["bob"], To(next));
    }

    [Fact]
    public void Finished_fan_outs_are_written_in_batches_while_one_write_is_in_flight()
    {
        var core = new GroupCore(G, Settings);
        var group = new Driven(core, _t0);
        group.AckAll(group.Handle(new CreateGroup(G, "ann", "Team", ["bob"])));
        var one = Copies(group.Handle(new PostMessage(G, "bob", Guid.NewGuid(), "1", _t0, 0), "bob"))[0].Message;
        var two = Copies(group.Handle(new PostMessage(G, "bob", Guid.NewGuid(), "2", _t0, 0), "bob"))[0].Message;

        // Acks handled without the journal answering: the first completion writes, the second waits for it.
        core.Handle(new GroupCopyStored(G, "ann", one.MessageId), "ann", _t0);
        var first = core.Handle(new GroupCopyStored(G, "bob", one.MessageId), "bob", _t0).OfType<GroupEffect.Persist>().Single();
        core.Handle(new GroupCopyStored(G, "ann", two.MessageId), "ann", _t0);
        Assert.Empty(core.Handle(new GroupCopyStored(G, "bob", two.MessageId), "bob", _t0).OfType<GroupEffect.Persist>());
        var second = core.Persisted(first.Event, _t0).OfType<GroupEffect.Persist>().Single();

        Assert.Equal([one.MessageId], Assert.IsType<FanOutsDone>(first.Event).MessageIds);
        Assert.Equal([two.MessageId], Assert.IsType<FanOutsDone>(second.Event).MessageIds);
        core.Persisted(second.Event, _t0);
        Assert.True(core.Idle);
    }

    [Fact]
    public void A_recovered_group_resumes_every_unfinished_fan_out()
    {
        var group = NewGroup("bob", "cid");
        var fx = group.Handle(new PostMessage(G, "bob", Guid.NewGuid(), "owed", _t0, 0), "bob");
        var message = Copies(fx)[0].Message;
        group.Ack(message, "ann");

        var recovered = new GroupCore(G, Settings);
        recovered.Restore(group.Core.Durable.ToSnapshot());
        var resumed = recovered.Recovered(_t0);

        // Per-member acks are not persisted: every other copy is asked again (inboxes dedupe), the sender's last.
        Assert.Equal(["ann", "cid"], To(resumed));
        Assert.All(Copies(resumed), c => Assert.Equal(message, c.Message));
    }

    [Fact]
    public void Edges_still_waiting_when_the_group_stops_hear_unavailable()
    {
        var group = new Driven(new GroupCore(G, Settings), _t0);
        group.Handle(new CreateGroup(G, "ann", "Team", ["bob"]), "creator");

        var answer = Assert.IsType<UserReplies.Rejected>(RepliesTo(group.Core.Stopped(), "creator").Single());

        Assert.Equal(ErrorCodes.Unavailable, answer.Code);
        Assert.Empty(group.Core.Stopped());
    }

    [Fact]
    public void A_send_that_cannot_reach_the_groups_storage_ends_at_once_for_its_sender()
    {
        var key = Guid.NewGuid();

        var answer = GroupCore.UnavailableFor(new PostMessage(G, "ann", key, "hi", _t0, 0), asked: false);

        Assert.True(Messenger.Node.Inbox.StorageUnavailable.Is(answer!));
        Assert.Equal(key, answer!.ClientMessageId);
        Assert.Null(GroupCore.UnavailableFor(new GroupCopyStored(G, "bob", key), asked: false));
        Assert.NotNull(GroupCore.UnavailableFor(new GetGroup(G, "bob"), asked: true));
    }
}
