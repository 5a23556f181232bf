using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Presence;

/// <summary>Typing over real WebSockets: relayed to the peer's devices only, never stored, refused outside one's conversations.</summary>
public sealed class TypingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    [Fact]
    public async Task Typing_reaches_every_device_of_the_peer_only_and_nothing_is_stored()
    {
        var (alice, bob) = await PresenceFrames.TwoTalkingAsync(Url);
        using var _ = alice;
        using var __ = bob;
        var conversation = ChatClient.Dm(alice.UserId, bob.UserId);
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        await using var aliceLaptop = await ChatSocket.ConnectAsync(alice);
        await using var bobPhone = await ChatSocket.ConnectAsync(bob);
        await using var bobLaptop = await ChatSocket.ConnectAsync(bob);

        await alicePhone.SendJsonAsync(new { type = "typing", conversationId = conversation });

        var seen = await bobPhone.WaitTypingAsync(conversation, alice.UserId);
        Assert.Equal(3, seen.Count);
        await bobLaptop.WaitTypingAsync(conversation, alice.UserId);
        // Nothing answers the typer, and the typer's other device is not told.
        await alicePhone.PingAsync();
        await aliceLaptop.PingAsync();
        Assert.False(alicePhone.HasFrame("typing") || alicePhone.HasFrame("error"));
        Assert.False(aliceLaptop.HasFrame("typing"));

        // Not stored: both inboxes hold the one message, and a later message takes the next seq.
        var (bobEvents, bobSeq) = await bob.SyncAsync();
        Assert.Single(bobEvents);
        Assert.Equal(1, bobSeq);
        Assert.Single((await alice.SyncAsync()).Events);
        await bob.SendAsync(alice.UserId, "typed it");
        Assert.Equal(2, (await bob.SyncAsync()).NextAfter);
    }

    [Fact]
    public async Task Typing_outside_the_callers_conversations_is_not_found_and_malformed_typing_is_invalid_with_the_socket_open()
    {
        var (alice, bob) = await PresenceFrames.TwoTalkingAsync(Url);
        using var _ = alice;
        using var __ = bob;
        using var stranger = await ChatClient.SignUpAsync(Url);
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        await using var strangerPhone = await ChatSocket.ConnectAsync(stranger);

        foreach (var conversationId in new[]
                 {
                     ChatClient.Dm(bob.UserId, stranger.UserId), // someone else's conversation
                     ChatClient.Dm(alice.UserId, stranger.UserId), // names alice, but they never talked
                     "not-a-conversation",
                 })
        {
            await alicePhone.SendJsonAsync(new { type = "typing", conversationId });
            var error = await alicePhone.WaitErrorAsync();
            Assert.Equal("not_found", (string?)error["code"]);
        }
        foreach (var frame in new[] { """{"type":"typing"}""", """{"type":"typing","conversationId":7}""", """{"type":"typing","conversationId":""}""" })
        {
            await alicePhone.SendTextAsync(frame);
            Assert.Equal("invalid_request", (string?)(await alicePhone.WaitErrorAsync())["code"]);
        }

        await alicePhone.PingAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, alicePhone.State);
        // The stranger heard nothing of it.
        await strangerPhone.PingAsync();
        Assert.False(strangerPhone.HasFrame("typing"));
    }
}
