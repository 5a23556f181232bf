namespace Messenger.Web.Auth;

/// <summary>
/// What the edge needs of Messenger:SignIn (the per-client side; the per-account side is the account entity's),
/// built by the composition root from the node's options.
/// </summary>
public sealed record SignInSettings
{
    /// <summary>Per client address: a token bucket of this size for sign-up, sign-in and password changes...</summary>
    public int ClientBurst { get; init; } = 100;

    /// <summary>...refilled at this rate.</summary>
    public int ClientPerMinute { get; init; } = 120;

    /// <summary>A refusal is answered after this pause (at most its own Retry-After), so instant retries are paced.</summary>
    public double RejectPauseSeconds { get; init; } = 1;

    /// <summary>Password checks waiting for a hashing slot on a node; past it <c>429</c> at once.</summary>
    public int HashQueue { get; init; } = 32;

    /// <summary>Of those, waiting checks one client address may hold.</summary>
    public int HashQueuePerClient { get; init; } = 4;

    /// <summary>Longest a check waits for a hashing slot before it is answered <c>429</c>.</summary>
    public double HashWaitSeconds { get; init; } = 3;

    /// <summary>Proxies whose X-Forwarded-For is believed (IP addresses, comma-separated); loopback always is.</summary>
    public string TrustedProxies { get; init; } = string.Empty;
}
