using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// Fills one user's inbox with N messages through the real server's public API: concurrent closed-loop
/// <c>POST /api/messages</c>, alternating directions between the user and a few peers. A send that is refused for
/// now (429, 503, a dropped connection) is repeated with the same clientMessageId, which the server deduplicates,
/// so exactly N messages are stored.
/// </summary>
public sealed class HistorySeeder(ApiClient api, int concurrency)
{
    private long _stored;

    public long Stored => Interlocked.Read(ref _stored);

    public async Task SeedAsync(BenchUser user, IReadOnlyList<BenchUser> peers, int messages, int bodyBytes, CancellationToken ct)
    {
        string body = new('x', bodyBytes);
        long started = Stopwatch.GetTimestamp();
        using var progress = new Timer(_ =>
        {
            double secs = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.Error.WriteLine($"  seeded {Stored:N0}/{messages:N0} ({Stored / Math.Max(secs, 0.001):F0}/s)");
        }, null, 5000, 5000);
        await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var peer = peers[i % peers.Count];
                var (from, to) = i % 2 == 0 ? (peer, user) : (user, peer);
                await SendUntilStoredAsync(from, to.Name, body, token).ConfigureAwait(false);
                Interlocked.Increment(ref _stored);
            }).ConfigureAwait(false);
    }

    private async Task SendUntilStoredAsync(BenchUser from, string to, string body, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        for (int attempt = 1; ; attempt++)
        {
            int status = await api.SendMessageAsync(from.Token, id, to, body, ct).ConfigureAwait(false);
            if (status == 200) return;
            if (status is not (0 or 429 or 503) || attempt == 50)
                throw new InvalidOperationException($"seeding: POST /api/messages from {from.Name} answered {status} (attempt {attempt})");
            await Task.Delay(Math.Min(50 * attempt, 1000), ct).ConfigureAwait(false);
        }
    }
}
