using Messenger.Messages.Chat;
using Messenger.Web.Api;

namespace Messenger.Tests.Groups.Api;

/// <summary>The edge's shape checks of group requests and group sends, without a server.</summary>
public sealed class GroupRequestSpecs
{
    [Theory]
    [InlineData("Book club")]
    [InlineData("x")]
    [InlineData("Ünïcødé 🎉 group")]
    public void Names_of_1_to_100_characters_are_accepted(string name) => Assert.Null(GroupRequests.NameProblem(name));

    [Fact]
    public void Characters_are_counted_as_a_browser_counts_them_so_100_fit_and_101_do_not()
    {
        Assert.Null(GroupRequests.NameProblem(new string('a', 100)));
        Assert.NotNull(GroupRequests.NameProblem(new string('a', 101)));
        // An emoji outside the BMP is two UTF-16 code units, as JavaScript's name.length counts it.
        Assert.Null(GroupRequests.NameProblem(string.Concat(Enumerable.Repeat("🎉", 50))));
        Assert.NotNull(GroupRequests.NameProblem(string.Concat(Enumerable.Repeat("🎉", 51))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two\nlines")]
    [InlineData("tab\tbed")]
    public void Missing_blank_and_control_character_names_are_refused(string? name) => Assert.NotNull(GroupRequests.NameProblem(name));

    [Fact]
    public void The_callers_own_id_and_repeats_are_dropped_and_ids_are_normalised_in_the_order_given()
    {
        var (others, problem) = GroupRequests.Others("alice", ["Bob", "alice", "carol", "bob", " CAROL "]);
        Assert.Null(problem);
        Assert.Equal(["bob", "carol"], others);
    }

    [Fact]
    public void A_list_naming_nobody_else_is_refused()
    {
        Assert.NotNull(GroupRequests.Others("alice", []).Problem);
        Assert.NotNull(GroupRequests.Others("alice", ["alice", "ALICE"]).Problem);
        Assert.NotNull(GroupRequests.Others("alice", null).Problem);
    }

    [Fact]
    public void At_most_255_others_make_a_group_of_256()
    {
        var names = Enumerable.Range(0, 256).Select(i => $"user{i:000}").ToList();
        Assert.Equal(255, GroupRequests.Others("alice", names.Take(255).ToList()).Others!.Count);
        // The caller's own id among them does not count.
        Assert.Equal(255, GroupRequests.Others("user000", names).Others!.Count);
        Assert.NotNull(GroupRequests.Others("alice", names).Problem);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("has space")]
    [InlineData("grp:abc")]
    [InlineData(null)]
    public void Ids_that_cannot_be_user_ids_are_refused(string? id)
    {
        Assert.NotNull(GroupRequests.Others("alice", ["bob", id]).Problem);
        Assert.NotNull(GroupRequests.Member(id).Problem);
    }

    [Fact]
    public void A_send_to_a_group_id_keeps_it_as_is_and_one_that_cannot_be_a_group_is_forbidden()
    {
        var group = ConversationId.NewGroup();
        Assert.True(ConversationId.IsGroup(group));
        var (send, code, _) = SendValidation.Validate("alice", Guid.NewGuid().ToString(), group, "hi");
        Assert.Null(code);
        Assert.Equal(group, send!.Value.To);

        foreach (var bad in new[] { "grp:", "grp:has space", "grp:" + new string('a', 65), "grp:dots.not.allowed" })
            Assert.Equal(ErrorCodes.Forbidden, SendValidation.Validate("alice", Guid.NewGuid().ToString(), bad, "hi").Code);
        // Still a user name when it does not start with the group prefix.
        Assert.Equal("bob", SendValidation.Validate("alice", Guid.NewGuid().ToString(), "Bob", "hi").Send!.Value.To);
    }
}
