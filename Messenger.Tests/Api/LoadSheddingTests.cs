using System.Net;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>Past the node's in-flight send limit a send is answered unavailable at once, and nothing half-done remains.</summary>
public sealed class LoadSheddingTests
{
    [Fact]
    public async Task Sends_past_the_in_flight_limit_are_unavailable_and_a_retry_with_the_same_key_succeeds()
    {
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:MaxSendsInFlight=1");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
        var keys = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid()).ToList();
        var responses = await Task.WhenAll(keys.Select(k => alice.SendRawAsync(k, bob.UserId, "busy?")));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable))
            Assert.Equal("unavailable", (string?)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["code"]);

        // Retried one at a time, every key gets through, each stored once.
        foreach (var key in keys) await alice.SendAsync(bob.UserId, "busy?", key);
        var (events, _) = await bob.SyncAsync(0, 1000);
        Assert.Equal(keys.Select(k => k.ToString()).Order(), events.Select(e => (string)e!["clientMessageId"]!).Order());
    }
}
