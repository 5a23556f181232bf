namespace Messenger.Web.RealTime;

/// <summary>
/// How many typing frames one connection may relay: a token bucket of <see cref="Burst"/> refilled at
/// <see cref="PerSecond"/>. A client sends one every 3 s per conversation it types in, so only a misbehaving client
/// meets the limit; what is over it is dropped without an answer (typing is a hint, not worth an error).
/// Time is passed in (milliseconds of a monotonic clock) so specs drive it.
/// </summary>
public sealed class TypingThrottle(double perSecond = TypingThrottle.PerSecond, int burst = TypingThrottle.Burst)
{
    public const double PerSecond = 1;
    public const int Burst = 5;

    private double _tokens = burst;
    private long? _last;

    public bool TryTake(long nowMs)
    {
        if (_last is { } last) _tokens = Math.Min(burst, _tokens + Math.Max(0, nowMs - last) * perSecond / 1000);
        _last = nowMs;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
