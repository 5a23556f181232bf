using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Cluster;

/// <summary>Bounded waits of the process-level tests: each polls a condition and gives up after a timeout; none sleeps a fixed time.</summary>
public static class Waits
{
    /// <summary>
    /// Polls every user's inbox (GET /api/sync through <paramref name="node"/>) until it answers 200, per user; returns
    /// when it was served again (<see cref="TimeSpan.MaxValue"/>: not within <paramref name="timeout"/>) and whether it
    /// was unavailable at any point.
    /// </summary>
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
                await Task.Delay(100); // polling interval of a bounded wait
            }
            return (u.UserId, (TimeSpan.MaxValue, affected));
        });
        return (await Task.WhenAll(tasks)).ToDictionary(x => x.UserId, x => x.Item2);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; throws with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > timeout) throw new TimeoutException($"not within {timeout}: {what()}");
            await Task.Delay(100); // polling interval of a bounded wait
        }
    }

    /// <summary>One HTTP send, retried with the same clientMessageId while the answer is 503 or no answer; returns the Sent object.</summary>
    public static async Task<JsonObject> SendUntilSentAsync(ChatClient from, string to, string body, Guid clientMessageId, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var response = await from.SendRawAsync(clientMessageId, to, body);
                if (response.StatusCode == HttpStatusCode.OK) return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    throw new InvalidOperationException($"send answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (waited.Elapsed > timeout) throw new TimeoutException($"send {clientMessageId} not acknowledged within {timeout}");
            await Task.Delay(200); // retry pause, as a client backs off
        }
    }
}
