using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Continuous group sends over HTTP (<c>POST /api/messages</c> with <c>"to":"grp:…"</c>): each sender sends to its
/// group one message at a time (the next once the last one was acknowledged, so its messages are causally ordered)
/// and retries a send answered 503 <c>unavailable</c>, 429, or not answered, with the same clientMessageId until it is
/// acknowledged, as API.md tells clients to. Any other answer is recorded and ends that sender.
/// </summary>
public sealed class GroupLoad : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<(ChatClient User, string GroupId)> _senders;
    private readonly Uri _node;
    private readonly TimeSpan _pace;
    private readonly ConcurrentQueue<SendRecord> _records = new();
    private readonly List<Task> _workers = new();
    private readonly CancellationTokenSource _stop = new();
    private DateTime _giveUpAt = DateTime.MaxValue;

    public GroupLoad(IReadOnlyList<(ChatClient User, string GroupId)> senders, Uri node, TimeSpan pace)
    {
        _senders = senders;
        _node = node;
        _pace = pace;
    }

    public IReadOnlyCollection<SendRecord> Records => _records;

    /// <summary>The fewest acknowledged sends of any one sender so far.</summary>
    public int LeastAckedPerSender() =>
        _senders.Min(s => _records.Count(r => r.From == s.User.UserId && r.To == s.GroupId && r.Acked));

    public Task UntilEverySenderAckedAsync(int acks, TimeSpan timeout) =>
        Waits.UntilAsync(() => LeastAckedPerSender() >= acks, timeout, () => $"not every sender had {acks} acknowledged group sends; " + Summary());

    public void Start()
    {
        foreach (var (user, groupId) in _senders) _workers.Add(Task.Run(() => RunSenderAsync(user, groupId)));
    }

    /// <summary>Stops starting new sends; sends already started keep retrying until acknowledged or <paramref name="finishWithin"/>.</summary>
    public async Task StopAsync(TimeSpan finishWithin)
    {
        _giveUpAt = DateTime.UtcNow + finishWithin;
        _stop.Cancel();
        await Task.WhenAll(_workers).WaitAsync(finishWithin + ChatLoad.AnswerTimeout + TimeSpan.FromSeconds(10));
    }

    private async Task RunSenderAsync(ChatClient me, string groupId)
    {
        using var http = new HttpClient { BaseAddress = _node, Timeout = ChatLoad.AnswerTimeout };
        http.DefaultRequestHeaders.Authorization = new("Bearer", me.Token);
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            n++;
            var record = new SendRecord { ClientMessageId = Guid.NewGuid(), From = me.UserId, To = groupId, Body = $"{me.UserId} #{n}", Number = n };
            _records.Enqueue(record);
            if (!await SendUntilAckedAsync(http, record)) return;
            try
            {
                await Task.Delay(_pace, _stop.Token); // the load's pace, not a wait for anything
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<bool> SendUntilAckedAsync(HttpClient http, SendRecord record)
    {
        while (DateTime.UtcNow < _giveUpAt)
        {
            record.Attempts++;
            try
            {
                using var response = await http.PostAsJsonAsync("/api/messages",
                    new { clientMessageId = record.ClientMessageId, to = record.To, body = record.Body });
                var text = await response.Content.ReadAsStringAsync();
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        record.MessageId = (string?)(JsonNode.Parse(text) as JsonObject)?["messageId"];
                        record.AckedAt = DateTime.UtcNow;
                        return true;
                    case HttpStatusCode.ServiceUnavailable:
                        record.Unavailable++;
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
                record.Reconnects++; // the node refused the connection or dropped it mid-request: retry with the same key
            }
            await Task.Delay(RetryPause); // a client's retry pause
        }
        return false;
    }

    public string Summary()
    {
        var all = _records.ToList();
        var acked = all.Where(r => r.Acked).ToList();
        var latencies = acked.Select(r => r.Latency!.Value.TotalMilliseconds).OrderBy(x => x).ToList();
        double P(double q) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        return $"group sends: {all.Count} started, {acked.Count} acknowledged; attempts {all.Sum(r => r.Attempts)}, " +
               $"unavailable {all.Sum(r => r.Unavailable)} (on {all.Count(r => r.Unavailable > 0)} sends), rate_limited {all.Sum(r => r.RateLimited)}, " +
               $"reconnects {all.Sum(r => r.Reconnects)}, hangs {all.Sum(r => r.Hangs)}, other errors {all.Sum(r => r.OtherErrors.Count)}; " +
               $"latency ms p50 {P(0.5):F0} p99 {P(0.99):F0} max {(latencies.Count > 0 ? latencies[^1] : 0):F0}";
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
