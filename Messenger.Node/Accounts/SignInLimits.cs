namespace Messenger.Node.Accounts;

/// <summary>
/// Messenger:SignIn: how hard guessing passwords is. Per account (held by the account entity, so one place for the
/// whole cluster): <see cref="FreeFailures"/> failures in a row cost nothing, each further one doubles a wait from
/// <see cref="BackoffSeconds"/> up to <see cref="MaxBackoffSeconds"/>, and never more than
/// <see cref="FailuresPerMinute"/> are checked in any minute. Per client address (each web node): a token bucket of
/// <see cref="ClientBurst"/> refilled at <see cref="ClientPerMinute"/> for sign-up, sign-in and password changes.
/// </summary>
public sealed class SignInLimits
{
    public int FreeFailures { get; set; } = 3;
    public double BackoffSeconds { get; set; } = 1;
    public double MaxBackoffSeconds { get; set; } = 60;
    public int FailuresPerMinute { get; set; } = 10;

    public int ClientBurst { get; set; } = 100;
    public int ClientPerMinute { get; set; } = 120;

    /// <summary>
    /// A refusal (per account or per client) is answered after this pause, at most its own Retry-After: a client that
    /// retries the moment it is refused then asks at about the pace it should, and cannot keep the node busy.
    /// </summary>
    public double RejectPauseSeconds { get; set; } = 1;

    /// <summary>Password checks waiting for a hashing slot on a node; past it <c>429</c> at once.</summary>
    public int HashQueue { get; set; } = 32;

    /// <summary>Of those, waiting checks one client address may hold.</summary>
    public int HashQueuePerClient { get; set; } = 4;

    /// <summary>Longest a check waits for a hashing slot before it is answered <c>429</c>.</summary>
    public double HashWaitSeconds { get; set; } = 3;

    /// <summary>Proxies whose X-Forwarded-For is believed (IP addresses, comma-separated); loopback always is.</summary>
    public string TrustedProxies { get; set; } = string.Empty;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
}
