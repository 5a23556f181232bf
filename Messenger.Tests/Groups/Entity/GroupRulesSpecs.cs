using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Node.Groups;
using Messenger.Node.Inbox;
using static Messenger.Messages.Groups.GroupCommands;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Node.Groups.GroupDecision;

namespace Messenger.Tests.Groups.Entity;

/// <summary>Who may do what in a group (API.md "Groups"): <see cref="GroupRules"/> driven on a <see cref="GroupState"/>
/// without an actor system; each accepted change is applied to the state as the entity does.</summary>
public sealed partial class GroupRulesSpecs
{
    private const string G = "grp:spec";
    private readonly DateTime _now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly GroupState _group = new(G);

    private GroupDecision Decide(object command) => GroupRules.Decide(_group, command, _now);

    /// <summary>Decides and applies an accepted change; returns its events.</summary>
    private IReadOnlyList<MessageStamped> Change(object command)
    {
        var changed = Assert.IsType<Changed>(Decide(command));
        foreach (var e in changed.Events) _group.Apply(e);
        return changed.Events;
    }

    private void Refused(object command, string code) => Assert.Equal(code, Assert.IsType<Refused>(Decide(command)).Code);

    private void Created(params string[] others) => Change(new CreateGroup(G, "ann", "Team", others));

    private static string[] Ids(GroupRoster roster) => roster.Members.Select(m => m.UserId).ToArray();

