using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Xunit.Abstractions;
using static Messenger.Messages.Groups.GroupCommands;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// The group entity end to end through real member inboxes: membership answers, the fan-out saga (receivers first,
/// the sender last) and its failures: a restart mid fan-out, a member unreachable for one message, the sender's inbox
/// crashing between the phases. Groups here passivate after the default idle time (2 minutes).
/// </summary>
public sealed class GroupChatSpecs(ITestOutputHelper output) : GroupChatSpecBase(output)
{
    [Fact]
    public async Task A_created_group_and_its_messages_are_in_every_members_copy_alike()
    {
        var (ann, bob, cid) = Three(await UsersAsync("ann", "bob", "cid"));

        var view = await CreateAsync(ann, bob, cid);
        var sent = await SentAsync(bob, view.ConversationId, "hello group");

        Assert.Equal([(ann, GroupRoles.Admin), (bob, GroupRoles.Member), (cid, GroupRoles.Member)],
            view.Members.Select(m => (m.UserId, m.Role)));
        Assert.Equal((bob, view.ConversationId, view.ConversationId), (sent.From, sent.To, sent.ConversationId));
        var copies = await Task.WhenAll(new[] { ann, bob, cid }.Select(u => CopyAsync(u, view.ConversationId)));
        Assert.All(copies, copy => Assert.Equal([MessageKinds.GroupCreated, null], copy.Select(m => m.Kind)));
        Assert.All(copies, copy => Assert.Equal(sent, copy[1]));
        Assert.All(copies, copy => Assert.Equal(copies[0][0], copy[0]));
    }

    [Fact]
    public async Task Membership_answers_and_refusals_come_from_the_entity()
    {
        var (ann, bob, cid) = Three(await UsersAsync("ann", "bob", "cid"));
        var g = (await CreateAsync(ann, bob)).ConversationId;

        Assert.Equal(ErrorCodes.Forbidden, Refused(await AskAsync(new AddMember(g, bob, cid))));
        Assert.Equal(ErrorCodes.NotFound, Refused(await AskAsync(new GetGroup(g, cid))));
        var added = Assert.IsType<GroupReplies.GroupView>(await AskAsync(new AddMember(g, ann, cid)));
        Assert.Equal([ann, bob, cid], added.Members.Select(m => m.UserId));
        Assert.Equal(added, await AskAsync(new AddMember(g, ann, cid)));
        Assert.Equal(added, await AskAsync(new GetGroup(g, cid)));

        await AskAsync(new RemoveMember(g, ann, bob));
        Assert.Equal(ErrorCodes.Forbidden, Refused(await SendAsync(bob, g, "still here?")));
        Assert.Equal(ErrorCodes.NotFound, Refused(await AskAsync(new GetGroup(g, bob))));

        var left = Assert.IsType<GroupReplies.GroupView>(await AskAsync(new RemoveMember(g, ann, ann)));
        Assert.Equal([(cid, GroupRoles.Admin)], left.Members.Select(m => (m.UserId, m.Role)));
        await AskAsync(new RemoveMember(g, cid, cid));
        Assert.Equal(ErrorCodes.NotFound, Refused(await AskAsync(new GetGroup(g, cid))));
        Assert.Equal(ErrorCodes.Forbidden, Refused(await SendAsync(cid, g, "closed")));

        // The removed member keeps their copy up to the event that removed them.
        var bobs = await CopyAsync(bob, g);
        Assert.Equal([MessageKinds.GroupCreated, MessageKinds.MemberAdded, MessageKinds.MemberRemoved], bobs.Select(m => m.Kind));
        var cids = await CopyAsync(cid, g);
        Assert.Equal([MessageKinds.MemberAdded, MessageKinds.MemberRemoved, MessageKinds.MemberLeft, MessageKinds.AdminAdded,
            MessageKinds.MemberLeft], cids.Select(m => m.Kind));
    }

    [Fact]
    public async Task A_group_crashed_mid_fan_out_resumes_it_by_itself_and_the_message_is_stored_once_everywhere()
    {
        var (ann, bob, cid) = Three(await UsersAsync("ann", "bob", "cid"));
        var g = (await CreateAsync(ann, bob, cid)).ConversationId;
        var dropped = CreateTestProbe();
        Sys.EventStream.Subscribe(dropped.Ref, typeof(LocalGroupChats.CopyDropped));
        await DropCopiesAsync(cid);
        var key = Guid.NewGuid();

        var first = SendAsync(ann, g, "owed", key);
        dropped.ExpectMsg<LocalGroupChats.CopyDropped>(Wait);
        await CrashAsync(g);
        await DeliverCopiesAsync(cid);

        // The first answer may be unavailable (the deadline can pass during the crash); a retry converges.
        var answer = await first;
        if (answer is UserReplies.Rejected r) Assert.Equal(ErrorCodes.Unavailable, r.Code);
        var sent = await SentAsync(ann, g, "owed", key);
        await AwaitAssertAsync(async () =>
        {
            foreach (var user in new[] { ann, bob, cid })
                Assert.Single(await CopyAsync(user, g), m => m.ClientMessageId == key && m == sent);
        }, Wait);
    }

