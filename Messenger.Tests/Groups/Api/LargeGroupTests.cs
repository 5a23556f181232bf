using System.Net;
using Messenger.Messages.Chat;
using Messenger.Tests.Infrastructure;
using static Messenger.Tests.Groups.Api.GroupCalls;

namespace Messenger.Tests.Groups.Api;

/// <summary>
/// The 256-member limit over HTTP, with 257 real accounts. The server takes sign-ups from one address without its
/// per-address limit and a send deadline long enough for a 256-copy fan-out on a busy test machine. It runs alone:
/// 258 accounts and 256 inbox activations in this process starved the specs that ran beside it (Ask timeouts).
/// </summary>
[Collection(LargeGroupCollection.Name)]
public sealed class LargeGroupTests : IAsyncLifetime
{
    private MessengerServer _server = null!;

    public async Task InitializeAsync() => _server = await MessengerServer.StartAsync(null,
        "--Messenger:SignIn:ClientBurst=100000", "--Messenger:SignIn:ClientPerMinute=100000",
        "--Messenger:Inbox:SendDeadlineSeconds=60");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_group_of_256_is_created_and_every_member_holds_it_but_a_257th_member_is_400()
    {
        var users = await UsersAsync(_server.BaseUrl, 258);
        var creator = users[0];
        var others = users.Skip(1).Take(255).ToArray();
        var extra = users[256];

        // 256 others (the creator would make 257) are refused before anything is stored.
        var tooMany = await creator.CreateGroupRawAsync(new { name = "Too many", members = users.Skip(1).Take(256).Select(u => u.UserId).ToArray() });
        Refused(tooMany, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        var group = await creator.CreateGroupAsync("Stadium", others);
        var id = IdOf(group);
        Assert.Equal(256, group["members"]!.AsArray().Count);
        foreach (var member in new[] { creator, others[0], others[127], others[254] })
            Assert.Equal("group_created", (string?)(await member.FullHistoryAsync(id)).Single()["kind"]);

        Refused(await creator.AddMemberAsync(id, extra.UserId), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.Equal(256, Ok(await creator.GetGroupAsync(id))["members"]!.AsArray().Count);
        Assert.Empty((await extra.SyncAsync()).Events);

        // One leaves: there is room for one more again.
        Ok(await others[10].RemoveMemberAsync(id, others[10].UserId));
        Assert.Equal(256, Ok(await creator.AddMemberAsync(id, extra.UserId))["members"]!.AsArray().Count);
        var sent = await creator.SendAsync(id, "all 256 of you");
        Assert.Equal((string?)sent["messageId"], (string?)(await extra.FullHistoryAsync(id)).Last()["messageId"]);
        foreach (var u in users) u.Dispose();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeGroupCollection
{
    public const string Name = "Large group alone";
}
