using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Cluster;

/// <summary>One message a load client sent, with every answer it got until it was acknowledged.</summary>
public sealed class SendRecord
{
    public required Guid ClientMessageId { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Body { get; init; }
    public DateTime StartedAt { get; init; } = DateTime.UtcNow;
    public int Attempts;
    public int Unavailable;
    public int RateLimited;
    public int Reconnects;
    public string? MessageId;
    public DateTime? AckedAt;

    /// <summary>Answers that are neither sent nor unavailable/rate_limited (must stay empty).</summary>
    public readonly List<string> OtherErrors = new();

    /// <summary>Attempts that got no answer at all within <see cref="ChatLoad.AnswerTimeout"/> (must stay zero).</summary>
    public int Hangs;

    public bool Acked => MessageId is not null;
    public TimeSpan? Latency => AckedAt - StartedAt;
}

/// <summary>
/// Continuous sends over WebSocket (ChatSocket) between pairs of users: each user has one device that sends to its
/// partner, one message at a time, and retries a send answered <c>unavailable</c> with the same clientMessageId
/// until it is acknowledged (as API.md tells clients to). Every attempt must be answered (sent or error) within
/// <see cref="AnswerTimeout"/>: a longer silence is counted as a hang.
/// </summary>
public sealed class ChatLoad : IAsyncDisposable
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<ChatClient> _users;
    private readonly Func<ChatClient, Uri> _nodeOf;
    private readonly TimeSpan _pace;
    private readonly ConcurrentQueue<SendRecord> _records = new();
    private readonly List<Task> _workers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _unavailableReasons = new();
    private DateTime _giveUpAt = DateTime.MaxValue;

    private readonly int _maxSendsPerUser;

    public ChatLoad(IReadOnlyList<ChatClient> users, Func<ChatClient, Uri> nodeOf, TimeSpan pace, int maxSendsPerUser = int.MaxValue)
    {
        if (users.Count % 2 != 0) throw new ArgumentException("users come in pairs");
        _users = users;
        _nodeOf = nodeOf;
        _pace = pace;
        _maxSendsPerUser = maxSendsPerUser;
    }

    public IReadOnlyCollection<SendRecord> Records => _records;
    public int Acked => _records.Count(r => r.Acked);

    public static ChatClient PartnerOf(IReadOnlyList<ChatClient> users, int index) => users[index ^ 1];

    public void Start()
    {
        for (var i = 0; i < _users.Count; i++)
        {
            var me = _users[i];
            var partner = PartnerOf(_users, i);
            _workers.Add(Task.Run(() => RunUserAsync(me, partner)));
        }
    }

    /// <summary>Stops starting new sends; sends already started keep retrying until acknowledged or <paramref name="finishWithin"/>.</summary>
    public async Task StopAsync(TimeSpan finishWithin)
    {
        _giveUpAt = DateTime.UtcNow + finishWithin;
        _stop.Cancel();
        await Task.WhenAll(_workers).WaitAsync(finishWithin + AnswerTimeout + TimeSpan.FromSeconds(10));
    }

