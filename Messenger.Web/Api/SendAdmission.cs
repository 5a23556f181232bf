namespace Messenger.Web.Api;

/// <summary>
/// Admits sends by measured capacity, not a fixed count. A send that would wait longer than <paramref name="target"/>
/// (a fraction of the send deadline) cannot finish in time once admitted, so it is refused at once with
/// <c>unavailable</c> and a Retry-After instead of joining a queue it would time out in.
/// <para>
/// The concurrency limit follows latency (Little's law): while sends finish well inside the target the limit grows
/// (fast while latency is low, slowly near the target); when the sends that finished over the last quarter target took
/// longer than the target on average, or one was not answered at all, the limit drops to the concurrency that would
/// have met it (in-flight × target ÷ mean latency), at most once per target interval. The mean, not the slowest send:
/// at capacity the tail of a healthy closed loop reaches the target now and then (a GC pause, a WAL checkpoint), and
/// cutting on each such send kept the limit below what the node could carry (a tenth of the loop's sends refused and
/// backed off, a sixth of its throughput lost). <paramref name="maxInFlight"/> stays as a hard ceiling.
/// </para>
/// </summary>
public sealed class SendAdmission(int maxInFlight, TimeSpan target, int minLimit = 4, Func<long>? clockMs = null)
{
    public const string BusyMessage = "the messenger is busy; retry with the same clientMessageId";

    private readonly object _gate = new();
    private readonly Func<long> _clockMs = clockMs ?? (() => Environment.TickCount64);
    private readonly int _floor = Math.Max(1, Math.Min(minLimit, maxInFlight));
    private readonly double _windowMs = Math.Max(1, target.TotalMilliseconds / 4);
    private double _limit = Math.Min(maxInFlight, 64);
    private int _inFlight;
    private long _lastDecreaseMs = long.MinValue / 2;
    private long _windowStartMs = (clockMs ?? (() => Environment.TickCount64))();
    private double _windowLatencyMs;
    private int _windowExits;

    public SendAdmission(int maxInFlight) : this(maxInFlight, TimeSpan.FromSeconds(1))
    {
    }

    public int Limit => (int)Volatile.Read(ref _limit);
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>When a refused client should try again: about one target interval.</summary>
    public TimeSpan RetryAfter => target < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : target;

    public bool TryEnter()
    {
        var limit = Math.Min(maxInFlight, Math.Max(_floor, (int)Volatile.Read(ref _limit)));
        if (Interlocked.Increment(ref _inFlight) <= limit) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>A send admitted by <see cref="TryEnter"/> finished (or gave up) after <paramref name="latency"/>.</summary>
    public void Exit(TimeSpan latency, bool answered)
    {
        var inFlight = Interlocked.Decrement(ref _inFlight) + 1;
        lock (_gate)
        {
            var now = _clockMs();
            _windowLatencyMs += latency.TotalMilliseconds;
            _windowExits++;
            var mean = _windowLatencyMs / _windowExits;
            var windowDone = now - _windowStartMs >= _windowMs;
            if (windowDone)
            {
                _windowStartMs = now;
                _windowLatencyMs = 0;
                _windowExits = 0;
            }
            if (!answered || (windowDone && mean > target.TotalMilliseconds))
            {
                if (now - _lastDecreaseMs < target.TotalMilliseconds) return;
                _lastDecreaseMs = now;
                var slow = answered ? mean : Math.Max(mean, latency.TotalMilliseconds);
                var fits = inFlight * target.TotalMilliseconds / Math.Max(1, slow);
                _limit = Math.Max(_floor, Math.Min(_limit * 0.9, fits));
            }
            else if (latency > target || inFlight < _limit / 2)
            {
                // A slow send does not grow the limit; nor does a fast one while the limit is not what holds sends
                // back (growing it would only admit a larger burst later).
            }
            else if (latency < target / 2)
            {
                _limit = Math.Min(maxInFlight, _limit + 1);
            }
            else
            {
                _limit = Math.Min(maxInFlight, _limit + 1 / _limit);
            }
        }
    }
}
