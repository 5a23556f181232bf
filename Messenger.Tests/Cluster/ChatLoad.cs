using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Continuous sends between pairs of users: each user sends to its partner, one message at a time, over one WebSocket
/// device (ChatSocket) or over HTTP, and (unless its style gives up) retries a send answered <c>unavailable</c>, or
/// not answered, with the same clientMessageId until it is acknowledged (as API.md tells clients to). Every attempt
/// must be answered (sent or error) within <see cref="AnswerTimeout"/>: a longer silence is counted as a hang.
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
    private readonly Func<int, SenderStyle> _styleOf;

    private readonly int _firstNumber;

    /// <param name="firstNumber">The first <see cref="SendRecord.Number"/>: a later load over the same users continues the sending order.</param>
    public ChatLoad(IReadOnlyList<ChatClient> users, Func<ChatClient, Uri> nodeOf, TimeSpan pace, int maxSendsPerUser = int.MaxValue,
        Func<int, SenderStyle>? styleOf = null, int firstNumber = 1)
    {
        _firstNumber = firstNumber;
        if (users.Count % 2 != 0) throw new ArgumentException("users come in pairs");
        _users = users;
        _nodeOf = nodeOf;
        _pace = pace;
        _maxSendsPerUser = maxSendsPerUser;
        _styleOf = styleOf ?? (_ => SenderStyle.WebSocket);
    }

    public IReadOnlyCollection<SendRecord> Records => _records;
    public int Acked => _records.Count(r => r.Acked);

    /// <summary>The fewest acknowledged sends of any one user that retries (those that give up stop early) so far.</summary>
    public int LeastAckedPerUser() =>
        _users.Where((_, i) => !_styleOf(i).GivesUp).Min(u => _records.Count(r => r.From == u.UserId && r.Acked));

    /// <summary>Waits until every user has at least <paramref name="acks"/> acknowledged sends (bounded).</summary>
    public Task UntilEveryUserAckedAsync(int acks, TimeSpan timeout) =>
        Waits.UntilAsync(() => LeastAckedPerUser() >= acks, timeout, () => $"not every user had {acks} acknowledged sends; " + Summary());

    public static ChatClient PartnerOf(IReadOnlyList<ChatClient> users, int index) => users[index ^ 1];

    public void Start()
    {
        for (var i = 0; i < _users.Count; i++)
        {
            var me = _users[i];
            var partner = PartnerOf(_users, i);
            var style = _styleOf(i);
            _workers.Add(Task.Run(() => style.OverHttp ? RunHttpUserAsync(me, partner, style) : RunUserAsync(me, partner, style)));
        }
    }

    /// <summary>Stops starting new sends; sends already started keep retrying until acknowledged or <paramref name="finishWithin"/>.</summary>
    public async Task StopAsync(TimeSpan finishWithin)
    {
        _giveUpAt = DateTime.UtcNow + finishWithin;
        _stop.Cancel();
        await Task.WhenAll(_workers).WaitAsync(finishWithin + AnswerTimeout + TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends one message after the other (the next once the last one ended) until stopped; false from <paramref name="send"/> ends it.</summary>
    private async Task RunSendsAsync(ChatClient me, ChatClient partner, Func<SendRecord, Task<bool>> send)
    {
        var n = 0;
        while (!_stop.IsCancellationRequested && n < _maxSendsPerUser)
        {
            n++;
            var record = new SendRecord
            {
                ClientMessageId = Guid.NewGuid(),
                From = me.UserId,
                To = partner.UserId,
                Body = $"{me.UserId} #{n}",
                Number = _firstNumber + n - 1,
            };
            _records.Enqueue(record);
            if (!await send(record) || !record.Acked) break;
            try
            {
                await Task.Delay(_pace, _stop.Token); // the load's pace, not a wait for anything
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task RunUserAsync(ChatClient me, ChatClient partner, SenderStyle style)
    {
        ChatSocket? socket = null;
        try
        {
            await RunSendsAsync(me, partner, async record =>
            {
                socket = await SendUntilAckedAsync(me, socket, record, style);
                return true;
            });
        }
        finally
        {
            if (socket is not null) await socket.DisposeAsync();
        }
    }

    private async Task RunHttpUserAsync(ChatClient me, ChatClient partner, SenderStyle style)
    {
        using var http = new HttpClient { BaseAddress = _nodeOf(me), Timeout = AnswerTimeout };
        http.DefaultRequestHeaders.Authorization = new("Bearer", me.Token);
        await RunSendsAsync(me, partner, record => SendOverHttpUntilAckedAsync(http, record, style));
    }

    private async Task<bool> SendOverHttpUntilAckedAsync(HttpClient http, SendRecord record, SenderStyle style)
    {
        while (DateTime.UtcNow < _giveUpAt)
        {
            record.Attempts++;
            try
            {
                using var response = await http.PostAsJsonAsync("/api/messages",
                    new { clientMessageId = record.ClientMessageId, to = record.To, body = record.Body });
                var text = await response.Content.ReadAsStringAsync();
                var answer = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        record.MessageId = (string?)answer?["messageId"];
                        record.AckedAt = DateTime.UtcNow;
                        return true;
                    case HttpStatusCode.ServiceUnavailable:
                        record.Unavailable++;
                        _unavailableReasons.AddOrUpdate((string?)answer?["message"] ?? "", 1, (_, n) => n + 1);
                        break;
                    case HttpStatusCode.TooManyRequests:
                        record.RateLimited++;
                        break;
                    default:
                        lock (record.OtherErrors) record.OtherErrors.Add($"{(int)response.StatusCode} {text}");
                        return false;
                }
            }
            catch (TaskCanceledException)
            {
                record.Hangs++;
            }
            catch (HttpRequestException)
            {
                record.Reconnects++; // the node went away mid-request or refuses connections: retry with the same key
            }
            if (style.GivesUp)
            {
                record.GaveUp = true;
                return false;
            }
            await Task.Delay(RetryPause); // a client's retry pause
        }
        return false;
    }

    private async Task<ChatSocket?> SendUntilAckedAsync(ChatClient me, ChatSocket? socket, SendRecord record, SenderStyle style)
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
                    if (!style.GivesUp) continue;
                    record.GaveUp = true;
                    return socket;
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
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or HttpRequestException
                                          or System.IO.IOException or OperationCanceledException)
            {
                // The socket dropped (its web node went away): reconnect and resend with the same clientMessageId.
                // A send on a connection the kill reset fails as a cancellation wrapping "closed stream", not a WebSocketException.
                if (socket is not null)
                {
                    await socket.DisposeAsync();
                    socket = null;
                }
                record.Reconnects++;
            }
            if (style.GivesUp)
            {
                record.GaveUp = true;
                return socket;
            }
            await Task.Delay(RetryPause); // a client's retry pause
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
               $"reconnects {all.Sum(r => r.Reconnects)}, hangs {all.Sum(r => r.Hangs)}, other errors {all.Sum(r => r.OtherErrors.Count)}, " +
               $"given up {all.Count(r => r.GaveUp)}; " +
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
