using System.Net;
using System.Net.Http.Json;
using System.Text;
using Messenger.Messages.Chat;
using Messenger.Tests.Infrastructure;
using static Messenger.Tests.Groups.Api.GroupCalls;

namespace Messenger.Tests.Groups.Api;

/// <summary>API.md v2 "Groups" over real HTTP: every endpoint's success and every error a client can cause.</summary>
public sealed class GroupEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    [Fact]
    public async Task Create_answers_201_with_the_caller_as_admin_and_drops_the_callers_id_and_repeats()
    {
        var (alice, bob, carol) = await ThreeAsync();
        var (status, group) = await alice.CreateGroupRawAsync(new
        {
            name = "Book club",
            members = new[] { bob.UserId.ToUpperInvariant(), alice.UserId, carol.UserId, bob.UserId },
        });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(ConversationId.IsGroup(IdOf(group!)), IdOf(group!));
        Assert.Equal("Book club", (string?)group!["name"]);
        Assert.True(DateTime.UtcNow - DateTime.Parse((string)group["createdAt"]!).ToUniversalTime() < TimeSpan.FromMinutes(5));
        Assert.Equal(new Dictionary<string, string>
        {
            [alice.UserId] = "admin", [bob.UserId] = "member", [carol.UserId] = "member",
        }, Roles(group));
        Assert.Equal(3, group["members"]!.AsArray().Count);

        // Every member sees the same group; two creations are two groups.
        Assert.Equal(group.ToJsonString(), Ok(await carol.GetGroupAsync(IdOf(group))).ToJsonString());
        Assert.NotEqual(IdOf(group), IdOf(await alice.CreateGroupAsync("Book club", bob)));
    }

    [Fact]
    public async Task Create_refuses_bad_names_and_member_lists_with_400_and_unknown_users_with_404()
    {
        var (alice, bob, _) = await ThreeAsync();
        foreach (var body in new object[]
                 {
                     new { name = "", members = new[] { bob.UserId } },
                     new { name = new string('n', 101), members = new[] { bob.UserId } },
                     new { name = "   ", members = new[] { bob.UserId } },
                     new { members = new[] { bob.UserId } },
                     new { name = "x", members = Array.Empty<string>() },
                     new { name = "x", members = new[] { alice.UserId } },
                     new { name = "x" },
                     new { name = "x", members = new[] { bob.UserId, "not a name" } },
                     new { name = "x", members = bob.UserId },
                     new { name = 7, members = new[] { bob.UserId } },
                 })
            Refused(await alice.CreateGroupRawAsync(body), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Refused(await alice.CreateGroupRawAsync(new StringContent("{not json", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        var unknown = ChatClient.NewName();
        var answer = await alice.CreateGroupRawAsync(new { name = "x", members = new[] { bob.UserId, unknown } });
        Refused(answer, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Contains(unknown, (string)answer.Body!["message"]!);
        // Nothing was created: bob's inbox holds no group.
        Assert.Empty((await bob.SyncAsync()).Events);
    }

    [Fact]
    public async Task Every_group_request_without_a_token_is_401()
    {
        var (alice, bob, _) = await ThreeAsync();
        var id = IdOf(await alice.CreateGroupAsync("Tokens", bob));
        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Post, "/api/groups", new { name = "x", members = new[] { bob.UserId } }),
                     (HttpMethod.Get, $"/api/groups/{id}", null),
                     (HttpMethod.Patch, $"/api/groups/{id}", new { name = "y" }),
                     (HttpMethod.Post, $"/api/groups/{id}/members", new { userId = bob.UserId }),
                     (HttpMethod.Delete, $"/api/groups/{id}/members/{bob.UserId}", null),
                     (HttpMethod.Post, $"/api/groups/{id}/admins", new { userId = bob.UserId }),
                 })
            Refused(await alice.CallAsync(method, path, body, withToken: false), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Equal(2, Ok(await alice.GetGroupAsync(id))["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task Get_is_for_members_only_and_every_malformed_or_unknown_group_id_is_404()
    {
        var (alice, bob, stranger) = await ThreeAsync();
        var id = IdOf(await alice.CreateGroupAsync("Members only", bob));
        Assert.Equal("Members only", (string?)Ok(await bob.GetGroupAsync(id))["name"]);
        // A client that percent-encodes the id's colon names the same group.
        Assert.Equal(id, (string?)Ok(await bob.GetGroupAsync(Uri.EscapeDataString(id)))["conversationId"]);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/api/conversations/{Uri.EscapeDataString(id)}/messages")).Status);
        Refused(await stranger.GetGroupAsync(id), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        foreach (var other in new[] { ConversationId.NewGroup(), "grp:", "grp:not%20valid", "nothing", ChatClient.Dm(alice.UserId, bob.UserId) })
        {
            Refused(await alice.GetGroupAsync(other), HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Refused(await alice.RenameGroupAsync(other, new { name = "y" }), HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Refused(await alice.AddMemberAsync(other, bob.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Refused(await alice.RemoveMemberAsync(other, bob.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Refused(await alice.MakeAdminAsync(other, bob.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }
    }

    [Fact]
    public async Task Rename_is_for_admins_403_for_members_404_for_strangers_and_400_for_bad_names()
    {
        var (alice, bob, stranger) = await ThreeAsync();
        var id = IdOf(await alice.CreateGroupAsync("Old name", bob));

        var renamed = Ok(await alice.RenameGroupAsync(id, new { name = "New name" }));
        Assert.Equal("New name", (string?)renamed["name"]);
        Assert.Equal("New name", (string?)Ok(await bob.GetGroupAsync(id))["name"]);
        Refused(await bob.RenameGroupAsync(id, new { name = "Mine now" }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Refused(await stranger.RenameGroupAsync(id, new { name = "Hijacked" }), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        foreach (var body in new object[] { new { name = "" }, new { name = new string('n', 101) }, new { title = "x" }, new { name = 3 } })
            Refused(await alice.RenameGroupAsync(id, body), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.Equal("New name", (string?)Ok(await alice.GetGroupAsync(id))["name"]);
    }

    [Fact]
    public async Task Add_member_is_for_admins_and_adding_again_changes_nothing()
    {
        var (alice, bob, carol) = await ThreeAsync();
        using var dave = await ChatClient.SignUpAsync(Url);
        using var stranger = await ChatClient.SignUpAsync(Url);
        var id = IdOf(await alice.CreateGroupAsync("Adders", bob));

        var added = Ok(await alice.AddMemberAsync(id, carol.UserId.ToUpperInvariant()));
        Assert.Equal("member", Roles(added)[carol.UserId]);
        Assert.Equal(new[] { alice.UserId, bob.UserId, carol.UserId }, added["members"]!.AsArray().Select(m => (string)m!["userId"]!));
        var carolSeq = (await carol.SyncAsync()).NextAfter;

        // Again: the same group, and no second event in anyone's copy.
        Assert.Equal(added.ToJsonString(), Ok(await alice.AddMemberAsync(id, carol.UserId)).ToJsonString());
        Assert.Equal(carolSeq, (await carol.SyncAsync()).NextAfter);

        Refused(await bob.AddMemberAsync(id, dave.UserId), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Refused(await stranger.AddMemberAsync(id, dave.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Refused(await alice.AddMemberAsync(id, ChatClient.NewName()), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        foreach (var body in new object[] { new { userId = "not a name" }, new { user = dave.UserId }, new { userId = 5 } })
            Refused(await alice.CallAsync(HttpMethod.Post, $"/api/groups/{id}/members", body), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.Equal(3, Ok(await alice.GetGroupAsync(id))["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task Admins_remove_anyone_members_remove_only_themselves_and_strangers_get_404()
    {
        var (alice, bob, carol) = await ThreeAsync();
        using var dave = await ChatClient.SignUpAsync(Url);
        using var stranger = await ChatClient.SignUpAsync(Url);
        var id = IdOf(await alice.CreateGroupAsync("Removers", bob, carol, dave));

        Refused(await bob.RemoveMemberAsync(id, carol.UserId), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Refused(await stranger.RemoveMemberAsync(id, carol.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Refused(await stranger.RemoveMemberAsync(id, stranger.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);

        var removed = Ok(await alice.RemoveMemberAsync(id, carol.UserId));
        Assert.DoesNotContain(carol.UserId, Roles(removed).Keys);
        var left = Ok(await bob.RemoveMemberAsync(id, bob.UserId));
        Assert.Equal(new[] { alice.UserId, dave.UserId }, left["members"]!.AsArray().Select(m => (string)m!["userId"]!));

        // Gone members are no members: removing them again, or anyone who never was, is 404.
        Refused(await alice.RemoveMemberAsync(id, carol.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Refused(await alice.RemoveMemberAsync(id, "not a name"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Refused(await bob.GetGroupAsync(id), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Refused(await carol.GetGroupAsync(id), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Make_admin_is_for_admins_an_admin_again_changes_nothing_and_a_non_member_is_404()
    {
        var (alice, bob, carol) = await ThreeAsync();
        using var stranger = await ChatClient.SignUpAsync(Url);
        var id = IdOf(await alice.CreateGroupAsync("Admins", bob, carol));

        Refused(await bob.MakeAdminAsync(id, carol.UserId), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        var promoted = Ok(await alice.MakeAdminAsync(id, bob.UserId));
        Assert.Equal("admin", Roles(promoted)[bob.UserId]);
        var bobSeq = (await bob.SyncAsync()).NextAfter;
        Assert.Equal(promoted.ToJsonString(), Ok(await alice.MakeAdminAsync(id, bob.UserId)).ToJsonString());
        Assert.Equal(bobSeq, (await bob.SyncAsync()).NextAfter);

        // The new admin can do admin things now.
        Assert.Equal("Renamed by bob", (string?)Ok(await bob.RenameGroupAsync(id, new { name = "Renamed by bob" }))["name"]);
        Refused(await alice.MakeAdminAsync(id, stranger.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Refused(await stranger.MakeAdminAsync(id, stranger.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Refused(await alice.MakeAdminAsync(id, "not a name"), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }

    private async Task<(ChatClient, ChatClient, ChatClient)> ThreeAsync()
    {
        var users = await UsersAsync(Url, 3);
        return (users[0], users[1], users[2]);
    }
}
