using System.Net;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>
/// Overload without collapse (issue 10): admission follows measured latency, not a fixed count. With a latency target
/// no send can meet, the node keeps admitting only a few sends at a time and refuses the rest at once — 503
/// <c>unavailable</c> with Retry-After over HTTP, an <c>error</c> frame with <c>retryAfter</c> over WebSocket — instead
/// of queueing them into timeouts; every refused send succeeds when retried with its key, and is stored once.
/// </summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Sends_beyond_measured_capacity_are_refused_at_once_with_retry_after_and_retries_store_each_once()
    {
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:Admission:TargetLatencyMs=1",
            "--Messenger:SendRate:PerSecond=100000", "--Messenger:SendRate:Burst=100000");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);

        // The first sends teach the node its latency, far over the target: the limit falls to its floor. One at a time,
        // retried with their keys: a refusal here is already the limit at work (a slow box learns it sooner).
        var keys = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        foreach (var key in keys) await alice.SendPatientlyAsync(bob.UserId, "learn", key);

        // Bursts of concurrent sends until one overlaps enough to pass the limit (a fast node may finish a small burst
        // before it builds up); bounded, and every answer of every burst is checked below.
        var burst = new List<Guid>();
        var answers = new List<HttpResponseMessage>();
        for (var round = 0; round < 5 && !answers.Any(a => a.StatusCode == HttpStatusCode.ServiceUnavailable); round++)
        {
            var wave = Enumerable.Range(0, 80).Select(_ => Guid.NewGuid()).ToList();
            burst.AddRange(wave);
            answers.AddRange(await Task.WhenAll(wave.Select(k => alice.SendRawAsync(k, bob.UserId, "burst"))));
        }
        keys.AddRange(burst);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.ServiceUnavailable);
        var refused = new List<Guid>();
        for (var i = 0; i < burst.Count; i++)
        {
            if (answers[i].StatusCode == HttpStatusCode.OK) continue;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answers[i].StatusCode);
            Assert.Equal("unavailable", (string?)JsonNode.Parse(await answers[i].Content.ReadAsStringAsync())!["code"]);
            Assert.True(answers[i].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "a refusal says when to retry");
            refused.Add(burst[i]);
        }

        // Over WebSocket the same: an error frame naming the send and when to retry; the socket stays open.
        await using var device = await ChatSocket.ConnectAsync(alice);
        var socketKeys = Enumerable.Range(0, 16).Select(_ => Guid.NewGuid()).ToList();
        keys.AddRange(socketKeys);
        foreach (var key in socketKeys) await device.SendMessageAsync(bob.UserId, "socket burst", key);
        foreach (var key in socketKeys)
        {
            var answer = await device.WaitForSentAsync(key);
            if ((string?)answer["type"] == "sent") continue;
            Assert.Equal("unavailable", (string?)answer["code"]);
            Assert.True((int)answer["retryAfter"]! >= 1);
            refused.Add(key);
        }

        // One at a time, each refused send gets through with its key.
        foreach (var key in refused) await alice.SendAsync(bob.UserId, socketKeys.Contains(key) ? "socket burst" : "burst", key);
        var (events, _) = await bob.SyncAsync(0, 1000);
        Assert.Equal(keys.Select(k => k.ToString()).Order(), events.Select(e => (string)e!["clientMessageId"]!).Order());
    }

    [Fact]
    public async Task A_rate_limited_send_says_when_to_retry_over_http_and_websocket()
    {
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:SendRate:PerSecond=0.01", "--Messenger:SendRate:Burst=1");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, (await alice.SendRawAsync(Guid.NewGuid(), bob.UserId, "one")).StatusCode);
        var limited = await alice.SendRawAsync(Guid.NewGuid(), bob.UserId, "two");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("rate_limited", (string?)JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["code"]);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        await using var device = await ChatSocket.ConnectAsync(alice);
        var key = Guid.NewGuid();
        await device.SendMessageAsync(bob.UserId, "three", key);
        var answer = await device.WaitForSentAsync(key);
        Assert.Equal("rate_limited", (string?)answer["code"]);
        Assert.True((int)answer["retryAfter"]! >= 1);
    }
}
