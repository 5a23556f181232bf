using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Cluster;

/// <summary>
/// One group of a cluster test: its conversation id, its members now (the first, its creator, stays a member
/// throughout), and those removed during the test (whose copies end at their removal).
/// </summary>
public sealed record TestGroup(string ConversationId, List<ChatClient> Members)
{
    public List<ChatClient> Removed { get; } = new();

    public IEnumerable<ChatClient> Everyone => Members.Concat(Removed);
}

/// <summary>
/// Checks of the members' copies of group conversations after a <see cref="GroupLoad"/>, read through the public HTTP
/// API of a serving web node: history (paged back by order) and the inbox (sync, by seq).
/// </summary>
public static class GroupChecks
{
    public sealed record CopiesCheck(int Acknowledged, int Missing, int Duplicated, int Mismatched, int Disagreeing, int OutOfOrder,
        int StoredUnacknowledged, int MessagesPerCopy, List<string> Problems);

    private sealed record Stored(string MessageId, string ClientMessageId, string From, string Order, long Seq, string? Kind, string? Subject);

    /// <summary>
    /// For every group and member (removed ones included): every acknowledged send to the group is in the creator's
    /// history and inbox exactly once with the acknowledged messageId; no message appears twice; one cut: every
    /// member's history is exactly the creator's sequence (membership events included, same messageIds, same order)
    /// from the event that added them (all of it for the first members) to the event that removed them (the end for
    /// members now), and the same set as their inbox; histories ascend strictly by <c>order</c>; each sender's
    /// messages sort in sending order (causal order); each inbox's seqs run 1, 2, 3, … without gaps.
    /// </summary>
    public static async Task<CopiesCheck> CopiesAsync(IReadOnlyList<TestGroup> groups, IReadOnlyCollection<SendRecord> records, Uri node)
    {
        var problems = new List<string>();
        int missing = 0, duplicated = 0, mismatched = 0, disagreeing = 0, outOfOrder = 0, unacknowledged = 0, perCopy = 0;
        foreach (var group in groups)
        {
            var sent = records.Where(r => r.To == group.ConversationId).ToList();
            var acked = sent.Where(r => r.Acked).ToList();
            var histories = new Dictionary<string, List<Stored>>();
            var reference = group.Members[0].UserId;
            foreach (var member in group.Everyone)
            {
                using var me = member.On(node);
                var history = (await RetryAsync(() => me.FullHistoryAsync(group.ConversationId))).Select(ToStored).ToList();
                var inbox = await InboxAsync(me);
                histories[member.UserId] = history;
                var seqs = inbox.Select(m => m.Message.Seq).ToList();
                if (!seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(x => (long)x)))
                    problems.Add($"{member.UserId}'s inbox seqs are not 1..{seqs.Count} without gaps");
                var fromInbox = InGroup(inbox, group.ConversationId);
                foreach (var (view, copy) in new[] { ("history", history), ("inbox", fromInbox) })
                {
                    foreach (var dup in copy.GroupBy(m => m.MessageId).Where(g => g.Count() > 1))
                    {
                        duplicated++;
                        problems.Add($"{dup.Key} appears {dup.Count()} times in {member.UserId}'s {view} of {group.ConversationId}");
                    }
                    // Every acknowledged send once in the creator's copy; the others' copies are compared with it below.
                    foreach (var r in member.UserId == reference ? acked : [])
                    {
                        var found = copy.Where(m => m.ClientMessageId == r.ClientMessageId.ToString() && m.From == r.From).ToList();
                        if (found.Count == 0)
                        {
                            missing++;
                            problems.Add($"acknowledged {r.ClientMessageId} ({r.From} #{r.Number} to {r.To}, {r.Attempts} attempts) missing from " +
                                         $"{member.UserId}'s {view}");
                        }
                        else if (found.Any(m => m.MessageId != r.MessageId))
                        {
                            mismatched++;
                            problems.Add($"{r.ClientMessageId} acknowledged as {r.MessageId} but stored as " +
                                         $"{string.Join(",", found.Select(m => m.MessageId))} in {member.UserId}'s {view}");
                        }
                    }
                }
                if (!history.Select(m => m.MessageId).ToHashSet().SetEquals(fromInbox.Select(m => m.MessageId)))
                {
                    disagreeing++;
                    problems.Add($"{member.UserId}'s history of {group.ConversationId} ({history.Count}) and inbox ({fromInbox.Count}) hold different messages");
                }
                for (var k = 1; k < history.Count; k++)
                {
                    if (string.CompareOrdinal(history[k - 1].Order, history[k].Order) >= 0)
                    {
                        outOfOrder++;
                        problems.Add($"{member.UserId}'s history of {group.ConversationId} is not ascending at {k}: {history[k - 1].Order} then {history[k].Order}");
                    }
                }
            }
            outOfOrder += CausalProblems(group, sent, histories, problems);
            disagreeing += SequenceProblems(group, histories, problems);
            var ackedKeys = acked.Select(r => (r.From, r.ClientMessageId.ToString())).ToHashSet();
            var senders = sent.Select(r => r.From).ToHashSet();
            var first = histories[group.Members[0].UserId];
            perCopy = Math.Max(perCopy, first.Count);
            unacknowledged += first.Count(m => senders.Contains(m.From) && !ackedKeys.Contains((m.From, m.ClientMessageId))
                                               && sent.Any(r => r.ClientMessageId.ToString() == m.ClientMessageId));
        }
        return new CopiesCheck(records.Count(r => r.Acked), missing, duplicated, mismatched, disagreeing, outOfOrder, unacknowledged, perCopy, problems);
    }

    /// <summary>Every member's history is the creator's sequence of (messageId, order) between the events that added and removed them.</summary>
    private static int SequenceProblems(TestGroup group, Dictionary<string, List<Stored>> histories, List<string> problems)
    {
        var count = 0;
        var reference = group.Members[0].UserId;
        var full = histories[reference];
        foreach (var member in group.Everyone.Skip(1))
        {
            var user = member.UserId;
            var added = full.FindIndex(m => m.Kind == "member_added" && m.Subject == user);
            var removed = full.FindIndex(m => m.Kind is "member_removed" or "member_left" && m.Subject == user);
            if (group.Removed.Contains(member) && removed < 0)
            {
                count++;
                problems.Add($"{reference}'s copy of {group.ConversationId} holds no event removing {user}");
                continue;
            }
            var from = Math.Max(added, 0);
            var expected = full.Take(removed >= 0 ? removed + 1 : full.Count).Skip(from).Select(m => (m.MessageId, m.Order)).ToList();
            var copy = histories[user].Select(m => (m.MessageId, m.Order)).ToList();
            if (copy.SequenceEqual(expected)) continue;
            count++;
            var firstDiff = Enumerable.Range(0, Math.Min(copy.Count, expected.Count)).FirstOrDefault(k => copy[k] != expected[k], -1);
            problems.Add($"{user}'s copy of {group.ConversationId} is not {reference}'s from position {from}" +
                         (removed >= 0 ? $" to its removal at {removed}" : "") + $": {expected.Count} messages expected, {copy.Count} held" +
                         (firstDiff >= 0 ? $"; first difference at position {firstDiff}: {expected[firstDiff]} vs {copy[firstDiff]}" : ""));
        }
        return count;
    }

    /// <summary>A sender's acknowledged messages sort in the order they were sent (each was sent after the last was acknowledged).</summary>
    private static int CausalProblems(TestGroup group, List<SendRecord> sent, Dictionary<string, List<Stored>> histories, List<string> problems)
    {
        var count = 0;
        var orderOf = histories[group.Members[0].UserId].GroupBy(m => (m.From, m.ClientMessageId)).ToDictionary(g => g.Key, g => g.First().Order);
        foreach (var sender in sent.Where(r => r.Acked).GroupBy(r => r.From))
        {
            var inOrder = sender.OrderBy(r => r.Number)
                .Select(r => (r.Number, Order: orderOf.GetValueOrDefault((r.From, r.ClientMessageId.ToString()))))
                .Where(x => x.Order is not null).ToList();
            for (var k = 1; k < inOrder.Count; k++)
            {
                if (string.CompareOrdinal(inOrder[k - 1].Order, inOrder[k].Order) < 0) continue;
                count++;
                problems.Add($"{sender.Key}'s group message #{inOrder[k].Number} (order {inOrder[k].Order}) does not sort after their earlier " +
                             $"#{inOrder[k - 1].Number} (order {inOrder[k - 1].Order}) in {group.ConversationId}");
            }
        }
        return count;
    }

    private static List<Stored> InGroup(List<(Stored Message, string ConversationId)> inbox, string conversationId) =>
        inbox.Where(m => m.ConversationId == conversationId).Select(m => m.Message).ToList();

    private static Stored ToStored(JsonNode? m) =>
        new((string)m!["messageId"]!, (string)m["clientMessageId"]!, (string)m["from"]!, (string)m["order"]!, (long)m["seq"]!,
            (string?)m["kind"], (string?)m["subject"]);

    /// <summary>The member's whole inbox through GET /api/sync, in seq order, with each message's conversation.</summary>
    private static async Task<List<(Stored Message, string ConversationId)>> InboxAsync(ChatClient me)
    {
        var stored = new List<(Stored, string)>();
        long after = 0;
        while (true)
        {
            var (events, next) = await RetryAsync(() => me.SyncAsync(after, 1000));
            stored.AddRange(events.Select(e => (ToStored(e), (string)e!["conversationId"]!)));
            if (events.Count == 0 || next == after) return stored;
            after = next;
        }
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