    private async Task RunUserAsync(ChatClient me, ChatClient partner)
    {
        ChatSocket? socket = null;
        var n = 0;
        try
        {
            while (!_stop.IsCancellationRequested && n < _maxSendsPerUser)
            {
                var record = new SendRecord
                {
                    ClientMessageId = Guid.NewGuid(),
                    From = me.UserId,
                    To = partner.UserId,
                    Body = $"{me.UserId} #{++n}",
                };
                _records.Enqueue(record);
                socket = await SendUntilAckedAsync(me, socket, record);
                if (!record.Acked) break;
                try
                {
                    await Task.Delay(_pace, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            if (socket is not null) await socket.DisposeAsync();
        }
    }

    private async Task<ChatSocket?> SendUntilAckedAsync(ChatClient me, ChatSocket? socket, SendRecord record)
    {
        while (DateTime.UtcNow < _giveUpAt)
        {
            try
            {
                if (socket is null || socket.State != System.Net.WebSockets.WebSocketState.Open)
                {
                    if (socket is not null)
                    {
                        await socket.DisposeAsync();
                        record.Reconnects++;
                    }
                    socket = null;
                    socket = await ChatSocket.ConnectAsync(_nodeOf(me), me.Token);
                }
                record.Attempts++;
                await socket.SendMessageAsync(record.To, record.Body, record.ClientMessageId);
                JsonObject answer;
                try
                {
                    answer = await socket.WaitForAsync(
                        f => (string?)f["type"] is "sent" or "error" && (string?)f["clientMessageId"] == record.ClientMessageId.ToString(),
                        AnswerTimeout);
                }
                catch (TimeoutException)
                {
                    record.Hangs++;
                    continue;
                }
                finally
                {
                    socket.Skipped.Clear(); // live pushes; histories are checked over HTTP afterwards
                }
                if ((string?)answer["type"] == "sent")
                {
                    record.MessageId = (string?)answer["messageId"];
                    record.AckedAt = DateTime.UtcNow;
                    return socket;
                }
                switch ((string?)answer["code"])
                {
                    case "unavailable":
                        record.Unavailable++;
                        _unavailableReasons.AddOrUpdate((string?)answer["message"] ?? "", 1, (_, n) => n + 1);
                        break;
                    case "rate_limited":
                        record.RateLimited++;
                        break;
                    default:
                        lock (record.OtherErrors) record.OtherErrors.Add(answer.ToJsonString());
                        return socket;
                }
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or HttpRequestException)
            {
                // The socket dropped (its web node went away): reconnect and resend with the same clientMessageId.
                if (socket is not null)
                {
                    await socket.DisposeAsync();
                    socket = null;
                }
                record.Reconnects++;
            }
            await Task.Delay(RetryPause);
        }
        return socket;
    }

    public string Summary()
    {
        var all = _records.ToList();
        var acked = all.Where(r => r.Acked).ToList();
        var latencies = acked.Select(r => r.Latency!.Value.TotalMilliseconds).OrderBy(x => x).ToList();
        double P(double q) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        return $"sends: {all.Count} started, {acked.Count} acknowledged, {all.Count - acked.Count} not acknowledged; " +
               $"attempts {all.Sum(r => r.Attempts)}, unavailable answers {all.Sum(r => r.Unavailable)} " +
               $"(on {all.Count(r => r.Unavailable > 0)} sends), rate_limited {all.Sum(r => r.RateLimited)}, " +
               $"reconnects {all.Sum(r => r.Reconnects)}, hangs {all.Sum(r => r.Hangs)}, other errors {all.Sum(r => r.OtherErrors.Count)}; " +
               $"send latency ms p50 {P(0.5):F0} p99 {P(0.99):F0} max {(latencies.Count > 0 ? latencies[^1] : 0):F0}" +
               (_unavailableReasons.IsEmpty ? "" : "; unavailable because: " +
                   string.Join("; ", _unavailableReasons.Select(r => $"{r.Value}× \"{r.Key}\"")));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
            }
        }
        _stop.Dispose();
    }
}

/// <summary>Checks of what the cluster stored, through the public HTTP API of a surviving web node.</summary>
public static class ClusterChecks
{
    public sealed record HistoryCheck(int Acknowledged, int Missing, int Duplicated, int Mismatched, int Unacknowledged, List<string> Problems);

    private sealed record Stored(string ClientMessageId, string MessageId, long Seq);

