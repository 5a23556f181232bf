using System.Diagnostics;
using Messenger.Tests.Cluster;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Api;

/// <summary>
/// kill -9 of the default mode (<c>dotnet Messenger.Web.dll</c>: one process, SQLite under its data dir) under load
/// from WebSocket and HTTP senders, restarted on the same data dir and port. Waits are bounded; nothing asserts on
/// timing; figures go to the test output.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Users = 12;
    private const int AcksBefore = 15;
    private const int AcksAfter = 10;
    private const int Crashes = 3;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Pairs (0,1) … (10,11): users 0–3 send over WebSocket and 4–7 over HTTP, retrying until acknowledged; users 8–11
    /// (WebSocket and HTTP) give up at the first failed attempt, so whatever they had in flight at the kill is never
    /// retried by a client: a message the recipient's copy holds must still reach the sender's copy.
    /// </summary>
    private static SenderStyle StyleOf(int user) => user switch
    {
        < 4 => new SenderStyle(),
        < 8 => new SenderStyle(OverHttp: true),
        < 10 => new SenderStyle(GivesUp: true),
        _ => new SenderStyle(OverHttp: true, GivesUp: true),
    };

    [Fact]
    public async Task Kill_9_of_the_default_mode_under_load_loses_no_acknowledged_message_and_the_copies_converge_after_restart()
    {
        var dataDir = TempDirs.Create("messenger-crash-data");
        var logDir = TempDirs.Create("messenger-crash-logs");
        var baseUrl = new Uri($"http://127.0.0.1:{MessengerServer.FreePort()}");
        output.WriteLine($"data dir {dataDir}, logs {logDir}, {baseUrl}");
        var nodes = new List<NodeProcess> { NodeProcess.StartDefaultMode("run-1", logDir, dataDir, baseUrl) };
        try
        {
            await nodes[0].WaitReadyAsync(Bound);
            var users = new List<ChatClient>();
            for (var i = 0; i < Users; i++) users.Add(await ChatClient.SignUpAsync(baseUrl, ChatClient.NewName("k")));
            var records = new List<SendRecord>();
            var owedAtFirstLook = 0;
            for (var crash = 1; crash <= Crashes; crash++)
            {
                var (cycle, owed) = await LoadKillRestartAsync(users, baseUrl, dataDir, logDir, nodes, crash, records.Count + 1);
                records.AddRange(cycle);
                owedAtFirstLook += owed;
            }

            var gaveUp = records.Where(r => r.GaveUp).ToList();
            output.WriteLine($"{Crashes} crashes: {gaveUp.Count} sends given up at a kill; messages found in one copy only at the " +
                             $"first look after a restart (sender copies re-driven without any client retry): {owedAtFirstLook}");
            var check = await ClusterChecks.HistoriesAsync(users, records, baseUrl);
            output.WriteLine($"{check.Acknowledged} acknowledged sends checked in both copies: lost {check.Missing}, duplicated " +
                             $"{check.Duplicated}, mismatched {check.Mismatched}, out of order {check.OutOfOrder}; stored without an " +
                             $"acknowledgement {check.Unacknowledged}");
            Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems.Take(20)));

            // Clients that got `unavailable` or no answer retry with the same clientMessageId and converge on one message:
            // every send that needed a retry, every given-up send (acknowledged now), and a sample of the others.
            var resend = records.Where(r => r.GaveUp || r.Attempts > 1)
                .Concat(records.Where(r => r.Attempts == 1 && r.Acked).Take(30)).ToList();
            var diverged = await ClusterChecks.ResendConvergesAsync(users, resend, baseUrl);
            output.WriteLine($"resent {resend.Count} clientMessageIds ({gaveUp.Count} given up at a kill): {diverged.Count} diverged");
            Assert.True(diverged.Count == 0, string.Join("\n", diverged.Take(20)));
            var recheck = await ClusterChecks.HistoriesAsync(users, records, baseUrl);
            Assert.True(recheck.Problems.Count == 0, string.Join("\n", recheck.Problems.Take(20)));
            Assert.Equal(0, recheck.Unacknowledged);
            foreach (var u in users) u.Dispose();
        }
        catch
        {
            foreach (var node in nodes) output.WriteLine($"===== {node.Name} ({node.LogPath}) =====\n{node.Tail(60)}");
            throw;
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            TempDirs.TryDelete(dataDir);
            if (Environment.GetEnvironmentVariable("MESSENGER_KEEP_LOGS") != "1") TempDirs.TryDelete(logDir);
        }
    }

    /// <summary>
    /// One crash: load until every user has some acknowledged sends, kill -9, restart on the same data dir and port, let
    /// the retrying senders finish, then wait until both copies of every conversation agree (no client retries the
    /// given-up sends). Returns the load's records and how many messages were in one copy only at the first look.
    /// </summary>
    private async Task<(IReadOnlyCollection<SendRecord> Records, int OwedAtFirstLook)> LoadKillRestartAsync(
        List<ChatClient> users, Uri baseUrl, string dataDir, string logDir, List<NodeProcess> nodes, int crash, int firstNumber)
    {
        await using var load = new ChatLoad(users, _ => baseUrl, Pace, styleOf: StyleOf, firstNumber: firstNumber);
        load.Start();
        await load.UntilEveryUserAckedAsync(AcksBefore, Bound);
        var ackedBeforeKill = load.Acked;

        nodes[^1].Kill();
        Assert.NotNull(await nodes[^1].WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var sinceKill = Stopwatch.StartNew();
        nodes.Add(NodeProcess.StartDefaultMode($"run-{crash + 1}", logDir, dataDir, baseUrl));
        await nodes[^1].WaitReadyAsync(Bound);
        output.WriteLine($"crash {crash}: kill -9 with {ackedBeforeKill} sends acknowledged; restarted and ready {sinceKill.Elapsed.TotalSeconds:F1} s later");

        // The senders that retry carry on against the restarted node with the same clientMessageIds.
        await load.UntilEveryUserAckedAsync(load.LeastAckedPerUser() + AcksAfter, Bound);
        await load.StopAsync(finishWithin: TimeSpan.FromSeconds(60));
        output.WriteLine($"crash {crash}: {load.Summary()}");

        var records = load.Records;
        var unacked = records.Where(r => !r.Acked && !r.GaveUp).ToList();
        Assert.True(unacked.Count == 0, $"{unacked.Count} sends of retrying clients never acknowledged: " +
                                        string.Join(", ", unacked.Take(10).Select(r => $"{r.ClientMessageId} ({r.Attempts} attempts)")));
        var odd = records.Where(r => r.OtherErrors.Count > 0).ToList();
        Assert.True(odd.Count == 0, "answers other than sent/unavailable: " + string.Join("\n", odd.SelectMany(r => r.OtherErrors).Take(10)));
        Assert.True(records.Any(r => r.GaveUp), "no client gave up a send at the kill: the load did not reach the crash");

        // Owed sender copies: nobody retries the given-up sends, yet every message in one copy reaches the other.
        var (owedAtFirstLook, stillOwed) = await ClusterChecks.UntilCopiesAgreeAsync(users, baseUrl, Bound);
        output.WriteLine($"crash {crash}: {records.Count(r => r.GaveUp)} sends given up; in one copy only at the first look: " +
                         $"{owedAtFirstLook}, after waiting: {stillOwed.Count}");
        Assert.True(stillOwed.Count == 0, "sender copies never written after the restart:\n" + string.Join("\n", stillOwed.Take(20)));
        return (records.ToList(), owedAtFirstLook);
    }
}
