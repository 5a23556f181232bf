using Akka.Actor;
using Messenger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Tests.Api;

/// <summary>
/// A connected device receives every message of its inbox live, without sending <c>sync</c>, whatever happens to the
/// inbox incarnation it attached to (issue 9, defect 3, the bridge's side): it stops, a new one starts on the next
/// message, and the messages stored in between still reach the device, each once.
/// </summary>
public sealed class LiveDeliveryTests
{
    /// <summary>Stops the live incarnation of a user's inbox the way a crash or a hand-over does: it is just gone.</summary>
    private static async Task StopInbox(MessengerServer server, string userId)
    {
        var inbox = await server.Services.GetRequiredService<ActorSystem>()
            .ActorSelection($"/system/sharding/inbox/*/{userId}")
            .ResolveOne(ChatSocket.DefaultWait);
        Assert.True(await inbox.GracefulStop(ChatSocket.DefaultWait));
    }

    [Fact]
    public async Task A_device_keeps_getting_messages_live_across_restarts_of_its_inbox()
    {
        await using var server = await MessengerServer.StartAsync();
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
        await using var bobDevice = await ChatSocket.ConnectAsync(bob);
        var first = (string)(await alice.SendAsync(bob.UserId, "before"))["clientMessageId"]!;
        await bobDevice.WaitForMessageAsync(Guid.Parse(first));

        var keys = new List<Guid>();
        for (var round = 0; round < 3; round++)
        {
            await StopInbox(server, bob.UserId);
            // Sent at once: the new incarnation may store these before the device is attached to it again.
            for (var i = 0; i < 3; i++)
            {
                var key = Guid.NewGuid();
                keys.Add(key);
                await alice.SendAsync(bob.UserId, $"round {round} message {i}", key);
            }
        }
        foreach (var key in keys) await bobDevice.WaitForMessageAsync(key);

        var frames = await bobDevice.DrainAsync(TimeSpan.FromMilliseconds(500));
        var seqs = frames.Concat(bobDevice.Skipped).Where(f => (string?)f["type"] == "message")
            .Select(f => (long)f["message"]!["seq"]!).ToList();
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
        Assert.DoesNotContain(frames, f => (string?)f["type"] == "synced");
    }

    [Fact]
    public async Task Devices_attaching_while_their_inbox_passivates_still_get_every_message_live()
    {
        // An inbox with no device passivates almost at once, so attaches keep racing with passivation.
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:Inbox:PassivateAfterSeconds=0.05");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
        for (var round = 0; round < 15; round++)
        {
            await using var device = await ChatSocket.ConnectAsync(bob);
            var key = Guid.NewGuid();
            await alice.SendAsync(bob.UserId, $"round {round}", key);
            await device.WaitForMessageAsync(key);
        }
    }
}