    [Fact]
    public void Creating_makes_the_caller_the_first_admin_and_the_others_members_in_their_order()
    {
        var created = Change(new CreateGroup(G, "ann", "Team", ["bob", "ann", "cid", "bob"])).Single();

        var m = created.Message;
        Assert.Equal(MessageKinds.GroupCreated, m.Kind);
        Assert.Equal(("ann", G, G, "Team", (string?)null), (m.From, m.To, m.ConversationId, m.Body, m.Subject));
        Assert.Equal([new("ann", GroupRoles.Admin, 1), new("bob", GroupRoles.Member, 2), new("cid", GroupRoles.Member, 3)],
            m.Roster!.Members);
        Assert.Equal(["ann", "bob", "cid"], created.Recipients);
        Assert.Equal(_now, _group.View().CreatedAt);
        Assert.True(ConversationOrder.IsValid(m.Order));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_name_is_refused(string name) =>
        Refused(new CreateGroup(G, "ann", name, ["bob"]), ErrorCodes.InvalidRequest);

    [Fact]
    public void A_name_is_1_to_100_characters()
    {
        Refused(new CreateGroup(G, "ann", new string('n', 101), ["bob"]), ErrorCodes.InvalidRequest);
        Change(new CreateGroup(G, "ann", new string('n', 100), ["bob"]));
        Change(new RenameGroup(G, "ann", "x"));
        Assert.Equal("x", _group.Name);
    }

    [Fact]
    public void A_group_needs_another_member_and_at_most_255_others()
    {
        Refused(new CreateGroup(G, "ann", "Team", []), ErrorCodes.InvalidRequest);
        Refused(new CreateGroup(G, "ann", "Team", ["ann"]), ErrorCodes.InvalidRequest);
        Refused(new CreateGroup(G, "ann", "Team", Users(256)), ErrorCodes.InvalidRequest);

        Change(new CreateGroup(G, "ann", "Team", Users(255)));
        Assert.Equal(256, _group.Members.Count);
    }

    [Fact]
    public void The_257th_member_is_refused_and_a_256th_accepted()
    {
        Change(new CreateGroup(G, "ann", "Team", Users(254)));

        Change(new AddMember(G, "ann", "last"));
        Refused(new AddMember(G, "ann", "onemore"), ErrorCodes.InvalidRequest);
        Assert.Equal(256, _group.Members.Count);
    }

    [Fact]
    public void The_creators_retry_is_answered_and_anyone_elses_create_on_the_id_is_refused()
    {
        Created("bob");

        Assert.IsType<Unchanged>(Decide(new CreateGroup(G, "ann", "Team", ["bob"])));
        Refused(new CreateGroup(G, "bob", "Mine", ["ann"]), ErrorCodes.InvalidRequest);
    }

    [Fact]
    public void An_admin_adds_a_member_whose_copy_starts_with_that_event_and_adding_again_stores_nothing()
    {
        Created("bob");

        var added = Change(new AddMember(G, "ann", "cid")).Single();

        Assert.Equal((MessageKinds.MemberAdded, "ann", "cid", ""), (added.Message.Kind, added.Message.From, added.Message.Subject, added.Message.Body));
        Assert.Equal(["ann", "bob", "cid"], added.Recipients);
        Assert.Equal(new GroupMember("cid", GroupRoles.Member, 3), added.Message.Roster!.Members[^1]);
        Assert.IsType<Unchanged>(Decide(new AddMember(G, "ann", "cid")));
    }

    [Fact]
    public void Admin_actions_of_a_member_are_forbidden_and_of_a_non_member_not_found()
    {
        Created("bob");

        Refused(new AddMember(G, "bob", "cid"), ErrorCodes.Forbidden);
        Refused(new RenameGroup(G, "bob", "New"), ErrorCodes.Forbidden);
        Refused(new MakeAdmin(G, "bob", "bob"), ErrorCodes.Forbidden);
        Refused(new RemoveMember(G, "bob", "ann"), ErrorCodes.Forbidden);
        Refused(new AddMember(G, "zed", "cid"), ErrorCodes.NotFound);
        Refused(new RenameGroup(G, "zed", "New"), ErrorCodes.NotFound);
        Refused(new RemoveMember(G, "zed", "zed"), ErrorCodes.NotFound);
        Refused(new GetGroup(G, "zed"), ErrorCodes.NotFound);
        Assert.IsType<Unchanged>(Decide(new GetGroup(G, "bob")));
    }

    [Fact]
    public void A_group_never_created_is_not_found_and_refuses_sends()
    {
        Refused(new GetGroup(G, "ann"), ErrorCodes.NotFound);
        Refused(new AddMember(G, "ann", "bob"), ErrorCodes.NotFound);
        Refused(Post("ann", Guid.NewGuid(), "hi"), ErrorCodes.Forbidden);
    }

    [Fact]
    public void Removing_concerns_everyone_before_so_the_removed_member_gets_the_event_that_removed_them()
    {
        Created("bob", "cid");

        var removed = Change(new RemoveMember(G, "ann", "cid")).Single();

        Assert.Equal((MessageKinds.MemberRemoved, "ann", "cid"), (removed.Message.Kind, removed.Message.From, removed.Message.Subject));
        Assert.Equal(["ann", "bob", "cid"], removed.Recipients);
        Assert.Equal(["ann", "bob"], Ids(removed.Message.Roster!));
        Refused(new GetGroup(G, "cid"), ErrorCodes.NotFound);
        Refused(Post("cid", Guid.NewGuid(), "hi"), ErrorCodes.Forbidden);
        Refused(new RemoveMember(G, "ann", "cid"), ErrorCodes.NotFound);
        Refused(new MakeAdmin(G, "ann", "cid"), ErrorCodes.NotFound);
    }

    [Fact]
    public void A_member_leaves_by_removing_themself()
    {
        Created("bob", "cid");

        var left = Change(new RemoveMember(G, "bob", "bob")).Single();

        Assert.Equal((MessageKinds.MemberLeft, "bob", "bob"), (left.Message.Kind, left.Message.From, left.Message.Subject));
        Assert.Equal(["ann", "bob", "cid"], left.Recipients);
        Assert.Equal(["ann", "cid"], _group.Members.Select(m => m.UserId));
    }

    [Fact]
    public void When_the_last_admin_leaves_the_earliest_joined_member_becomes_admin_in_a_second_event()
    {
        Created("bob", "cid");
        Change(new RemoveMember(G, "ann", "bob"));
        Change(new AddMember(G, "ann", "bob"));

        var events = Change(new RemoveMember(G, "ann", "ann"));

        Assert.Equal([MessageKinds.MemberLeft, MessageKinds.AdminAdded], events.Select(e => e.Message.Kind));
        var promoted = events[1];
        Assert.Equal(("ann", "cid"), (promoted.Message.From, promoted.Message.Subject));
        Assert.Equal(["cid", "bob"], promoted.Recipients);
        Assert.True(string.CompareOrdinal(events[0].Message.Order, promoted.Message.Order) < 0);
        Assert.True(_group.IsAdmin("cid"));
        Assert.False(_group.IsAdmin("bob"));
    }

    [Fact]
    public void Joined_ties_go_to_the_lowest_user_id()
    {
        _group.Restore(new GroupSnapshots.GroupSnapshot(G, true, false, "Team", _now, "ann",
            [new("ann", GroupRoles.Admin, 1), new("zoe", GroupRoles.Member, 2), new("max", GroupRoles.Member, 2)], 3, 0, [], []));

        var events = Change(new RemoveMember(G, "ann", "ann"));

        Assert.Equal("max", events[1].Message.Subject);
    }

    [Fact]
    public void Another_admin_remaining_means_no_promotion()
    {
        Created("bob", "cid");
        Change(new MakeAdmin(G, "ann", "cid"));

        var events = Change(new RemoveMember(G, "ann", "ann"));

        Assert.Single(events);
        Assert.True(_group.IsAdmin("cid"));
    }

    [Fact]
    public void When_the_last_member_leaves_the_group_is_closed_for_everyone()
    {
        Created("bob");
        Change(new RemoveMember(G, "ann", "bob"));

        var last = Change(new RemoveMember(G, "ann", "ann")).Single();

        Assert.Equal(["ann"], last.Recipients);
        Assert.Empty(last.Message.Roster!.Members);
        Assert.True(_group.Closed);
        Refused(new GetGroup(G, "ann"), ErrorCodes.NotFound);
        Refused(new AddMember(G, "ann", "bob"), ErrorCodes.NotFound);
        Refused(new CreateGroup(G, "ann", "Again", ["bob"]), ErrorCodes.NotFound);
        Refused(Post("ann", Guid.NewGuid(), "hi"), ErrorCodes.Forbidden);
    }

    [Fact]
    public void Making_an_admin_stores_an_event_once_and_a_non_member_is_not_found()
    {
        Created("bob");

        var made = Change(new MakeAdmin(G, "ann", "bob")).Single();

        Assert.Equal((MessageKinds.AdminAdded, "ann", "bob"), (made.Message.Kind, made.Message.From, made.Message.Subject));
        Assert.IsType<Unchanged>(Decide(new MakeAdmin(G, "ann", "bob")));
        Refused(new MakeAdmin(G, "ann", "zed"), ErrorCodes.NotFound);
        Change(new AddMember(G, "bob", "cid"));
    }

    [Fact]
    public void Renaming_carries_the_name_in_the_body_and_the_same_name_again_stores_nothing()
    {
        Created("bob");

        var renamed = Change(new RenameGroup(G, "ann", "Renamed")).Single();

        Assert.Equal((MessageKinds.GroupRenamed, "Renamed", (string?)null), (renamed.Message.Kind, renamed.Message.Body, renamed.Message.Subject));
        Assert.Equal(["ann", "bob"], renamed.Recipients);
        Assert.IsType<Unchanged>(Decide(new RenameGroup(G, "ann", "Renamed")));
        Refused(new RenameGroup(G, "ann", ""), ErrorCodes.InvalidRequest);
    }

    private static string[] Users(int n) => Enumerable.Range(1, n).Select(i => $"user{i:000}").ToArray();
}
