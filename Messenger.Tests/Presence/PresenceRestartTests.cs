using System.Net;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Presence;

/// <summary>lastSeen is durable: it is an event in the user's inbox, so a restart on the same data dir keeps it.</summary>
public sealed class PresenceRestartTests
{
    [Fact]
    public async Task Last_seen_survives_a_restart()
    {
        var dataDir = TempDirs.Create("presence-restart");
        try
        {
            string aliceName, bobName, lastSeen;
            await using (var server = await MessengerServer.StartAsync(dataDir))
            {
                var (alice, bob) = await PresenceFrames.TwoTalkingAsync(server.BaseUrl);
                (aliceName, bobName) = (alice.UserId, bob.UserId);
                await using var watcher = await ChatSocket.ConnectAsync(alice);
                await watcher.SendJsonAsync(new { type = "watch", userIds = new[] { bob.UserId } });
                await watcher.WaitPresenceAsync(bob.UserId, online: false);
                var bobPhone = await ChatSocket.ConnectAsync(bob);
                await watcher.WaitPresenceAsync(bob.UserId, online: true);
                await bobPhone.DisposeAsync();
                lastSeen = (string)(await watcher.WaitPresenceAsync(bob.UserId, online: false))["lastSeen"]!;
                // The event is written in the background; a send acknowledged after it means it is durable too.
                await bob.SendAsync(alice.UserId, "after going offline");
                alice.Dispose();
                bob.Dispose();
                await server.StopAsync();
            }

            await using var again = await MessengerServer.StartAsync(dataDir);
            using var aliceAgain = await ChatClient.SignInAsync(again.BaseUrl, aliceName);
            var (status, presence) = await aliceAgain.GetAsync($"/api/users/{bobName}/presence");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False((bool)presence!["online"]!);
            Assert.Equal(lastSeen, (string?)presence["lastSeen"]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempDirs.TryDelete(dataDir);
        }
    }
}
