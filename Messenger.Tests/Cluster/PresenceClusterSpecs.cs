using Messenger.Tests.Infrastructure;
using Messenger.Tests.Presence;
using Xunit.Abstractions;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Presence and typing across two web nodes of a multi-process cluster: the watched user's inbox publishes on its
/// pub-sub topic, and the watcher's node hears it, whatever node either device is on. A web node that dies takes
/// its users offline once the cluster removes it (the inbox's death watch of the devices fires then).
/// Timings go to the output; nothing asserts on them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PresenceClusterSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_watcher_on_one_web_node_sees_a_user_connect_and_disconnect_on_another()
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, "presence");
        try
        {
            var (webA, webB) = await cluster.StartTwoWebNodesAsync();

            using var alice = await ChatClient.SignUpAsync(webA.BaseUrl!);
            using var bob = await ChatClient.SignUpAsync(webB.BaseUrl!);
            await alice.SendAsync(bob.UserId, "hi bob");
            var conversation = ChatClient.Dm(alice.UserId, bob.UserId);

            await using var watcher = await ChatSocket.ConnectAsync(webA.BaseUrl!, alice.Token);
            await watcher.SendJsonAsync(new { type = "watch", userIds = new[] { bob.UserId } });
            await watcher.WaitPresenceAsync(bob.UserId, online: false);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var bobPhone = await ChatSocket.ConnectAsync(webB.BaseUrl!, bob.Token);
            await watcher.WaitPresenceAsync(bob.UserId, online: true);
            output.WriteLine($"web-a saw bob come online on web-b after {clock.ElapsedMilliseconds} ms");

            // Typing crosses the nodes too: bob on web-b types, alice's device on web-a is told.
            await bobPhone.SendJsonAsync(new { type = "typing", conversationId = conversation });
            await watcher.WaitTypingAsync(conversation, bob.UserId);

            clock.Restart();
            await bobPhone.DisposeAsync();
            var offline = await watcher.WaitPresenceAsync(bob.UserId, online: false);
            Assert.NotNull((string?)offline["lastSeen"]);
            var (_, presence) = await alice.GetAsync($"/api/users/{bob.UserId}/presence");
            Assert.Equal((string?)offline["lastSeen"], (string?)presence!["lastSeen"]);
            output.WriteLine($"web-a saw bob go offline on web-b after {clock.ElapsedMilliseconds} ms, last seen {offline["lastSeen"]}");

            // kill -9 of the web node bob is connected to: no close, no detach. He goes offline once the cluster
            // has downed and removed web-b (failure detection + split-brain resolver + removal, ~10-15 s).
            await using var bobAgain = await ChatSocket.ConnectAsync(webB.BaseUrl!, bob.Token);
            await watcher.WaitPresenceAsync(bob.UserId, online: true);
            clock.Restart();
            webB.Kill();
            var dead = await watcher.WaitPresenceAsync(bob.UserId, online: false, TimeSpan.FromSeconds(90));
            Assert.NotNull((string?)dead["lastSeen"]);
            output.WriteLine($"web-a saw bob go offline {clock.Elapsed.TotalSeconds:F1} s after web-b was killed");
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }
}
