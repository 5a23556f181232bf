using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>A messenger with a small send budget (2/s, burst 10), so floods are limited however slow the machine.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private MessengerServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await MessengerServer.StartAsync(null, "--Messenger:SendRate:PerSecond=2", "--Messenger:SendRate:Burst=10");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Too_many_http_sends_are_429_rate_limited_and_only_accepted_ones_are_stored()
    {
        using var alice = await ChatClient.SignUpAsync(_server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(_server.BaseUrl);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            var response = await alice.SendRawAsync(Guid.NewGuid(), bob.UserId, $"flood {i}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.Equal("rate_limited", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), (await bob.SyncAsync(0, 1000)).Events.Count);
    }

    [Fact]
    public async Task A_websocket_flood_is_rate_limited_without_closing_the_socket()
    {
        using var alice = await ChatClient.SignUpAsync(_server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(_server.BaseUrl);
        await using var device = await ChatSocket.ConnectAsync(alice);
        var keys = Enumerable.Range(0, 60).Select(_ => Guid.NewGuid()).ToList();
        foreach (var key in keys) await device.SendMessageAsync(bob.UserId, "flood", key);
        var answers = new List<JsonObject>();
        foreach (var key in keys) answers.Add(await device.WaitForSentAsync(key));
        Assert.Contains(answers, a => (string?)a["code"] == "rate_limited");
        Assert.All(answers, a => Assert.True((string?)a["type"] == "sent" || (string?)a["code"] == "rate_limited"));
        await device.SendJsonAsync(new { type = "ping" });
        await device.WaitForTypeAsync("pong");
    }
}
