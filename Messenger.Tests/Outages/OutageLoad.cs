using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Tests.Cluster;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Outages;

/// <summary>
/// Pairs of HTTP senders as API.md tells clients to send: one message at a time, a send answered <c>unavailable</c>
/// (or not answered) retried with the same clientMessageId until it is acknowledged, <c>rate_limited</c> after its
/// Retry-After. Unlike the cluster load it keeps
/// every attempt with when it started and ended, so an outage test can tell how long each request went unanswered.
/// </summary>
public sealed class OutageLoad : IAsyncDisposable
{
    /// <summary>How long a client waits for one answer: far above the send deadline, so a hang is measured, not cut short.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<ChatClient> _users;
    private readonly Uri _node;
    private readonly ConcurrentQueue<SendRecord> _records = new();
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = new();

    /// <summary>One request: when it went out, when its answer came (or the client gave up on it), and the status.</summary>
    public sealed record Attempt(DateTime Started, DateTime Ended, int Status, Guid ClientMessageId, string From)
    {
        public TimeSpan Took => Ended - Started;
    }

    public OutageLoad(IReadOnlyList<ChatClient> users, Uri node)
    {
        _users = users;
        _node = node;
    }

    public IReadOnlyCollection<SendRecord> Records => _records;
    public IReadOnlyCollection<Attempt> Attempts => _attempts;

    public void Start()
    {
        for (var i = 0; i < _users.Count; i++)
        {
            var (me, partner) = (_users[i], ChatLoad.PartnerOf(_users, i));
            _workers.Add(Task.Run(() => RunAsync(me, partner)));
        }
    }

    /// <summary>Acknowledged sends that started after <paramref name="since"/>, per user (every user must reach the bound).</summary>
    public int LeastAckedSince(DateTime since) =>
        _users.Min(u => _records.Count(r => r.From == u.UserId && r.Acked && r.StartedAt >= since));

    /// <summary>The users with fewer than <paramref name="acks"/> acknowledged sends started after <paramref name="since"/>,
    /// with their last attempts' statuses and any other error (for a failing wait's message).</summary>
    public string Behind(DateTime since, int acks) => string.Join("; ", _users
        .Where(u => _records.Count(r => r.From == u.UserId && r.Acked && r.StartedAt >= since) < acks)
        .Select(u => $"{u.UserId}: last statuses [" +
                     string.Join(",", _attempts.Where(a => a.From == u.UserId).TakeLast(5).Select(a => a.Status)) + "] " +
                     string.Join(" | ", _records.Where(r => r.From == u.UserId).SelectMany(r => r.OtherErrors).Take(3))));

    /// <summary>Stops starting new sends; the ones under way retry until acknowledged (bounded by the caller).</summary>
    public Task StopAsync(TimeSpan within)
    {
        _stop.Cancel();
        return Task.WhenAll(_workers).WaitAsync(within);
    }

    private async Task RunAsync(ChatClient me, ChatClient partner)
    {
        using var http = new HttpClient { BaseAddress = _node, Timeout = ClientTimeout };
        http.DefaultRequestHeaders.Authorization = new("Bearer", me.Token);
        for (var n = 1; !_stop.IsCancellationRequested; n++)
        {
            var record = new SendRecord
            {
                ClientMessageId = Guid.NewGuid(), From = me.UserId, To = partner.UserId, Body = $"{me.UserId} #{n}", Number = n,
            };
            _records.Enqueue(record);
            while (!record.Acked)
            {
                record.Attempts++;
                var started = DateTime.UtcNow;
                var status = 0;
                var pause = RetryPause;
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/messages",
                        new { clientMessageId = record.ClientMessageId, to = record.To, body = record.Body });
                    status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        record.MessageId = (string?)JsonNode.Parse(text)?["messageId"];
                        record.AckedAt = DateTime.UtcNow;
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable) record.Unavailable++;
                    else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        // Faster than the per-user send rate (a fast box acknowledges quickly): wait as told, send it again.
                        record.RateLimited++;
                        pause = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    }
                    else lock (record.OtherErrors) record.OtherErrors.Add($"{status} {text}");
                }
                catch (TaskCanceledException)
                {
                    record.Hangs++;
                }
                catch (HttpRequestException)
                {
                    record.Reconnects++;
                }
                _attempts.Enqueue(new Attempt(started, DateTime.UtcNow, status, record.ClientMessageId, record.From));
                if (record.OtherErrors.Count > 0) return;
                if (!record.Acked) await Task.Delay(pause); // a client's retry pause, or the Retry-After of a 429
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception)
        {
        }
        _stop.Dispose();
    }
}