    /// <summary>
    /// Every acknowledged send must be exactly once, with the acknowledged messageId, in both participants' copies,
    /// read two ways: the conversation history (GET /api/conversations/{id}/messages, paged back by order) and the
    /// inbox (GET /api/sync, by seq, which must run 1, 2, 3, … without gaps). No clientMessageId may appear twice.
    /// Stored-but-unacknowledged sends are counted (allowed: the client gave up or the ack was lost).
    /// </summary>
    public static async Task<HistoryCheck> HistoriesAsync(IReadOnlyList<ChatClient> users, IReadOnlyCollection<SendRecord> records, Uri node)
    {
        var problems = new List<string>();
        int missing = 0, duplicated = 0, mismatched = 0;
        var histories = new Dictionary<string, List<Stored>>();
        for (var i = 0; i < users.Count; i++)
        {
            var me = users[i].On(node);
            var partner = ChatLoad.PartnerOf(users, i);
            var history = await RetryAsync(() => me.FullHistoryAsync(ChatClient.Dm(me.UserId, partner.UserId), pageSize: 50));
            histories[me.UserId] = history.Select(m => new Stored((string)m["clientMessageId"]!, (string)m["messageId"]!, (long)m["seq"]!)).ToList();
        }
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
                        problems.Add($"acknowledged {r.ClientMessageId} ({r.From}→{r.To}, started {r.StartedAt:HH:mm:ss.fff}, " +
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
        var acked = records.Where(r => r.Acked).Select(r => r.ClientMessageId.ToString()).ToHashSet();
        var unacknowledged = inboxes.Values.SelectMany(s => s).Select(m => m.ClientMessageId).Distinct().Count(k => !acked.Contains(k));
        return new HistoryCheck(acked.Count, missing, duplicated, mismatched, unacknowledged, problems);
    }

    /// <summary>Every user's whole inbox through GET /api/sync, in seq order.</summary>
    private static async Task<Dictionary<string, List<Stored>>> InboxesAsync(IReadOnlyList<ChatClient> users, Uri node)
    {
        var result = new Dictionary<string, List<Stored>>();
        foreach (var u in users)
        {
            var me = u.On(node);
            var stored = new List<Stored>();
            long after = 0;
            while (true)
            {
                var (events, next) = await RetryAsync(() => me.SyncAsync(after, 1000));
                stored.AddRange(events.Select(e => new Stored((string)e!["clientMessageId"]!, (string)e["messageId"]!, (long)e["seq"]!)));
                if (events.Count == 0 || next == after) break;
                after = next;
            }
            result[u.UserId] = stored;
        }
        return result;
    }

    /// <summary>Sends again (HTTP) with the same clientMessageId: must answer 200 with the same messageId and store nothing new.</summary>
    public static async Task<List<string>> ResendConvergesAsync(IReadOnlyList<ChatClient> users, IEnumerable<SendRecord> records, Uri node)
    {
        var problems = new List<string>();
        var clients = users.ToDictionary(u => u.UserId, u => u.On(node));
        foreach (var r in records)
        {
            var json = await RetryAsync(async () =>
            {
                var response = await clients[r.From].SendRawAsync(r.ClientMessageId, r.To, r.Body);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable) throw new HttpRequestException("503: " + text);
                return (response.StatusCode, Body: JsonNode.Parse(text));
            });
            if (json.StatusCode != HttpStatusCode.OK || (string?)json.Body?["messageId"] != r.MessageId)
                problems.Add($"resend of {r.ClientMessageId} answered {(int)json.StatusCode} {json.Body?.ToJsonString()}, acknowledged as {r.MessageId}");
        }
        return problems;
    }

    /// <summary>Time until every user's inbox answers again (GET /api/sync through <paramref name="node"/>), per user.</summary>
    public static async Task<Dictionary<string, (TimeSpan ServedAfter, bool WasAffected)>> UntilAllServedAsync(
        IReadOnlyList<ChatClient> users, Uri node, Stopwatch since, TimeSpan timeout)
    {
        var tasks = users.Select(async u =>
        {
            using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(2) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", u.Token);
            var affected = false;
            while (since.Elapsed < timeout)
            {
                try
                {
                    var response = await http.GetAsync("/api/sync?after=0&limit=1");
                    if (response.StatusCode == HttpStatusCode.OK) return (u.UserId, (since.Elapsed, affected));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                affected = true;
                await Task.Delay(100);
            }
            return (u.UserId, (TimeSpan.MaxValue, affected));
        });
        return (await Task.WhenAll(tasks)).ToDictionary(x => x.UserId, x => x.Item2);
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
                await Task.Delay(500);
            }
        }
    }
}
