using System.Net;
using Messenger.Messages.Chat;
using Messenger.Tests.Infrastructure;
using static Messenger.Tests.Groups.Api.GroupCalls;

namespace Messenger.Tests.Groups.Api;

/// <summary>Membership changes are messages in every member's copy: they count against the caller's send budget
/// (here 1/s, burst 3), and a refused change stores nothing.</summary>
public sealed class GroupRateLimitTests : IAsyncLifetime
{
    private MessengerServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await MessengerServer.StartAsync(null, "--Messenger:SendRate:PerSecond=1", "--Messenger:SendRate:Burst=3");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_flood_of_renames_is_429_rate_limited_and_reading_the_group_is_not_limited()
    {
        var users = await UsersAsync(_server.BaseUrl, 2);
        var (alice, bob) = (users[0], users[1]);
        var id = IdOf(await alice.CreateGroupAsync("Flood", bob));
        var renamed = 0;
        var limited = false;
        for (var i = 0; i < 20 && !limited; i++)
        {
            var answer = await alice.RenameGroupAsync(id, new { name = $"Flood {i}" });
            if (answer.Status == HttpStatusCode.OK) renamed++;
            else
            {
                Refused(answer, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
                limited = true;
            }
        }
        Assert.True(limited, "20 renames in a row were never limited");
        for (var i = 0; i < 10; i++) Ok(await alice.GetGroupAsync(id));
        var renames = (await bob.FullHistoryAsync(id)).Count(m => (string?)m["kind"] == "group_renamed");
        Assert.Equal(renamed, renames);
    }
}
