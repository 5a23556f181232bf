namespace Messenger.Node.Inbox;

/// <summary>Timings of the send saga and of the inbox's own upkeep.</summary>
public sealed record SendSettings
{
    /// <summary>How long a send may take before the client is told <c>unavailable</c>.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>When a recipient starts driving a sender's copy the sender has not confirmed.</summary>
    public TimeSpan DriveSenderCopyAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The inbox's one periodic tick (only while it has retries, deadlines or confirmations to run). Under load
    /// every inbox ticks: 250 ms (not 100) is fewer actor messages per send and more confirmations per row, well inside
    /// the first retry (300 ms) and the deadline.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public int RecentWindow { get; init; } = 200;
    public int SnapshotEvery { get; init; } = 1000;
    public TimeSpan PassivateAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Exponential backoff with full jitter in [base/2, base].</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ms = Math.Min(MaxRetry.TotalMilliseconds, FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(ms / 2 + Random.Shared.NextDouble() * ms / 2);
    }
}
