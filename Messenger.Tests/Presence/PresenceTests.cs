using System.Net;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Presence;

/// <summary>Presence over the public API with real WebSocket devices: GET /api/users/{userId}/presence and watch frames.</summary>
public sealed class PresenceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    [Fact]
    public async Task A_user_is_online_while_a_device_is_connected_and_has_a_last_seen_once_the_last_one_leaves()
    {
        var (alice, bob) = await PresenceFrames.TwoTalkingAsync(Url);
        using var _ = alice;
        using var __ = bob;
        var path = $"/api/users/{bob.UserId}/presence";

        // Bob never had a socket: offline, never seen.
        var (status, never) = await alice.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bob.UserId, (string?)never!["userId"]);
        Assert.False((bool)never["online"]!);
        Assert.Null(never["lastSeen"]);

        await using var watcher = await ChatSocket.ConnectAsync(alice);
        await watcher.SendJsonAsync(new { type = "watch", userIds = new[] { bob.UserId } });
        var first = await watcher.WaitPresenceAsync(bob.UserId, online: false);
        Assert.Null(first["lastSeen"]);

        var bobPhone = await ChatSocket.ConnectAsync(bob);
        var online = await watcher.WaitPresenceAsync(bob.UserId, online: true);
        Assert.Null(online["lastSeen"]);
        var (_, now) = await alice.GetAsync(path);
        Assert.True((bool)now!["online"]!);
        Assert.Null(now["lastSeen"]);

        // A second device coming and the first going changes nothing: still online.
        var bobLaptop = await ChatSocket.ConnectAsync(bob);
        await bobPhone.DisposeAsync();
        Assert.True((bool)(await alice.GetAsync(path)).Body!["online"]!);

        await bobLaptop.DisposeAsync();
        var offline = await watcher.WaitPresenceAsync(bob.UserId, online: false);
        var lastSeen = (string?)offline["lastSeen"];
        Assert.NotNull(lastSeen);
        Assert.True(DateTime.Parse(lastSeen!, null, System.Globalization.DateTimeStyles.RoundtripKind) > DateTime.UtcNow.AddMinutes(-5));
        var (_, after) = await alice.GetAsync(path);
        Assert.False((bool)after!["online"]!);
        Assert.Equal(lastSeen, (string?)after["lastSeen"]);
        // Exactly one frame per change of online: the laptop's arrival and the phone's departure sent none.
        Assert.DoesNotContain(watcher.Skipped, f => (string?)f["type"] == "presence");
    }

    [Fact]
    public async Task Users_without_a_shared_conversation_are_404_over_http_and_skipped_silently_by_watch()
    {
        var (alice, bob) = await PresenceFrames.TwoTalkingAsync(Url);
        using var _ = alice;
        using var __ = bob;
        using var stranger = await ChatClient.SignUpAsync(Url);
        await using var strangerPhone = await ChatSocket.ConnectAsync(stranger);

        foreach (var who in new[] { stranger.UserId, "nobody-at-all", "NOT A USER", "x" })
        {
            var (status, body) = await alice.GetAsync($"/api/users/{Uri.EscapeDataString(who)}/presence");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("not_found", (string?)body!["code"]);
        }
        // The stranger cannot see alice either; and a wrong method is 405 with the contract's error body.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/users/{alice.UserId}/presence")).Status);
        var (wrongStatus, wrongBody) = await alice.PostJsonAsync($"/api/users/{bob.UserId}/presence", new { });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongStatus);
        Assert.Equal("invalid_request", (string?)wrongBody!["code"]);

        await using var watcher = await ChatSocket.ConnectAsync(alice);
        await watcher.SendJsonAsync(new { type = "watch", userIds = new[] { stranger.UserId, bob.UserId, "NOT A USER" } });
        await watcher.WaitPresenceAsync(bob.UserId, online: false);
        await watcher.PingAsync();
        Assert.False(watcher.HasFrame("presence", stranger.UserId));
        Assert.False(watcher.HasFrame("error"));

        // Oneself is always visible (and online while this socket is open).
        var (selfStatus, self) = await alice.GetAsync($"/api/users/{alice.UserId}/presence");
        Assert.Equal(HttpStatusCode.OK, selfStatus);
        Assert.True((bool)self!["online"]!);
    }

    [Fact]
    public async Task A_new_watch_list_replaces_the_previous_one()
    {
        var (alice, bob) = await PresenceFrames.TwoTalkingAsync(Url);
        using var _ = alice;
        using var __ = bob;
        using var carol = await ChatClient.SignUpAsync(Url);
        await carol.SendAsync(alice.UserId, "hi alice");

        await using var watcher = await ChatSocket.ConnectAsync(alice);
        await watcher.SendJsonAsync(new { type = "watch", userIds = new[] { bob.UserId } });
        await watcher.WaitPresenceAsync(bob.UserId, online: false);
        await watcher.SendJsonAsync(new { type = "watch", userIds = new[] { carol.UserId } });
        await watcher.WaitPresenceAsync(carol.UserId, online: false);

        await using var bobPhone = await ChatSocket.ConnectAsync(bob);
        await using var carolPhone = await ChatSocket.ConnectAsync(carol);
        await watcher.WaitPresenceAsync(carol.UserId, online: true);
        Assert.False(watcher.HasFrame("presence", bob.UserId));

        // Watching bob again announces him at once, as he is now.
        await watcher.SendJsonAsync(new { type = "watch", userIds = new[] { bob.UserId, carol.UserId } });
        await watcher.WaitPresenceAsync(bob.UserId, online: true);
        await watcher.WaitPresenceAsync(carol.UserId, online: true);
    }

    [Fact]
    public async Task Malformed_and_oversized_watch_frames_are_invalid_requests_and_the_socket_stays_open()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        await using var socket = await ChatSocket.ConnectAsync(alice);
        var tooMany = Enumerable.Range(0, 201).Select(i => $"user{i:D3}").ToArray();
        var frames = new[]
        {
            System.Text.Json.JsonSerializer.Serialize(new { type = "watch", userIds = tooMany }),
            """{"type":"watch"}""",
            """{"type":"watch","userIds":"bob"}""",
            """{"type":"watch","userIds":[1,2]}""",
            """{"type":"watch","userIds":null}""",
        };
        foreach (var frame in frames)
        {
            await socket.SendTextAsync(frame);
            var error = await socket.WaitErrorAsync();
            Assert.True((string?)error["code"] == "invalid_request", frame);
        }
        // Exactly 200 is accepted (none visible, so nothing is sent), and an empty list clears the watch.
        await socket.SendJsonAsync(new { type = "watch", userIds = tooMany.Take(200) });
        await socket.SendJsonAsync(new { type = "watch", userIds = Array.Empty<string>() });
        await socket.PingAsync();
        Assert.False(socket.HasFrame("error"));
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }
}
