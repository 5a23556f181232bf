namespace Messenger.Node.Accounts;

/// <summary>
/// The guessing limit of one account, decided before any password is hashed. Every admitted attempt counts as a
/// failure until it is reported a success or never checked (so a flood of concurrent guesses cannot slip past while being checked,
/// and a node that dies mid-check errs on the safe side). A success forgets everything; so does a quiet spell as long
/// as the current wait plus a minute (the state lives in memory, and the entity may passivate only then): an attacker
/// can slow a user down but never lock them out for good.
/// </summary>
public sealed class SignInThrottle(SignInLimits limits)
{
    private readonly List<DateTime> _recent = new();
    private int _failures;
    private DateTime _lastAttempt = DateTime.MinValue;

    /// <summary>Null: admitted (and counted). Otherwise how long until the next attempt may be checked.</summary>
    public TimeSpan? Admit(DateTime now)
    {
        if (IsIdle(now)) Forget();
        _recent.RemoveAll(at => at <= now - SignInLimits.Window);

        var until = _lastAttempt + Backoff();
        if (_recent.Count >= limits.FailuresPerMinute) until = Max(until, _recent[^limits.FailuresPerMinute] + SignInLimits.Window);
        if (until > now) return until - now;

        _recent.Add(now);
        _failures++;
        _lastAttempt = now;
        return null;
    }

    public void Succeeded() => Forget();

    /// <summary>The last admitted attempt was never checked (the node was too busy to hash): it does not count.</summary>
    public void Unchecked()
    {
        if (_failures == 0 || _recent.Count == 0) return;
        _recent.RemoveAt(_recent.Count - 1);
        _failures--;
        _lastAttempt = _recent.Count > 0 ? _recent[^1] : DateTime.MinValue;
    }

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
