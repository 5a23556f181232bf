using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Checks of what a deployment stored after a load (<see cref="ChatLoad"/>), read through the public HTTP API of a
/// serving web node. Users come in pairs (<see cref="ChatLoad.PartnerOf"/>): each pair shares one conversation.
/// </summary>
public static class ClusterChecks
{
    public sealed record HistoryCheck(
        int Acknowledged, int Missing, int Duplicated, int Mismatched, int Unacknowledged, int OutOfOrder, List<string> Problems);

    private sealed record Stored(string ClientMessageId, string MessageId, long Seq, string Order);

    /// <summary>
    /// Every acknowledged send must be exactly once, with the acknowledged messageId, in both participants' copies,
    /// read two ways: the conversation history (GET /api/conversations/{id}/messages, paged back by order) and the
    /// inbox (GET /api/sync, by seq, which must run 1, 2, 3, … without gaps). No clientMessageId may appear twice.
    /// Order across copies: both participants' histories hold the same messages with the same <c>order</c> in the
    /// same sequence, strictly ascending by <c>order</c>, and each sender's messages sort in the order they were sent
    /// (a load client sends the next message only once the previous one is acknowledged: causal order).
    /// Stored-but-unacknowledged sends are counted (allowed: the client gave up or the ack was lost), but they too
    /// must be in both copies.
    /// </summary>
    public static async Task<HistoryCheck> HistoriesAsync(IReadOnlyList<ChatClient> users, IReadOnlyCollection<SendRecord> records, Uri node)
    {
        var problems = new List<string>();
        int missing = 0, duplicated = 0, mismatched = 0, outOfOrder = 0;
        var histories = await HistoriesByUserAsync(users, node);
        var inboxes = await InboxesAsync(users, node);

        foreach (var (view, copies) in new[] { ("history", histories), ("inbox", inboxes) })
        {
            foreach (var (user, stored) in copies)
            {
                foreach (var dup in stored.GroupBy(m => m.ClientMessageId).Where(g => g.Count() > 1))
                {
                    duplicated++;
                    problems.Add($"{dup.Key} appears {dup.Count()} times in {user}'s {view}");
                }
            }
            foreach (var r in records.Where(r => r.Acked))
            {
                foreach (var user in new[] { r.From, r.To })
                {
                    var found = copies[user].Where(m => m.ClientMessageId == r.ClientMessageId.ToString()).ToList();
                    if (found.Count == 0)
                    {
                        missing++;
                        var elsewhere = view == "history"
                            ? inboxes[user].FirstOrDefault(m => m.ClientMessageId == r.ClientMessageId.ToString()) is { } inInbox
                                ? $" (it is in the inbox at seq {inInbox.Seq}: the history read misses it)"
                                : " (not in the inbox either)"
                            : "";
                        problems.Add($"acknowledged {r.ClientMessageId} ({r.From}→{r.To} #{r.Number}, started {r.StartedAt:HH:mm:ss.fff}, " +
                                     $"{r.Attempts} attempts) missing from {user}'s {view}{elsewhere}");
                    }
                    else if (found.Any(m => m.MessageId != r.MessageId))
                    {
                        mismatched++;
                        problems.Add($"{r.ClientMessageId} acknowledged as {r.MessageId} but stored as " +
                                     $"{string.Join(",", found.Select(m => m.MessageId))} in {user}'s {view}");
                    }
                }
            }
        }
        foreach (var (user, stored) in inboxes)
        {
            var seqs = stored.Select(m => m.Seq).ToList();
            if (!seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(x => (long)x)))
                problems.Add($"{user}'s inbox seqs are not 1..{seqs.Count} without gaps");
        }
        outOfOrder += OrderProblems(users, records, histories, problems);

