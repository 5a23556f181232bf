using System.Collections.Concurrent;

namespace Messenger.Web.Api;

/// <summary>
/// Sends per user on this node, as a token bucket: a burst is fine, a flood gets <c>rate_limited</c>.
/// Per node on purpose: a global limit would need a shared counter on the hot path.
/// </summary>
public sealed class SendRateLimiter(double perSecond, double burst)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public bool TryAcquire(string userId) => TryAcquire(userId, out _);

    /// <summary>Takes a token; when none is left, <paramref name="retryAfter"/> is when the next one is due.</summary>
    public bool TryAcquire(string userId, out TimeSpan retryAfter)
    {
        var bucket = _buckets.GetOrAdd(userId, _ => new Bucket(burst));
        lock (bucket)
        {
            var now = Environment.TickCount64;
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (now - bucket.LastMs) * perSecond / 1000.0);
            bucket.LastMs = now;
            if (bucket.Tokens < 1)
            {
                retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / perSecond);
                return false;
            }
            bucket.Tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    private sealed class Bucket(double tokens)
    {
        public double Tokens = tokens;
        public long LastMs = Environment.TickCount64;
    }
}
