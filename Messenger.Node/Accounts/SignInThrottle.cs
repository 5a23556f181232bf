namespace Messenger.Node.Accounts;

/// <summary>
/// The guessing limit of one account, decided before any password is hashed. Every admitted attempt counts as a
/// failure until it is reported a success (so a flood of concurrent guesses cannot slip past while being checked,
/// and a node that dies mid-check errs on the safe side). A success forgets everything; so does a quiet spell as long
/// as the current wait plus a minute (the state lives in memory, and the entity may passivate only then): an attacker
/// can slow a user down but never lock them out for good.
/// </summary>
public sealed class SignInThrottle(SignInLimits limits)
{
    private readonly Queue<DateTime> _recent = new();
    private int _failures;
    private DateTime _lastAttempt = DateTime.MinValue;

    /// <summary>Null: admitted (and counted). Otherwise how long until the next attempt may be checked.</summary>
    public TimeSpan? Admit(DateTime now)
    {
        if (IsIdle(now)) Forget();
        while (_recent.Count > 0 && _recent.Peek() <= now - SignInLimits.Window) _recent.Dequeue();

        var until = _lastAttempt + Backoff();
        if (_recent.Count >= limits.FailuresPerMinute) until = Max(until, _recent.Peek() + SignInLimits.Window);
        if (until > now) return until - now;

        _recent.Enqueue(now);
        _failures++;
        _lastAttempt = now;
        return null;
    }

    public void Succeeded() => Forget();

    /// <summary>True when nothing is remembered that could still slow an attempt down.</summary>
    public bool IsIdle(DateTime now) => _failures == 0 || now >= _lastAttempt + Backoff() + SignInLimits.Window;

    /// <summary>The wait after the last attempt: none for the first free failures, then doubling up to the cap.</summary>
    private TimeSpan Backoff()
    {
        var over = _failures - limits.FreeFailures;
        if (over < 0) return TimeSpan.Zero;
        var seconds = limits.BackoffSeconds * Math.Pow(2, Math.Min(over, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, limits.MaxBackoffSeconds));
    }

    private void Forget()
    {
        _recent.Clear();
        _failures = 0;
        _lastAttempt = DateTime.MinValue;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