        var acked = records.Where(r => r.Acked).Select(r => r.ClientMessageId.ToString()).ToHashSet();
        var unacknowledged = inboxes.Values.SelectMany(s => s).Select(m => m.ClientMessageId).Distinct().Count(k => !acked.Contains(k));
        return new HistoryCheck(acked.Count, missing, duplicated, mismatched, unacknowledged, outOfOrder, problems);
    }

    /// <summary>Same messages, same order in both copies of each conversation; ascending order; senders' messages in sending order.</summary>
    private static int OrderProblems(IReadOnlyList<ChatClient> users, IReadOnlyCollection<SendRecord> records,
        Dictionary<string, List<Stored>> histories, List<string> problems)
    {
        var count = 0;
        for (var i = 0; i < users.Count; i += 2)
        {
            var (a, b) = (users[i].UserId, users[i + 1].UserId);
            var copyA = histories[a].Select(m => (m.MessageId, m.ClientMessageId, m.Order)).ToList();
            var copyB = histories[b].Select(m => (m.MessageId, m.ClientMessageId, m.Order)).ToList();
            if (!copyA.SequenceEqual(copyB))
            {
                count++;
                var firstDiff = Enumerable.Range(0, Math.Min(copyA.Count, copyB.Count)).FirstOrDefault(k => copyA[k] != copyB[k], -1);
                problems.Add($"the copies of {ChatClient.Dm(a, b)} differ: {a} holds {copyA.Count} messages, {b} holds {copyB.Count}" +
                             (firstDiff >= 0 ? $"; first difference at position {firstDiff}: {copyA[firstDiff]} vs {copyB[firstDiff]}" : ""));
            }
        }
        foreach (var (user, history) in histories)
        {
            for (var k = 1; k < history.Count; k++)
            {
                if (string.CompareOrdinal(history[k - 1].Order, history[k].Order) >= 0)
                {
                    count++;
                    problems.Add($"{user}'s history is not ascending by order at position {k}: {history[k - 1].Order} then {history[k].Order}");
                }
            }
            var orderOf = history.GroupBy(m => m.ClientMessageId).ToDictionary(g => g.Key, g => g.First().Order);
            // A send its client gave up on was never acknowledged to it: causal order does not cover it.
            foreach (var sender in records.Where(r => r.From == user && !r.GaveUp).GroupBy(r => r.From))
            {
                var sent = sender.OrderBy(r => r.Number)
                    .Select(r => (r.Number, Order: orderOf.GetValueOrDefault(r.ClientMessageId.ToString())))
                    .Where(x => x.Order is not null).ToList();
                for (var k = 1; k < sent.Count; k++)
                {
                    if (string.CompareOrdinal(sent[k - 1].Order, sent[k].Order) < 0) continue;
                    count++;
                    problems.Add($"{user}'s message #{sent[k].Number} (order {sent[k].Order}) does not sort after their earlier " +
                                 $"#{sent[k - 1].Number} (order {sent[k - 1].Order}), which was acknowledged before it was sent");
                }
            }
        }
        return count;
    }

    /// <summary>Each user's whole conversation with their partner, oldest first.</summary>
    private static async Task<Dictionary<string, List<Stored>>> HistoriesByUserAsync(IReadOnlyList<ChatClient> users, Uri node)
    {
        var histories = new Dictionary<string, List<Stored>>();
        for (var i = 0; i < users.Count; i++)
        {
            using var me = users[i].On(node);
            var partner = ChatLoad.PartnerOf(users, i);
            var history = await RetryAsync(() => me.FullHistoryAsync(ChatClient.Dm(me.UserId, partner.UserId), pageSize: 50));
            histories[me.UserId] = history.Select(ToStored).ToList();
        }
        return histories;
    }

    private static Stored ToStored(JsonNode? m) =>
        new((string)m!["clientMessageId"]!, (string)m["messageId"]!, (long)m["seq"]!, (string)m["order"]!);

    /// <summary>Every user's whole inbox through GET /api/sync, in seq order.</summary>
    private static async Task<Dictionary<string, List<Stored>>> InboxesAsync(IReadOnlyList<ChatClient> users, Uri node)
    {
        var result = new Dictionary<string, List<Stored>>();
        foreach (var u in users)
        {
            using var me = u.On(node);
            var stored = new List<Stored>();
            long after = 0;
            while (true)
            {
                var (events, next) = await RetryAsync(() => me.SyncAsync(after, 1000));
                stored.AddRange(events.Select(ToStored));
                if (events.Count == 0 || next == after) break;
                after = next;
            }
            result[u.UserId] = stored;
        }
        return result;
    }

    /// <summary>
    /// Waits until, for every pair, each message in one participant's copy is in the other's too (a message stored in
    /// the recipient's copy whose sender copy was still owed gets its sender copy without any client retry). Reads the
    /// recipients' copies, then polls until the copies agree or <paramref name="timeout"/> passes.
    /// Returns how many messages were in one copy only at the first look, and what still differed at the end.
    /// </summary>
    public static async Task<(int OwedAtFirstLook, List<string> StillOwed)> UntilCopiesAgreeAsync(
        IReadOnlyList<ChatClient> users, Uri node, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        int? first = null;
        while (true)
        {
            var histories = await HistoriesByUserAsync(users, node);
            var owed = new List<string>();
            for (var i = 0; i < users.Count; i += 2)
            {
                var (a, b) = (users[i].UserId, users[i + 1].UserId);
                var inA = histories[a].Select(m => m.MessageId).ToHashSet();
                var inB = histories[b].Select(m => m.MessageId).ToHashSet();
                owed.AddRange(inA.Except(inB).Select(id => $"{id} is in {a}'s copy but not in {b}'s"));
                owed.AddRange(inB.Except(inA).Select(id => $"{id} is in {b}'s copy but not in {a}'s"));
            }
            first ??= owed.Count;
            if (owed.Count == 0 || deadline.Elapsed > timeout) return (first.Value, owed);
            await Task.Delay(250); // polling interval of a bounded wait
        }
    }

    /// <summary>
    /// Sends again (HTTP) with the same clientMessageId: must answer 200 with the same messageId and store nothing new.
    /// A send that was never acknowledged (its client gave up) is acknowledged now: the record takes the answer's
    /// messageId, so a history check afterwards requires it once in both copies.
    /// </summary>
    public static async Task<List<string>> ResendConvergesAsync(IReadOnlyList<ChatClient> users, IEnumerable<SendRecord> records, Uri node)
    {
        var problems = new List<string>();
        var clients = users.ToDictionary(u => u.UserId, u => u.On(node));
        try
        {
            foreach (var r in records)
            {
                var json = await RetryAsync(async () =>
                {
                    var response = await clients[r.From].SendRawAsync(r.ClientMessageId, r.To, r.Body);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable) throw new HttpRequestException("503: " + text);
                    return (response.StatusCode, Body: JsonNode.Parse(text));
                });
                var messageId = (string?)json.Body?["messageId"];
                if (json.StatusCode == HttpStatusCode.OK && !r.Acked)
                {
                    r.MessageId = messageId;
                    r.AckedAt = DateTime.UtcNow;
                }
                else if (json.StatusCode != HttpStatusCode.OK || messageId != r.MessageId)
                    problems.Add($"resend of {r.ClientMessageId} answered {(int)json.StatusCode} {json.Body?.ToJsonString()}, acknowledged as {r.MessageId}");
            }
        }
        finally
        {
            foreach (var c in clients.Values) c.Dispose();
        }
        return problems;
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception) when (attempt < 10)
            {
                await Task.Delay(500); // retry pause
            }
        }
    }
}