    [Fact]
    public async Task A_member_unreachable_for_one_message_delays_only_that_messages_sent()
    {
        var (ann, bob, cid) = Three(await UsersAsync("ann", "bob", "cid"));
        var g = (await CreateAsync(ann, bob, cid)).ConversationId;
        var dropped = CreateTestProbe();
        Sys.EventStream.Subscribe(dropped.Ref, typeof(LocalGroupChats.CopyDropped));
        await DropCopiesAsync(cid, "slow");
        var slowKey = Guid.NewGuid();

        var slow = SendAsync(ann, g, "slow", slowKey);
        dropped.ExpectMsg<LocalGroupChats.CopyDropped>(Wait);
        var fast = await SentAsync(bob, g, "fast");
        var later = await SentAsync(ann, g, "later");

        Assert.Equal(ErrorCodes.Unavailable, Refused(await slow));
        await DeliverCopiesAsync(cid);
        var converged = await SentAsync(ann, g, "slow", slowKey);
        Assert.True(string.CompareOrdinal(converged.Order, fast.Order) < 0, "the slow message was stamped first");
        var copies = await Task.WhenAll(new[] { ann, bob, cid }.Select(u => CopyAsync(u, g)));
        Assert.All(copies, copy => Assert.Equal(copies[0], copy));
        Assert.Equal([converged, fast, later], copies[0].Where(m => m.Kind is null));
    }

    [Fact]
    public async Task The_sender_crashing_between_the_phases_still_gets_its_copy()
    {
        var (ann, bob, cid) = Three(await UsersAsync("ann", "bob", "cid"));
        var g = (await CreateAsync(ann, bob, cid)).ConversationId;
        var dropped = CreateTestProbe();
        Sys.EventStream.Subscribe(dropped.Ref, typeof(LocalGroupChats.CopyDropped));
        await DropCopiesAsync(cid);
        var key = Guid.NewGuid();
        var client = CreateTestProbe();

        Regions.Tell(new UserCommands.SendMessage(ann, key, g, "between phases"), client.Ref);
        dropped.ExpectMsg<LocalGroupChats.CopyDropped>(Wait);
        await CrashAsync(ann);
        await DeliverCopiesAsync(cid);

        // Nobody asks ann's inbox again: the group's fan-out reaches it on its own, once cid's copy is durable.
        await AwaitAssertAsync(async () =>
            Assert.Single(await CopyAsync(ann, g), m => m.ClientMessageId == key), Wait);
        var copies = await Task.WhenAll(new[] { ann, bob, cid }.Select(u => CopyAsync(u, g)));
        Assert.All(copies, copy => Assert.Equal(copies[0], copy));
        Assert.Equal(copies[0][^1], await SentAsync(ann, g, "between phases", key));
    }

    [Fact]
    public async Task A_restarted_group_recovers_its_members_and_clock_from_snapshot_and_events()
    {
        var (ann, bob, cid) = Three(await UsersAsync("ann", "bob", "cid"));
        var g = (await CreateAsync(ann, bob)).ConversationId;
        ChatMessage last = null!;
        for (var i = 0; i < 7; i++) last = await SentAsync(i % 2 == 0 ? ann : bob, g, $"m{i}");
        await AskAsync(new AddMember(g, ann, cid));
        await AskAsync(new MakeAdmin(g, ann, cid));
        var before = Assert.IsType<GroupReplies.GroupView>(await AskAsync(new GetGroup(g, ann)));

        await CrashAsync(g);

        Assert.Equal(before, await AskAsync(new GetGroup(g, ann)));
        var after = await SentAsync(cid, g, "after the restart");
        Assert.True(string.CompareOrdinal(after.Order, last.Order) > 0);
        Assert.Equal(ErrorCodes.InvalidRequest, Refused(await AskAsync(new CreateGroup(g, bob, "Taken", [ann]))));
    }

    [Fact]
    public async Task A_group_that_does_not_exist_or_was_closed_passivates_as_soon_as_it_has_answered()
    {
        var users = await UsersAsync("ann", "bob");
        var (ann, bob) = (users[0], users[1]);
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(LocalGroupChats.Passivated));
        var unknown = ConversationId.NewGroup();

        Assert.Equal(ErrorCodes.NotFound, Assert.IsType<UserReplies.Rejected>(await AskAsync(new GetGroup(unknown, ann))).Code);
        events.FishForMessage<LocalGroupChats.Passivated>(p => p.EntityId == unknown, Wait);

        var g = (await CreateAsync(ann, bob)).ConversationId;
        await AskAsync(new RemoveMember(g, ann, bob));
        await AskAsync(new RemoveMember(g, ann, ann));
        events.FishForMessage<LocalGroupChats.Passivated>(p => p.EntityId == g, Wait);
        Assert.Equal(ErrorCodes.NotFound, Assert.IsType<UserReplies.Rejected>(await AskAsync(new GetGroup(g, ann))).Code);
    }

    private static string Refused(object answer) => Assert.IsType<UserReplies.Rejected>(answer).Code;

    private static (string, string, string) Three(string[] users) => (users[0], users[1], users[2]);
}
