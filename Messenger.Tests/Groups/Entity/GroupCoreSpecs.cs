using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Groups;
using static Messenger.Messages.Groups.GroupCommands;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Messages.Users.UserCommands;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// The group core (<see cref="GroupCore"/>): decisions, persistence outcomes and member acks fed back by hand, without
/// an actor system; reply targets are strings standing for the askers.
/// </summary>
public sealed class GroupCoreSpecs
{
    private const string G = "grp:core";
    private static readonly GroupSettings Settings = new();
    private readonly DateTime _t0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static StoreGroupCopy[] Copies(IEnumerable<GroupEffect> fx) =>
        fx.OfType<GroupEffect.ToInbox>().Select(t => t.Message).Cast<StoreGroupCopy>().ToArray();

    private static string[] To(IEnumerable<GroupEffect> fx) => Copies(fx).Select(c => c.UserId).Order().ToArray();

    private static object[] RepliesTo(IEnumerable<GroupEffect> fx, string to) =>
        fx.OfType<GroupEffect.Reply>().Where(r => Equals(r.To, to)).Select(r => r.Message).ToArray();

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
