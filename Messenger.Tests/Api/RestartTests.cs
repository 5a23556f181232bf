using System.Net;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>Stopping the messenger (CoordinatedShutdown) and starting it on the same data dir keeps everything.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Accounts_messages_idempotency_keys_and_tokens_survive_a_restart_on_the_same_data_dir()
    {
        var dataDir = TempDirs.Create("restart");
        try
        {
            string aliceName, bobName, aliceToken, firstId;
            var key = Guid.NewGuid();
            await using (var server = await MessengerServer.StartAsync(dataDir))
            {
                using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
                using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
                (aliceName, bobName, aliceToken) = (alice.UserId, bob.UserId, alice.Token);
                firstId = (string)(await alice.SendAsync(bob.UserId, "before restart", key))["messageId"]!;
                for (var i = 0; i < 5; i++) await bob.SendAsync(alice.UserId, $"reply {i}");
                await server.StopAsync();
            }

            await using var again = await MessengerServer.StartAsync(dataDir);
            using var http = new HttpClient { BaseAddress = again.BaseUrl };
            http.DefaultRequestHeaders.Authorization = new("Bearer", aliceToken);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/conversations")).StatusCode);

            using var aliceAgain = await ChatClient.SignInAsync(again.BaseUrl, aliceName);
            var (events, _) = await aliceAgain.SyncAsync();
            Assert.Equal(6, events.Count);
            Assert.Equal(firstId, (string?)events[0]!["messageId"]);
            Assert.Equal(firstId, (string?)(await aliceAgain.SendAsync(bobName, "before restart", key))["messageId"]);

            Assert.Equal(5, (int)(await aliceAgain.ConversationsAsync()).Single()!["unreadCount"]!);
            await aliceAgain.SendAsync(bobName, "after restart");
            var (tail, next) = await aliceAgain.SyncAsync(6);
            Assert.Equal(7, (long)tail.Single()!["seq"]!);
            Assert.Equal(7, next);
            Assert.Equal(0, (int)(await aliceAgain.ConversationsAsync()).Single()!["unreadCount"]!);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempDirs.TryDelete(dataDir);
        }
    }
}
