using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Receipts;

/// <summary>Receipts over the public API: real WebSocket devices and HTTP over loopback against a real node.</summary>
public sealed class ReceiptApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    private static Func<JsonObject, bool> Receipt(string userId, string? delivered, string? read) => f =>
        (string?)f["type"] == "receipt" && (string?)f["userId"] == userId
        && (string?)f["delivered"] == delivered && (string?)f["read"] == read;

    private static async Task<JsonObject> PeerReceiptsAsync(ChatClient client)
    {
        var conversation = (await client.ConversationsAsync()).Single()!.AsObject();
        return conversation["receipts"]!.AsArray().Single()!.AsObject();
    }

    private static HttpClient RawClient(ChatClient client)
    {
        var http = new HttpClient { BaseAddress = client.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        return http;
    }

    [Fact]
    public async Task Receipt_frames_reach_every_device_of_both_users_including_the_readers_other_device()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        await using var bobPhone = await ChatSocket.ConnectAsync(bob);
        await using var bobLaptop = await ChatSocket.ConnectAsync(bob);
        var first = await alice.SendAsync(bob.UserId, "one");
        var second = await alice.SendAsync(bob.UserId, "two");
        var conversationId = (string)first["conversationId"]!;
        var (order1, order2) = ((string)first["order"]!, (string)second["order"]!);

        await bobPhone.SendJsonAsync(new { type = "received", upTo = 2 });
        foreach (var device in new[] { alicePhone, bobPhone, bobLaptop })
        {
            var frame = await device.WaitForAsync(Receipt(bob.UserId, order2, null));
            Assert.Equal(conversationId, (string?)frame["conversationId"]);
        }

        await bobPhone.SendJsonAsync(new { type = "read", conversationId, upTo = order1 });
        foreach (var device in new[] { alicePhone, bobPhone, bobLaptop })
            await device.WaitForAsync(Receipt(bob.UserId, order2, order1));
        await bobPhone.WaitForTypeAsync("read");
    }

    [Fact]
    public async Task A_client_that_was_offline_finds_the_peers_markers_in_its_conversations()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        var sent = await alice.SendAsync(bob.UserId, "while you were out");
        var order = (string)sent["order"]!;
        var before = await PeerReceiptsAsync(alice);
        Assert.Equal(bob.UserId, (string?)before["userId"]);
        Assert.Null(before["delivered"]);
        Assert.Null(before["read"]);

        var (status, _) = await bob.PostJsonAsync("/api/received", new { upTo = 1 });
        Assert.Equal(HttpStatusCode.NoContent, status);
        await AwaitReceiptsAsync(alice, bob.UserId, order, null);
        (status, _) = await bob.PostJsonAsync($"/api/conversations/{sent["conversationId"]}/read", new { upTo = order });
        Assert.Equal(HttpStatusCode.NoContent, status);

        // Alice connects afterwards: her conversation list carries bob's markers.
        await using var aliceDevice = await ChatSocket.ConnectAsync(alice);
        await AwaitReceiptsAsync(alice, bob.UserId, order, order);
        // Bob's copy of alice's markers: she read and holds the conversation up to her own message.
        var atBob = await PeerReceiptsAsync(bob);
        Assert.Equal((alice.UserId, order, order), ((string?)atBob["userId"], (string?)atBob["delivered"], (string?)atBob["read"]));
    }

    private static async Task AwaitReceiptsAsync(ChatClient client, string peer, string? delivered, string? read)
    {
        var deadline = DateTime.UtcNow + ChatSocket.DefaultWait;
        JsonObject receipts;
        do
        {
            receipts = await PeerReceiptsAsync(client);
            if ((string?)receipts["userId"] == peer && (string?)receipts["delivered"] == delivered && (string?)receipts["read"] == read) return;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"receipts stayed {receipts.ToJsonString()}");
    }

    [Fact]
    public async Task Malformed_received_frames_are_invalid_request_the_connection_stays_open_and_nothing_is_stored()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        var sent = await alice.SendAsync(bob.UserId, "hello");
        await using var bobDevice = await ChatSocket.ConnectAsync(bob);

        string[] malformed =
        [
            """{"type":"received"}""",
            """{"type":"received","upTo":-1}""",
            """{"type":"received","upTo":1.5}""",
            """{"type":"received","upTo":"1"}""",
            """{"type":"received","upTo":null}""",
            """{"type":"received","upTo":[1]}""",
            """{"type":"received","upTo":99999999999999999999999}""",
            """{"type":"read","conversationId":"dm:a:b","upTo":1}""",
        ];
        foreach (var frame in malformed)
        {
            await bobDevice.SendTextAsync(frame);
            var error = await bobDevice.WaitForTypeAsync("error");
            Assert.Equal("invalid_request", (string?)error["code"]);
        }
        await bobDevice.SendJsonAsync(new { type = "ping" });
        await bobDevice.WaitForTypeAsync("pong");
        Assert.DoesNotContain(bobDevice.Skipped, f => (string?)f["type"] == "receipt");
        Assert.Null((await PeerReceiptsAsync(alice))["delivered"]);

        // The connection still works: a valid received past the newest seq is clamped.
        await bobDevice.SendJsonAsync(new { type = "received", upTo = 1_000_000 });
        await bobDevice.WaitForAsync(Receipt(bob.UserId, (string)sent["order"]!, null));
    }

    [Fact]
    public async Task Malformed_received_bodies_are_invalid_request_and_nothing_is_stored()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        var sent = await alice.SendAsync(bob.UserId, "hello");
        using var http = RawClient(bob);

        string[] malformed = ["{}", """{"upTo":-1}""", """{"upTo":"1"}""", """{"upTo":1.5}""", """{"upTo":null}""", "[]",
            "not json", """{"upTo":1}{""", ""];
        foreach (var body in malformed)
        {
            var response = await http.PostAsync("/api/received", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} → {(int)response.StatusCode}");
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("invalid_request", (string?)error["code"]);
        }
        using var stranger = new HttpClient { BaseAddress = bob.BaseUrl };
        var anonymous = await stranger.PostAsync("/api/received", new StringContent("""{"upTo":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Null((await PeerReceiptsAsync(alice))["delivered"]);

        var ok = await http.PostAsync("/api/received", new StringContent("""{"upTo":5}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        await AwaitReceiptsAsync(alice, bob.UserId, (string)sent["order"]!, null);
    }
}
