using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>The WebSocket half of the contract with real ClientWebSocket devices over loopback.</summary>
public sealed class WebSocketTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    [Fact]
    public async Task A_message_reaches_every_device_of_both_users_and_the_sender_gets_sent()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        await using var aliceLaptop = await ChatSocket.ConnectAsync(alice);
        await using var bobPhone = await ChatSocket.ConnectAsync(bob);
        await using var bobLaptop = await ChatSocket.ConnectAsync(bob);

        var key = Guid.NewGuid();
        await alicePhone.SendMessageAsync(bob.UserId, "to all your devices", key);
        var sent = await alicePhone.WaitForSentAsync(key);
        Assert.Equal("sent", (string?)sent["type"]);

        var copies = new List<JsonObject>();
        foreach (var device in new[] { alicePhone, aliceLaptop, bobPhone, bobLaptop })
            copies.Add((await device.WaitForMessageAsync(key))["message"]!.AsObject());
        Assert.All(copies, c => Assert.Equal((string?)sent["messageId"], (string?)c["messageId"]));
        Assert.All(copies, c => Assert.Equal("to all your devices", (string?)c["body"]));
        Assert.All(copies.Take(2), c => Assert.Equal(1, (long)c["seq"]!));

        // Only the sending device gets "sent": nothing but the message came to the laptop before it answers a ping.
        await aliceLaptop.SendJsonAsync(new { type = "ping" });
        await aliceLaptop.WaitForTypeAsync("pong");
        Assert.DoesNotContain(aliceLaptop.Skipped, f => (string?)f["type"] == "sent");
    }

    [Fact]
    public async Task An_offline_device_syncs_exactly_what_it_missed_once_in_order_even_with_live_traffic()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        await alice.SendAsync(bob.UserId, "before");
        for (var i = 0; i < 40; i++) await alice.SendAsync(bob.UserId, $"missed {i}");

        await using var bobDevice = await ChatSocket.ConnectAsync(bob);
        // Live messages race with the sync: each seq must still arrive exactly once.
        var live = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++) await alice.SendAsync(bob.UserId, $"live {i}");
        });
        await bobDevice.SendJsonAsync(new { type = "sync", after = 1 });
        var synced = await bobDevice.WaitForTypeAsync("synced");
        await live;
        // Ping until seq 51 came before a pong (bounded): every frame before that pong is kept in arrival order.
        var deadline = DateTime.UtcNow + ChatSocket.DefaultWait;
        do
        {
            await bobDevice.SendJsonAsync(new { type = "ping" });
            await bobDevice.WaitForTypeAsync("pong");
        } while (!bobDevice.Skipped.Any(f => (string?)f["type"] == "message" && (long)f["message"]!["seq"]! == 51) && DateTime.UtcNow < deadline);

        // Arrival order as received, not sorted: the missed messages (2..41, stored before the device connected) can
        // only come from the sync, in inbox order; the live ones (42..51) each first arrive, live or by the sync, in
        // the order they were stored. A live message may arrive before the older ones the sync is still sending.
        var all = bobDevice.Skipped.Where(f => (string?)f["type"] == "message").Select(f => (long)f["message"]!["seq"]!).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        Assert.Equal(Enumerable.Range(2, 40).Select(i => (long)i), all.Where(s => s <= 41));
        Assert.Equal(Enumerable.Range(42, 10).Select(i => (long)i), all.Where(s => s >= 42));
        Assert.Equal(50, all.Count);
        Assert.True((long)synced["seq"]! >= 41);
    }

    [Fact]
    public async Task Sync_frames_come_in_inbox_order_then_synced_and_a_second_sync_sends_nothing_twice()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        for (var i = 0; i < 12; i++) await alice.SendAsync(bob.UserId, $"m{i}");
        await using var device = await ChatSocket.ConnectAsync(bob);

        await device.SendJsonAsync(new { type = "sync", after = 0 });
        var synced = await device.WaitForTypeAsync("synced");
        Assert.Equal(12, (long)synced["seq"]!);
        var messageSeqs = device.Skipped.Where(f => (string?)f["type"] == "message").Select(f => (long)f["message"]!["seq"]!).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), messageSeqs);
        device.Skipped.Clear();

        await device.SendJsonAsync(new { type = "sync", after = 5 });
        await device.WaitForTypeAsync("synced");
        Assert.DoesNotContain(device.Skipped, f => (string?)f["type"] == "message");

        device.Skipped.Clear();
        await device.SendJsonAsync(new { type = "sync", after = 12 });
        Assert.Equal(12, (long)(await device.WaitForTypeAsync("synced"))["seq"]!);
    }

    [Fact]
    public async Task Malformed_frames_get_invalid_request_and_the_connection_and_other_sessions_stay_up()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        await using var aliceDevice = await ChatSocket.ConnectAsync(alice);
        await using var bobDevice = await ChatSocket.ConnectAsync(bob);

        foreach (var bad in new[] { "not json", "{\"type\":\"teleport\"}", "{\"no\":\"type\"}", "[1,2,3]", "{\"type\":\"send\",\"body\":\"x\"}",
                     "{\"type\":\"sync\"}", "{\"type\":\"sync\",\"after\":-3}", "{\"type\":\"send\",\"to\":5}", "{\"type\":\"ping\"} trailing", "" })
        {
            await aliceDevice.SendTextAsync(bad);
            var error = await aliceDevice.WaitForTypeAsync("error");
            Assert.Equal("invalid_request", (string?)error["code"]);
            Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        }
        await aliceDevice.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Equal("invalid_request", (string?)(await aliceDevice.WaitForTypeAsync("error"))["code"]);

        await aliceDevice.SendJsonAsync(new { type = "ping" });
        await aliceDevice.WaitForTypeAsync("pong");
        var key = Guid.NewGuid();
        await aliceDevice.SendMessageAsync(bob.UserId, "still here", key);
        await aliceDevice.WaitForSentAsync(key);
        await bobDevice.WaitForMessageAsync(key);
    }

    [Fact]
    public async Task Send_errors_carry_their_code_and_client_message_id_and_the_socket_stays_open()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        await using var device = await ChatSocket.ConnectAsync(alice);

        async Task Expect(string to, string body, string code)
        {
            var key = Guid.NewGuid();
            await device.SendMessageAsync(to, body, key);
            var error = await device.WaitForSentAsync(key);
            Assert.Equal("error", (string?)error["type"]);
            Assert.Equal(code, (string?)error["code"]);
        }

        await Expect(ChatClient.NewName("ghost"), "hi", "not_found");
        await Expect(alice.UserId, "me", "invalid_request");
        await Expect(bob.UserId, new string('x', 4097), "too_large");
        await Expect(bob.UserId, "", "invalid_request");

        // The same key over WebSocket and HTTP is one message.
        var key2 = Guid.NewGuid();
        await device.SendMessageAsync(bob.UserId, "both ways", key2);
        var sent = await device.WaitForSentAsync(key2);
        var viaHttp = await alice.SendAsync(bob.UserId, "both ways", key2);
        Assert.Equal((string?)sent["messageId"], (string?)viaHttp["messageId"]);
        Assert.Single((await bob.SyncAsync()).Events);

        // Mark read over the socket.
        await device.SendJsonAsync(new { type = "read", conversationId = (string?)sent["conversationId"], upTo = (string?)sent["order"] });
        Assert.Equal((string?)sent["order"], (string?)(await device.WaitForTypeAsync("read"))["upTo"]);
        await device.SendJsonAsync(new { type = "read", conversationId = ChatClient.Dm("xothera", "xotherb"), upTo = (string?)sent["order"] });
        Assert.Equal("forbidden", (string?)(await device.WaitForTypeAsync("error"))["code"]);
    }

    [Fact]
    public async Task A_frame_over_32_KiB_closes_that_connection_with_1009_only()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        await using var big = await ChatSocket.ConnectAsync(alice);
        await using var other = await ChatSocket.ConnectAsync(alice);
        var at = await ChatSocket.ConnectAsync(alice);
        await at.SendTextAsync("{\"type\":\"ping\",\"pad\":\"" + new string('a', 32 * 1024 - 30) + "\"}");
        await at.WaitForTypeAsync("pong");
        await at.DisposeAsync();

        await big.SendBytesAsync(Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"pad\":\"" + new string('a', 40_000) + "\"}"));
        await big.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, big.CloseStatus);

        await other.SendJsonAsync(new { type = "ping" });
        await other.WaitForTypeAsync("pong");
    }

    [Fact]
    public async Task The_upgrade_without_a_valid_token_is_401_and_no_socket_opens()
    {
        foreach (var query in new[] { "", "?access_token=garbage" })
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() =>
                socket.ConnectAsync(new Uri($"ws://{Url.Authority}/ws{query}"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        }
        using var http = new HttpClient { BaseAddress = Url };
        var plain = await http.GetAsync("/ws");
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal("unauthorized", (string?)JsonNode.Parse(await plain.Content.ReadAsStringAsync())!["code"]);
    }
}
