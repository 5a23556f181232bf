using System.Diagnostics;
using Messenger.Tests.Cluster;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Outages;

/// <summary>
/// A node (its own process, shard host and web node) on a PostgreSQL server of its own, under load from 10 pairs of
/// HTTP senders that retry <c>unavailable</c> with the same clientMessageId; the server is stopped as in a crash
/// (<c>pg_ctl stop -m immediate</c>), kept down, and started again on the same data and port (issue 14).
/// </summary>
public sealed class DatabaseOutageSpecs(ITestOutputHelper output)
{
    private const int Pairs = 10;

    /// <summary>The contract: every request is answered by the send deadline (the edge's own bound), here plus the
    /// answer's way back on a loaded box.</summary>
    private static readonly TimeSpan AnswerBound = SendDeadline.Of("Messenger.Web") + SendDeadline.Margin;

    /// <summary>Issue 14: the first acknowledged send within 5 s of the database's return.</summary>
    private static readonly TimeSpan ServeAgainBound = TimeSpan.FromSeconds(5);

    /// <summary>Every user: the serve-again bound, plus a send that was under way at the return (answered at the latest
    /// by the deadline), then its retry.</summary>
    private static readonly TimeSpan EveryUserBound = ServeAgainBound + AnswerBound;

    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    public async Task A_node_answers_every_send_while_its_database_is_down_and_serves_again_within_5_s_of_its_return(int downSeconds)
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        var logDir = TempDirs.Create("messenger-outage-logs");
        NodeProcess? node = null;
        try
        {
            var connectionString = await postgres.CreateDatabaseAsync("outage");
            var akkaPort = MessengerServer.FreePort();
            node = NodeProcess.StartWeb("node", logDir, akkaPort,
            [
                "--Messenger:Journal", "postgresql", "--Messenger:ConnectionString", connectionString,
                "--Messenger:Cluster:Hostname", "127.0.0.1", "--Messenger:Cluster:Port", akkaPort.ToString(),
                "--Messenger:Cluster:SeedNodes", $"127.0.0.1:{akkaPort}", "--Messenger:Cluster:Roles", "shard,web",
            ]);
            await node.WaitReadyAsync(TimeSpan.FromSeconds(90));
            var url = node.BaseUrl!;
            var users = new List<ChatClient>();
            for (var i = 0; i < 2 * Pairs; i++) users.Add(await ChatClient.SignUpAsync(url, ChatClient.NewName("o")));
            var devices = new List<ChatSocket>();
            foreach (var u in users.Take(4)) devices.Add(await ChatSocket.ConnectAsync(url, u.Token));

            await using var load = new OutageLoad(users, url);
            await using var health = new ReadinessWatch(url);
            load.Start();
            await Waits.UntilAsync(() => load.LeastAckedSince(DateTime.MinValue) >= 3, TimeSpan.FromSeconds(60), () => "load did not get going");

            var down = DateTime.UtcNow;
            await postgres.StopImmediatelyAsync();
            var stopped = DateTime.UtcNow;
            await Waits.UntilAsync(() => health.Saw(503, after: stopped), TimeSpan.FromSeconds(30), () => "readiness never said 503 while the database was down");
            // The outage itself: how long the database stays down is the scenario, not a wait for something.
            var rest = TimeSpan.FromSeconds(downSeconds) - (DateTime.UtcNow - down);
            if (rest > TimeSpan.Zero) await Task.Delay(rest);
            // Acknowledged once the node itself knew its database was down (its readiness write had failed): a send
            // committed just before the stop may still be answered in the moments after it.
            var downSeen = health.First(503, after: stopped);
            var acksWhileDown = load.Records.Count(r => r.AckedAt > downSeen);
            await postgres.StartAsync();
            var back = DateTime.UtcNow;

            await Waits.UntilAsync(() => load.LeastAckedSince(back) >= 2, TimeSpan.FromSeconds(90),
                () => "not every user was served again: " + load.Behind(back, 2));
            await Waits.UntilAsync(() => health.Saw(200, after: back), TimeSpan.FromSeconds(30), () => "readiness never said 200 again");
            await load.StopAsync(TimeSpan.FromSeconds(90));

            var attempts = load.Attempts.ToList();
            var longest = attempts.MaxBy(a => a.Took)!;
            var firstAnswerWhileDown = attempts.Where(a => a.Started >= stopped && a.Status == 503).Min(a => a.Ended) - down;
            var firstAckAfterReturn = load.Records.Where(r => r.AckedAt > back).Min(r => r.AckedAt!.Value) - back;
            // Every user: its first acknowledged send after the return (a send under way then first ends with its 503).
            var everyUserServed = users.Max(u => load.Records.Where(r => r.From == u.UserId && r.AckedAt > back).Min(r => r.AckedAt!.Value)) - back;
            var ready200After = health.First(200, after: back) - back;
            var check = await ClusterChecks.HistoriesAsync(users, load.Records, url);
            output.WriteLine($"database down {downSeconds} s: {load.Records.Count(r => r.Acked)} acknowledged, {check.Missing} missing copies, " +
                             $"{check.Duplicated} duplicated; {attempts.Count} requests, {attempts.Count(a => a.Status == 503)} answered 503, " +
                             $"{attempts.Count(a => a.Status == 0)} unanswered, {load.Records.Sum(r => r.RateLimited)} rate-limited; longest answer {longest.Took.TotalSeconds:F2} s (status {longest.Status}); " +
                             $"first 503 {firstAnswerWhileDown.TotalSeconds:F2} s after the stop; {acksWhileDown} acknowledged while down; " +
                             $"first acknowledged send {firstAckAfterReturn.TotalSeconds:F2} s after the return, every user served again after " +
                             $"{everyUserServed.TotalSeconds:F2} s; readiness 200 {ready200After.TotalSeconds:F2} s after");

            Assert.Empty(load.Records.SelectMany(r => r.OtherErrors));
            Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems.Take(20)));
            Assert.Equal(0, acksWhileDown);
            Assert.True(longest.Took <= AnswerBound, $"a request went {longest.Took.TotalSeconds:F1} s without an answer (bound {AnswerBound.TotalSeconds} s)");
            Assert.True(firstAckAfterReturn <= ServeAgainBound,
                $"the first acknowledged send came {firstAckAfterReturn.TotalSeconds:F1} s after the database's return (bound {ServeAgainBound.TotalSeconds} s)");
            Assert.True(everyUserServed <= EveryUserBound,
                $"a user was served again only {everyUserServed.TotalSeconds:F1} s after the database's return (bound {EveryUserBound.TotalSeconds} s)");
            Assert.All(devices, d => Assert.Equal(System.Net.WebSockets.WebSocketState.Open, d.State));
            foreach (var d in devices) await d.DisposeAsync();
        }
        catch
        {
            if (node is not null) output.WriteLine(node.Tail(80));
            throw;
        }
        finally
        {
            if (node is not null) await node.DisposeAsync();
            await postgres.DisposeAsync();
            if (Environment.GetEnvironmentVariable("MESSENGER_KEEP_LOGS") != "1") TempDirs.TryDelete(logDir);
        }
    }
}
