namespace Messenger.Node.Groups;

/// <summary>Timings of a group's fan-outs and of the group entity's upkeep.</summary>
public sealed record GroupSettings
{
    /// <summary>A copy not acknowledged is asked again after 300 ms, doubling up to 2 s, forever (with jitter).</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The group's one periodic tick, only while a fan-out is owed.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public int SnapshotEvery { get; init; } = 500;

    /// <summary>A group with no fan-out in flight and nothing received for this long passivates (and is forgotten by
    /// remember-entities).</summary>
    public TimeSpan PassivateAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Exponential backoff with full jitter in [base/2, base], so a member back from an outage is not hit by
    /// every group's retries at the same instant.</summary>
    public TimeSpan Backoff(int attempt, double jitter)
    {
        var ms = Math.Min(MaxRetry.TotalMilliseconds, FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(ms / 2 + jitter * ms / 2);
    }
}
