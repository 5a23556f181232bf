using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Identity;

namespace Messenger.Web.Auth;

/// <summary>
/// Password hashing (PBKDF2-HMAC-SHA512, 100,000 iterations: ASP.NET Core Identity's v3 format). Deliberately slow,
/// so at most (cores - 1) hashes run at once: a burst of sign-ups queues instead of starving the actors and the
/// cluster heartbeats that share the thread pool. The queue is fair per client (<see cref="HashingLanes"/>) and
/// bounded: a null answer means "busy, come back later" (429), never a long wait.
/// </summary>
public sealed class PasswordHashing
{
    public const string MeterName = "Messenger.Auth";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> HashCounter =
        Meter.CreateCounter<long>("messenger.auth.password_hashes", description: "passwords hashed or checked (PBKDF2 runs)");

    private readonly PasswordHasher<string> _hasher = new();
    private readonly HashingLanes _lanes;
    private long _runs;

    public PasswordHashing(SignInSettings limits)
    {
        _lanes = new HashingLanes(Math.Max(1, Environment.ProcessorCount - 1), limits.HashQueue, limits.HashQueuePerClient,
            TimeSpan.FromSeconds(limits.HashWaitSeconds));
    }

    /// <summary>PBKDF2 runs on this node so far (hashes and checks): what a guessing limit must keep from growing.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>The hash, or null and why no slot was had.</summary>
    public async Task<(string? Hash, Refusal Refused)> HashAsync(string client, string userId, string password, CancellationToken ct)
    {
        var admission = await _lanes.EnterAsync(client, ct);
        using var slot = admission.Slot;
        if (slot is null) return (null, RefusalOf(admission));
        Counted();
        return (await OwnThread(() => _hasher.HashPassword(userId, password)), Refusal.None);
    }

    /// <summary>Whether the password matches; when <c>Refused</c> is not <see cref="Refusal.None"/> it was not checked.</summary>
    public async Task<(bool Matches, Refusal Refused)> VerifyAsync(string client, string userId, string hash, string password, CancellationToken ct)
    {
        var admission = await _lanes.EnterAsync(client, ct);
        using var slot = admission.Slot;
        if (slot is null) return (false, RefusalOf(admission));
        Counted();
        return (await OwnThread(() => _hasher.VerifyHashedPassword(userId, hash, password)) != PasswordVerificationResult.Failed, Refusal.None);
    }

    private static Refusal RefusalOf(HashingLanes.Admission admission) =>
        admission.ClientQueueFull ? Refusal.ClientQueueFull : Refusal.Busy;

    /// <summary>
    /// Runs a hash on a thread of its own (at most one per slot), not as a thread-pool work item: under a flood the
    /// pool's queue holds thousands of request continuations, and an admitted check must not wait behind them.
    /// </summary>
    private static Task<T> OwnThread<T>(Func<T> hash) =>
        Task.Factory.StartNew(hash, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Counted()
    {
        Interlocked.Increment(ref _runs);
        HashCounter.Add(1);
    }
}

/// <summary>Why a password was not hashed: the node's queue was full or waited too long (<see cref="Busy"/>: not the
/// client's doing), or this client already had its share of checks waiting (<see cref="ClientQueueFull"/>).</summary>
public enum Refusal
{
    None,
    Busy,
    ClientQueueFull,
}
