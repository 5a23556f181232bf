using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Group sends across a kill -9 of a shard host (multi-process cluster on PostgreSQL): members' inboxes and group
/// entities are spread over both shard hosts; senders keep sending to their groups over HTTP, retrying with the same
/// clientMessageId on <c>unavailable</c>, while one host dies (a member is added to one group and removed from another
/// meanwhile) and a new host joins in its place.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GroupFailoverSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Groups = 3;
    private const int Members = 6;
    private const int SendersPerGroup = 3;
    private const int AcksBefore = 8;
    private const int AcksAfter = 8;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LoadBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Kill_9_of_a_shard_host_during_group_sends_and_membership_changes_every_acknowledged_message_is_in_every_copy_once_and_the_copies_agree()
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, "gkill");
        var devices = new Dictionary<string, ChatSocket>();
        try
        {
            var (_, b, web) = await cluster.StartTwoShardHostsAndWebAsync();
            var node = web.BaseUrl!;
            var users = new List<ChatClient>();
            for (var i = 0; i < Groups * Members + 1; i++) users.Add(await ChatClient.SignUpAsync(node, ChatClient.NewName("g")));
            var groups = new List<TestGroup>();
            for (var g = 0; g < Groups; g++)
            {
                var members = users.Skip(g * Members).Take(Members).ToList();
                groups.Add(new TestGroup(await CreateGroupAsync(members, $"failover {g}"), members));
            }
            var senders = groups.SelectMany(g => g.Members.Take(SendersPerGroup).Select(m => (m, g.ConversationId))).ToList();
            // During the outage the first group gains a member and the second loses one (not a sender): their copies
            // must start / end exactly at those events (one cut), whatever host held their inboxes or the groups.
            var (joiner, joined) = (users[^1], groups[0]);
            var (leaver, left) = (groups[1].Members[^1], groups[1]);

            await using var load = new GroupLoad(senders, node, Pace);
            load.Start();
            await load.UntilEverySenderAckedAsync(AcksBefore, LoadBound);
            var ackedBeforeKill = load.Records.Count(r => r.Acked);

            var sinceKill = Stopwatch.StartNew();
            b.Kill();
            var membership = Task.WhenAll(
                ChangeMembershipAsync(joined.Members[0], HttpMethod.Post, $"/api/groups/{joined.ConversationId}/members", new { userId = joiner.UserId }),
                ChangeMembershipAsync(left.Members[0], HttpMethod.Delete, $"/api/groups/{left.ConversationId}/members/{leaver.UserId}", null));
            var served = await Waits.UntilAllServedAsync(users, node, sinceKill, RecoveryBound);
            var notServed = served.Where(s => s.Value.ServedAfter == TimeSpan.MaxValue).Select(s => s.Key).ToList();
            Assert.True(notServed.Count == 0, $"not served again within {RecoveryBound}: {string.Join(", ", notServed)}");
            var affected = served.Values.Count(s => s.WasAffected);
            output.WriteLine($"kill -9 of shard-b: every inbox served again {sinceKill.Elapsed.TotalSeconds:F1} s later; " +
                             $"{affected} of {users.Count} were unavailable for a while (their inboxes were on shard-b)");
            Assert.True(affected > 0, "no member's inbox was on the killed shard host: the test proved nothing");
            var attempts = await membership;
            output.WriteLine($"during the outage: {joiner.UserId} added to {joined.ConversationId} after {attempts[0]} attempts, " +
                             $"{leaver.UserId} removed from {left.ConversationId} after {attempts[1]}");
            joined.Members.Add(joiner);
            left.Members.Remove(leaver);
            left.Removed.Add(leaver);

            // A new shard host takes shard-b's place (new address: shard-b's old incarnation is downed, not rejoining).
            var b2 = cluster.StartShardHost("shard-b2");
            await cluster.WaitUpAsync(b2);
            await load.UntilEverySenderAckedAsync(load.LeastAckedPerSender() + AcksAfter, LoadBound);
            await load.StopAsync(finishWithin: TimeSpan.FromSeconds(60));
            output.WriteLine(load.Summary());
            output.WriteLine($"acknowledged before the kill: {ackedBeforeKill}; sends that needed a retry, per group: " +
                             string.Join(", ", groups.Select(g => $"{g.ConversationId} {load.Records.Count(r => r.To == g.ConversationId && r.Attempts > 1)}")));
            AssertEverySendEndedWell(load);

            var check = await GroupChecks.CopiesAsync(groups, load.Records, node);
            output.WriteLine($"copies: {check.Acknowledged} acknowledged group sends checked in {groups.Sum(g => g.Everyone.Count())} members' history " +
                             $"and inbox (up to {check.MessagesPerCopy} messages per copy); missing {check.Missing}, duplicated {check.Duplicated}, " +
                             $"mismatched {check.Mismatched}, copies disagreeing {check.Disagreeing}, out of order {check.OutOfOrder}; " +
                             $"stored without an acknowledgement {check.StoredUnacknowledged}");
            Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems.Take(20)));

            // Every member served again: each one sends to its group; every send is acknowledged and reaches every
            // member's device live. The removed member is refused.
            foreach (var u in users) devices[u.UserId] = await ChatSocket.ConnectAsync(node, u.Token);
            var finals = new List<(TestGroup Group, Guid Key)>();
            foreach (var group in groups)
            {
                foreach (var member in group.Members)
                {
                    var key = Guid.NewGuid();
                    using var client = member.On(node);
                    await Waits.SendUntilSentAsync(client, group.ConversationId, $"after the kill from {member.UserId}", key, RecoveryBound);
                    finals.Add((group, key));
                }
            }
            foreach (var group in groups)
                foreach (var member in group.Members)
                    foreach (var (_, key) in finals.Where(f => f.Group == group))
                        await devices[member.UserId].WaitForAsync(
                            f => (string?)f["type"] == "message" && (string?)f["message"]!["clientMessageId"] == key.ToString(), TimeSpan.FromSeconds(30));
            using (var removed = leaver.On(node))
                Assert.Equal(HttpStatusCode.Forbidden, (await removed.SendRawAsync(Guid.NewGuid(), left.ConversationId, "still here?")).StatusCode);
            output.WriteLine($"after the recovery: {finals.Count} sends (one per member) acknowledged, each received by every device of its group; " +
                             "the removed member's send is forbidden");
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
        finally
        {
            foreach (var d in devices.Values) await d.DisposeAsync();
        }
    }

    /// <summary>
    /// A membership request retried while 503, 429 (or unanswered) until 200; a 404 after a 503 means the first
    /// attempt went through (the member is gone already). Returns the attempts made.
    /// </summary>
    private static async Task<int> ChangeMembershipAsync(ChatClient admin, HttpMethod method, string path, object? body)
    {
        using var http = new HttpClient { BaseAddress = admin.BaseUrl, Timeout = ChatLoad.AnswerTimeout };
        http.DefaultRequestHeaders.Authorization = new("Bearer", admin.Token);
        var waited = Stopwatch.StartNew();
        var unavailable = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK || (unavailable && response.StatusCode == HttpStatusCode.NotFound)) return attempt;
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    // Membership changes count against the admin's send rate (they also send): nothing happened, try again.
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                }
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    Assert.Fail($"{method} {path} answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            unavailable = true;
            if (waited.Elapsed > RecoveryBound) Assert.Fail($"{method} {path} not answered 200 within {RecoveryBound}");
            await Task.Delay(250); // a client's retry pause
        }
    }

    /// <summary>
    /// POST /api/groups as the first member. Creating is not idempotent: a 503 (not yet durable in every member's copy)
    /// is looked up in the creator's conversations by its name before creating again.
    /// </summary>
    private async Task<string> CreateGroupAsync(IReadOnlyList<ChatClient> members, string name)
    {
        var creator = members[0];
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await creator.PostJsonAsync("/api/groups", new { name, members = members.Skip(1).Select(m => m.UserId).ToArray() });
            if (status == HttpStatusCode.Created) return (string)body!["conversationId"]!;
            if (status == HttpStatusCode.TooManyRequests && waited.Elapsed < RecoveryBound)
            {
                await Task.Delay(TimeSpan.FromSeconds(1)); // refused before anything happened: a client's retry pause
                continue;
            }
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"create group answered {(int)status} {ChatClient.Json(body)}");
            while (waited.Elapsed < RecoveryBound)
            {
                var (listed, page) = await creator.GetAsync("/api/conversations?limit=100");
                var found = listed == HttpStatusCode.OK
                    ? page!["conversations"]!.AsArray().FirstOrDefault(c => (string?)c!["group"]?["name"] == name)
                    : null;
                if (found is not null) return (string)found["conversationId"]!;
                await Task.Delay(250); // polling interval of a bounded wait
            }
            Assert.Fail($"group '{name}' neither created nor found within {RecoveryBound}");
        }
    }

    private static void AssertEverySendEndedWell(GroupLoad load)
    {
        var records = load.Records.ToList();
        Assert.NotEmpty(records);
        var hangs = records.Where(r => r.Hangs > 0).ToList();
        Assert.True(hangs.Count == 0, $"{hangs.Count} group send attempts got no answer within {ChatLoad.AnswerTimeout}: " +
                                      string.Join(", ", hangs.Take(10).Select(r => r.ClientMessageId)));
        var odd = records.Where(r => r.OtherErrors.Count > 0).ToList();
        Assert.True(odd.Count == 0, "answers other than sent/unavailable/rate_limited: " + string.Join("\n", odd.Take(10).SelectMany(r => r.OtherErrors)));
        var unacked = records.Where(r => !r.Acked).ToList();
        Assert.True(unacked.Count == 0, $"{unacked.Count} group sends never acknowledged despite retries: " +
                                        string.Join(", ", unacked.Take(10).Select(r => $"{r.ClientMessageId} ({r.Attempts} attempts)")));
    }
}
