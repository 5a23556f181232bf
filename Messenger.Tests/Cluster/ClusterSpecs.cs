using System.Diagnostics;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Multi-process cluster tests: real <c>dotnet Messenger.Node.dll</c> shard hosts and <c>dotnet Messenger.Web.dll</c>
/// web nodes on 127.0.0.1, the throwaway PostgreSQL as journal, WebSocket clients sending continuously.
/// Waits are bounded; nothing asserts on timing. Figures (failover time, send counts) go to the test output.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Users = 12;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(40);

    /// <summary>No cap in practice: conversations outgrow the inbox's recent window, so history is checked across
    /// the window/storage boundary too.</summary>
    private const int MaxSendsPerUser = 100_000;
    /// <summary>Acknowledged sends every user must have before the node is stopped, and again after it is gone.</summary>
    private const int AcksBefore = 20;
    private const int AcksAfter = 10;
    private static readonly TimeSpan LoadBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(90);

    private static async Task<List<ChatClient>> SignUpAsync(Uri node, int count)
    {
        var users = new List<ChatClient>();
        for (var i = 0; i < count; i++) users.Add(await ChatClient.SignUpAsync(node, ChatClient.NewName("c")));
        return users;
    }

    /// <summary>
    /// kill -9 of a shard host under load. <c>shard-b</c> holds about half the users; <c>shard-a</c> holds the other
    /// half and is also the oldest node, so the shard coordinators (cluster singletons) die with it and must move.
    /// </summary>
    [Theory]
    [InlineData("shard-b")]
    [InlineData("shard-a")]
    public async Task Kill_9_of_a_shard_host_loses_no_acknowledged_message_and_every_user_is_served_again(string victimName)
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, "kill");
        try
        {
            var (a, b, web) = await cluster.StartTwoShardHostsAndWebAsync();
            var victim = victimName == "shard-a" ? a : b;
            var users = await SignUpAsync(web.BaseUrl!, Users);
            await using var load = new ChatLoad(users, _ => web.BaseUrl!, Pace, MaxSendsPerUser);
            load.Start();
            await load.UntilEveryUserAckedAsync(AcksBefore, LoadBound);
            var ackedBeforeKill = load.Acked;

            var sinceKill = Stopwatch.StartNew();
            victim.Kill();
            var served = await Waits.UntilAllServedAsync(users, web.BaseUrl!, sinceKill, RecoveryBound);
            var allServedAfter = served.Values.Max(s => s.ServedAfter);
            var affected = served.Values.Count(s => s.WasAffected);
            output.WriteLine($"kill -9 of {victimName}: every user served again {Secs(allServedAfter)} after the kill; " +
                             $"{affected} of {Users} users were unavailable for a while (their inboxes were on {victimName}); " +
                             $"per user: {string.Join(", ", served.Values.Select(s => Secs(s.ServedAfter)).Order())}");
            var notServed = served.Where(s => s.Value.ServedAfter == TimeSpan.MaxValue).Select(s => s.Key).ToList();
            Assert.True(notServed.Count == 0, $"not served again within {RecoveryBound}: {string.Join(", ", notServed)}");
            Assert.True(affected > 0, "no user's inbox was on the killed shard host: the test proved nothing");

            await load.UntilEveryUserAckedAsync(load.LeastAckedPerUser() + AcksAfter, LoadBound);
            await load.StopAsync(finishWithin: TimeSpan.FromSeconds(60));
            output.WriteLine(load.Summary());
            output.WriteLine($"acknowledged before the kill: {ackedBeforeKill}");

            AssertEverySendEndedWell(load);
            var check = await ClusterChecks.HistoriesAsync(users, load.Records, web.BaseUrl!);
            output.WriteLine(Describe(check));
            Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems.Take(20)));

            // Retrying with the same clientMessageId converges on the one stored message: every send that needed a retry,
            // plus a sample of the others, sent once more after the dust settled.
            var retried = load.Records.Where(r => r.Unavailable > 0 || r.Hangs > 0 || r.Reconnects > 0).ToList();
            var sample = retried.Concat(load.Records.Where(r => r.Attempts == 1).Take(30)).ToList();
            var resend = await ClusterChecks.ResendConvergesAsync(users, sample, web.BaseUrl!);
            output.WriteLine($"resent {sample.Count} clientMessageIds ({retried.Count} that had needed a retry): {resend.Count} diverged");
            Assert.True(resend.Count == 0, string.Join("\n", resend.Take(20)));
            var recheck = await ClusterChecks.HistoriesAsync(users, load.Records, web.BaseUrl!);
            Assert.True(recheck.Problems.Count == 0, string.Join("\n", recheck.Problems.Take(20)));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    [Fact]
    public async Task SIGTERM_of_a_shard_host_under_load_hands_its_shards_over_and_every_send_is_acknowledged()
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, "leave");
        try
        {
            var (_, b, web) = await cluster.StartTwoShardHostsAndWebAsync();
            var users = await SignUpAsync(web.BaseUrl!, Users);
            await using var load = new ChatLoad(users, _ => web.BaseUrl!, Pace, MaxSendsPerUser);
            load.Start();
            await load.UntilEveryUserAckedAsync(AcksBefore, LoadBound);

            var termAt = DateTime.UtcNow;
            var sinceTerm = Stopwatch.StartNew();
            b.Terminate();
            var exitCode = await b.WaitForExitAsync(TimeSpan.FromSeconds(90));
            var exitedAfter = sinceTerm.Elapsed;
            var exitAt = DateTime.UtcNow;
            Assert.True(exitCode is not null, "shard-b did not exit within 90 s of SIGTERM");
            var log = b.ReadLog();
            output.WriteLine($"SIGTERM of shard-b: exited with {exitCode} {Secs(exitedAfter)} after the signal");
            Assert.Contains("Exiting completed", log); // it left the cluster (not downed by the others)

            await load.UntilEveryUserAckedAsync(load.LeastAckedPerUser() + AcksAfter, LoadBound);
            await load.StopAsync(finishWithin: TimeSpan.FromSeconds(60));
            output.WriteLine(load.Summary());

            // "Zero failed sends": every send ends acknowledged, each attempt answered. A client may be told
            // `unavailable` during the hand-over and retry with the same clientMessageId (counted above); that is
            // not a failure as long as the retry is acknowledged and the message is stored once.
            AssertEverySendEndedWell(load);
            var handOver = load.Records.Where(r => r.StartedAt >= termAt && r.StartedAt <= exitAt).ToList();
            var slowest = handOver.Count == 0 ? 0 : handOver.Max(r => r.Latency!.Value.TotalMilliseconds);
            output.WriteLine($"sends started during the hand-over: {handOver.Count} (slowest acknowledged after {slowest:F0} ms); " +
                             $"sends that needed a retry: {load.Records.Count(r => r.Attempts > 1)}");

            var check = await ClusterChecks.HistoriesAsync(users, load.Records, web.BaseUrl!);
            output.WriteLine(Describe(check));
            Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems.Take(20)));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    [Fact]
    public async Task A_users_devices_on_two_different_web_nodes_both_receive_every_message()
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, "web2");
        try
        {
            var shard = cluster.StartShardHost("shard-a");
            await cluster.WaitUpAsync(shard);
            var web1 = cluster.StartWeb("web-1");
            var web2 = cluster.StartWeb("web-2");
            await cluster.WaitUpAsync(web1);
            await cluster.WaitUpAsync(web2);
            await web1.WaitReadyAsync(ClusterHarness.StartTimeout);
            await web2.WaitReadyAsync(ClusterHarness.StartTimeout);

            // Tokens from one node are valid on the other: the nodes share the signing key through the database.
            using var alice = await ChatClient.SignUpAsync(web1.BaseUrl!);
            using var bob = await ChatClient.SignUpAsync(web2.BaseUrl!);
            await using var alicePhone = await ChatSocket.ConnectAsync(web1.BaseUrl!, alice.Token);
            await using var aliceLaptop = await ChatSocket.ConnectAsync(web2.BaseUrl!, alice.Token);
            await using var bobPhone = await ChatSocket.ConnectAsync(web1.BaseUrl!, bob.Token);

            // Bob (device on web-1) to Alice: both of Alice's devices get it, one per web node.
            var fromBob = Guid.NewGuid();
            await bobPhone.SendMessageAsync(alice.UserId, "hi alice", fromBob);
            Assert.Equal("sent", (string?)(await bobPhone.WaitForSentAsync(fromBob))["type"]);
            var onPhone = await alicePhone.WaitForMessageAsync(fromBob);
            var onLaptop = await aliceLaptop.WaitForMessageAsync(fromBob);
            Assert.Equal((string?)onPhone["message"]!["messageId"], (string?)onLaptop["message"]!["messageId"]);

            // Alice answers from the laptop (web-2): her phone on web-1 gets her own message too, and Bob gets it.
            var fromAlice = Guid.NewGuid();
            await aliceLaptop.SendMessageAsync(bob.UserId, "hi bob", fromAlice);
            Assert.Equal("sent", (string?)(await aliceLaptop.WaitForSentAsync(fromAlice))["type"]);
            await aliceLaptop.WaitForMessageAsync(fromAlice);
            await alicePhone.WaitForMessageAsync(fromAlice);
            await bobPhone.WaitForMessageAsync(fromAlice);

            // An HTTP send through web-1 with the token web-2 issued reaches Alice's devices on both nodes.
            var http = await bob.On(web1.BaseUrl!).SendAsync(alice.UserId, "over http");
            var key = Guid.Parse((string)http["clientMessageId"]!);
            await alicePhone.WaitForMessageAsync(key);
            await aliceLaptop.WaitForMessageAsync(key);

            // Still true while the connections live on: messages keep coming, each checked on both of Alice's devices,
            // for longer than the bridge's periodic re-attach period (10 s), so that re-attach runs on both web nodes.
            // Paced at 50/s, under the per-user send rate limit (100/s), as a client that respects it would send.
            var exchanging = Stopwatch.StartNew();
            var later = 0;
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (exchanging.Elapsed < TimeSpan.FromSeconds(12) && await pace.WaitForNextTickAsync())
            {
                var key2 = Guid.NewGuid();
                await bobPhone.SendMessageAsync(alice.UserId, $"later {++later}", key2);
                Assert.Equal("sent", (string?)(await bobPhone.WaitForSentAsync(key2))["type"]);
                await alicePhone.WaitForMessageAsync(key2);
                await aliceLaptop.WaitForMessageAsync(key2);
            }
            output.WriteLine($"alice's devices on web-1 and web-2 both received all {3 + later} messages");
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    private static void AssertEverySendEndedWell(ChatLoad load)
    {
        var records = load.Records.ToList();
        Assert.NotEmpty(records);
        var hangs = records.Where(r => r.Hangs > 0).ToList();
        Assert.True(hangs.Count == 0, $"{hangs.Count} send attempts got no answer within {ChatLoad.AnswerTimeout}: " +
                                      string.Join(", ", hangs.Take(10).Select(r => r.ClientMessageId)));
        var odd = records.Where(r => r.OtherErrors.Count > 0).ToList();
        Assert.True(odd.Count == 0, "answers other than sent/unavailable: " + string.Join("\n", odd.Take(10).SelectMany(r => r.OtherErrors)));
        var unacked = records.Where(r => !r.Acked).ToList();
        Assert.True(unacked.Count == 0, $"{unacked.Count} sends never acknowledged despite retries: " +
                                        string.Join(", ", unacked.Take(10).Select(r => $"{r.ClientMessageId} ({r.Attempts} attempts)")));
    }

    private static string Describe(ClusterChecks.HistoryCheck check) =>
        $"stored: {check.Acknowledged} acknowledged sends checked in both copies (history and inbox); " +
        $"lost {check.Missing}, duplicated {check.Duplicated}, mismatched {check.Mismatched}, out of order {check.OutOfOrder}; " +
        $"stored without an acknowledgement {check.Unacknowledged}";

    private static string Secs(TimeSpan t) => t == TimeSpan.MaxValue ? "never" : $"{t.TotalSeconds:F1} s";
}
