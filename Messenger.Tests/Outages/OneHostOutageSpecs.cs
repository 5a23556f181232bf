using Messenger.Tests.Cluster;
using Messenger.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Messenger.Tests.Outages;

/// <summary>
/// The database unreachable from one shard host only (issue 14): two shard hosts and a web node in their own processes;
/// one of them (b) reaches PostgreSQL through a <see cref="TcpProxy"/> that is cut under load (every connection reset, new
/// ones refused) and restored. Pairs of HTTP senders are formed by where their inboxes live: both on a (spared), both on
/// b, one on each (a send needs both copies, so those are affected too).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OneHostOutageSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Users = 28;
    private static readonly TimeSpan CutFor = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan AnswerBound = SendDeadline.Of("Messenger.Web") + SendDeadline.Margin;

    /// <summary>The single node's 5 s to serve again, plus a send under way at the restore (answered by the deadline).</summary>
    private static readonly TimeSpan ServeAgainBound = TimeSpan.FromSeconds(5) + AnswerBound;

    /// <param name="cutTheOldest">Cut the first shard host (the oldest member: it runs the shard coordinator) instead of the second.</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_database_unreachable_from_one_shard_host_makes_only_its_users_unavailable_and_the_cluster_stays_up(bool cutTheOldest)
    {
        await using var harness = await ClusterHarness.CreateAsync(postgres, output, "onehost");
        var direct = new NpgsqlConnectionStringBuilder(harness.ConnectionString);
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(harness.ConnectionString) { Port = proxy.Port }.ToString();
        try
        {
            var proxied = new[] { "--Messenger:ConnectionString", throughProxy };
            // a: the host that keeps its database; b: the one reaching it through the proxy.
            var first = harness.StartShardHost("shard-1", cutTheOldest ? proxied : []);
            await harness.WaitUpAsync(first);
            var second = harness.StartShardHost("shard-2", cutTheOldest ? [] : proxied);
            var (a, b) = cutTheOldest ? (second, first) : (first, second);
            var web = harness.StartWeb("web");
            await harness.WaitUpAsync(second);
            await harness.WaitUpAsync(web);
            await web.WaitReadyAsync(ClusterHarness.StartTimeout);
            var url = web.BaseUrl!;

            var signedUp = new List<ChatClient>();
            for (var i = 0; i < Users; i++) signedUp.Add(await ChatClient.SignUpAsync(url, ChatClient.NewName("h")));
            // Signing up opened every inbox, so every user's shard is placed.
            var placement = await ShardPlacement.ReadAsync(url);
            var onA = signedUp.Where(u => placement.HostPortOf(u.UserId) == a.AkkaPort).ToList();
            var onB = signedUp.Where(u => placement.HostPortOf(u.UserId) == b.AkkaPort).ToList();
            Assert.True(onA.Count >= 6 && onB.Count >= 4, $"placement too uneven for the test: {onA.Count} users on a, {onB.Count} on b");
            Assert.True(proxy.Accepted > 0, $"{b.Name} did not reach PostgreSQL through the proxy");

            // Pairs (i, i^1): spared a-a pairs first, then b-b pairs, then a-b pairs.
            var mixed = 2;
            var spared = Pairs(onA.Skip(mixed).ToList());
            var cutOnly = Pairs(onB.Skip(mixed).ToList());
            var across = onA.Take(mixed).Zip(onB.Take(mixed)).SelectMany(p => new[] { p.First, p.Second }).ToList();
            var users = spared.Concat(cutOnly).Concat(across).ToList();
            var affected = cutOnly.Concat(across).Select(u => u.UserId).ToHashSet();
            var sparedIds = spared.Select(u => u.UserId).ToHashSet();
            output.WriteLine($"{spared.Count} users in pairs on {a.Name} (spared), {cutOnly.Count} in pairs on {b.Name} (cut), {across.Count} in pairs across");

            await using var load = new OutageLoad(users, url);
            load.Start();
            await Waits.UntilAsync(() => load.LeastAckedSince(DateTime.MinValue) >= 3, TimeSpan.FromSeconds(60), () => "load did not get going");

            var cutAt = DateTime.UtcNow;
            proxy.Cut();
            await Waits.UntilAsync(
                () => users.All(u => sparedIds.Contains(u.UserId)
                    ? load.Records.Count(r => r.From == u.UserId && r.StartedAt > cutAt && r.Acked) >= 3
                    : load.Attempts.Any(t => t.From == u.UserId && t.Started > cutAt && t.Status == 503)),
                TimeSpan.FromSeconds(60),
                () => "the spared users were not acknowledged, or the cut host's users were not answered unavailable, during the cut");
            // The outage itself: how long the database stays unreachable is the scenario, not a wait for something.
            var rest = CutFor - (DateTime.UtcNow - cutAt);
            if (rest > TimeSpan.Zero) await Task.Delay(rest);
            var restoredAt = DateTime.UtcNow;
            proxy.Restore();

            await Waits.UntilAsync(() => load.LeastAckedSince(restoredAt) >= 2, TimeSpan.FromSeconds(90),
                () => "not every user was served again: " + load.Behind(restoredAt, 2));
            await load.StopAsync(TimeSpan.FromSeconds(90));
            var after = await ShardPlacement.ReadAsync(url);

            var attempts = load.Attempts.ToList();
            var longest = attempts.MaxBy(t => t.Took)!;
            bool During(SendRecord r) => r.StartedAt > cutAt && r.AckedAt < restoredAt;
            var sparedAcksDuring = load.Records.Count(r => sparedIds.Contains(r.From) && During(r));
            var affectedAcksDuring = load.Records.Count(r => affected.Contains(r.From) && During(r));
            var firstUnavailable = attempts.Where(t => affected.Contains(t.From) && t.Started > cutAt && t.Status == 503).Min(t => t.Ended) - cutAt;
            var servedAgain = users.Where(u => affected.Contains(u.UserId))
                .Max(u => load.Records.Where(r => r.From == u.UserId && r.AckedAt > restoredAt).Min(r => r.AckedAt!.Value)) - restoredAt;
            var check = await ClusterChecks.HistoriesAsync(users, load.Records, url);
            output.WriteLine($"{b.Name} cut {CutFor.TotalSeconds:F0} s: {load.Records.Count(r => r.Acked)} acknowledged, {check.Missing} missing copies, " +
                             $"{check.Duplicated} duplicated; {attempts.Count} requests, {attempts.Count(t => t.Status == 503)} answered 503, " +
                             $"{attempts.Count(t => t.Status == 0)} unanswered, {load.Records.Sum(r => r.RateLimited)} rate-limited; longest answer {longest.Took.TotalSeconds:F2} s; during the cut " +
                             $"{sparedAcksDuring} acknowledged to the spared pairs, {affectedAcksDuring} to the others; first 503 of an affected " +
                             $"user {firstUnavailable.TotalSeconds:F2} s after the cut; every affected user served again {servedAgain.TotalSeconds:F2} s after the restore");

            foreach (var slow in attempts.OrderByDescending(t => t.Took).Take(5))
                output.WriteLine($"  slow: {slow.Took.TotalSeconds:F2} s, status {slow.Status}, started {(slow.Started - cutAt).TotalSeconds:F2} s after the cut, " +
                                 (affected.Contains(slow.From) ? "affected" : "spared") + $" user {slow.From}");
            Assert.Empty(load.Records.SelectMany(r => r.OtherErrors));
            Assert.True(after.SameAs(placement), "shards moved during the test (the users' hosts are not what the test assumed)");
            Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems.Take(20)));
            Assert.Equal(0, affectedAcksDuring);
            Assert.True(longest.Took <= AnswerBound, $"a request went {longest.Took.TotalSeconds:F1} s without an answer (bound {AnswerBound.TotalSeconds} s)");
            Assert.True(servedAgain <= ServeAgainBound,
                $"the cut host's users were served again only {servedAgain.TotalSeconds:F1} s after the restore (bound {ServeAgainBound.TotalSeconds} s)");
            // The cluster stayed as it was: nobody downed, removed or gone (a member briefly unreachable on a loaded box
            // is the failure detector's business, not the database's).
            Assert.All(harness.Nodes, n => Assert.False(n.HasExited, $"{n.Name} exited"));
            foreach (var node in harness.Nodes)
            {
                var log = node.ReadLog();
                foreach (var line in new[] { "is downing", "as [Down]", "Leader is removing" })
                    Assert.False(log.Contains(line, StringComparison.Ordinal), $"{node.Name}'s log: '{line}' (a member was downed or removed)");
            }
        }
        catch
        {
            harness.DumpLogs();
            throw;
        }
    }

    /// <summary>An even number of users (the last one of an odd count sits out).</summary>
    private static List<ChatClient> Pairs(List<ChatClient> users) => users.Take(users.Count / 2 * 2).ToList();
}
