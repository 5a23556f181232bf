using System.Diagnostics;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Live delivery across a move of the inbox (multi-process cluster): a device stays connected to a web node while the
/// shard host holding its user's inbox dies (kill -9) or leaves (SIGTERM); the messages stored after the move reach
/// the device live, without the client sending <c>sync</c> (API.md: "as soon as that user's copy is stored").
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FailoverDeliverySpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Users = 12;
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How long a device may take to get a message after its sender's acknowledgement. Above the failover time
    /// (~15 s, hocon/messenger.conf) and above the bridge's periodic re-attach (10 s): a message that misses it was
    /// not pushed at all, not pushed late.
    /// </summary>
    private static readonly TimeSpan LiveBound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("kill -9")]
    [InlineData("SIGTERM")]
    public async Task A_device_whose_inbox_moved_receives_the_messages_sent_after_the_move_live_without_sync(string how)
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, how == "SIGTERM" ? "livel" : "livek");
        try
        {
            var (_, b, web) = await cluster.StartTwoShardHostsAndWebAsync();
            var users = new List<ChatClient>();
            for (var i = 0; i < Users; i++) users.Add(await ChatClient.SignUpAsync(web.BaseUrl!, ChatClient.NewName("l")));
            var devices = new List<ChatSocket>();
            foreach (var u in users) devices.Add(await ChatSocket.ConnectAsync(web.BaseUrl!, u.Token));

            // Before: every pair exchanges a message, received live on both devices (every inbox active, devices attached).
            await ExchangeAsync(users, devices, web.BaseUrl!, "before");

            // shard-b (not the oldest node: the coordinators stay put) goes away; its users' inboxes move to shard-a.
            var since = Stopwatch.StartNew();
            if (how == "SIGTERM")
            {
                b.Terminate();
                Assert.NotNull(await b.WaitForExitAsync(RecoveryBound));
            }
            else b.Kill();
            var served = await Waits.UntilAllServedAsync(users, web.BaseUrl!, since, RecoveryBound);
            var notServed = served.Where(s => s.Value.ServedAfter == TimeSpan.MaxValue).Select(s => s.Key).ToList();
            Assert.True(notServed.Count == 0, $"not served again within {RecoveryBound}: {string.Join(", ", notServed)}");
            var unavailable = served.Where(s => s.Value.WasAffected).Select(s => s.Key).ToHashSet();
            output.WriteLine($"{how} of shard-b: every user served again {since.Elapsed.TotalSeconds:F1} s later; " +
                             $"{unavailable.Count} of {Users} were unavailable for a while (their inboxes were on shard-b)");
            if (how == "kill -9") Assert.True(unavailable.Count > 0, "no user's inbox was on the killed shard host: the test proved nothing");

            // After: the same exchange; no device sends sync; every message must arrive live on both devices.
            var missed = await ExchangeAsync(users, devices, web.BaseUrl!, "after the move", throwOnMiss: false);
            var report = new List<string>();
            foreach (var (user, key, text) in missed)
            {
                using var reader = users[user].On(web.BaseUrl!);
                var (events, _) = await reader.SyncAsync(0, 1000);
                var stored = events.FirstOrDefault(e => (string?)e!["clientMessageId"] == key.ToString());
                var where = how == "SIGTERM" ? "" : unavailable.Contains(users[user].UserId) ? "; inbox moved" : "; inbox stayed";
                report.Add(text + (stored is null ? " (not in the inbox either)" : $" (stored in the inbox at seq {stored["seq"]}{where})"));
            }
            Assert.True(report.Count == 0, $"{report.Count} messages stored after the move never reached a connected device live:\n" +
                                           string.Join("\n", report.Take(24)));
            foreach (var d in devices) await d.DisposeAsync();
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    /// <summary>
    /// Each pair sends one message each way over HTTP (retried with the same key while 503); every message must reach
    /// both participants' devices live within <see cref="LiveBound"/> of its acknowledgement. Returns what was missed,
    /// per device (or throws when something was missed).
    /// </summary>
    private async Task<List<(int User, Guid Key, string Text)>> ExchangeAsync(List<ChatClient> users, List<ChatSocket> devices, Uri node, string phase, bool throwOnMiss = true)
    {
        var sent = new List<(int From, int To, Guid Key, DateTime AckedAt)>();
        for (var i = 0; i < users.Count; i++)
        {
            var to = i ^ 1;
            var key = Guid.NewGuid();
            using var client = users[i].On(node);
            await Waits.SendUntilSentAsync(client, users[to].UserId, $"{phase} from {users[i].UserId}", key, RecoveryBound);
            sent.Add((i, to, key, DateTime.UtcNow));
        }
        var waits = Enumerable.Range(0, users.Count).Select(async d =>
        {
            var missed = new List<(int, Guid, string)>();
            var latest = TimeSpan.Zero;
            foreach (var (from, to, key, ackedAt) in sent.Where(s => s.From == d || s.To == d))
            {
                try
                {
                    var left = ackedAt + LiveBound - DateTime.UtcNow;
                    await devices[d].WaitForAsync(
                        f => (string?)f["type"] == "message" && (string?)f["message"]!["clientMessageId"] == key.ToString(),
                        left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                    var after = DateTime.UtcNow - ackedAt;
                    if (after > latest) latest = after;
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    missed.Add((d, key, $"{users[d].UserId}'s device: {phase}, {users[from].UserId}→{users[to].UserId} {key} not received " +
                               $"within {LiveBound} of its acknowledgement ({e.GetType().Name}; socket {devices[d].State})"));
                }
            }
            return (missed, latest);
        });
        var results = await Task.WhenAll(waits);
        output.WriteLine($"{phase}: {sent.Count} messages, each to 2 devices; slowest arrival after the acknowledgement: " +
                         $"{results.Max(r => r.latest).TotalMilliseconds:F0} ms; missed {results.Sum(r => r.missed.Count)}");
        var all = results.SelectMany(r => r.missed).ToList();
        if (throwOnMiss && all.Count > 0) throw new InvalidOperationException(string.Join("\n", all.Select(m => m.Item3)));
        return all;
    }
}
