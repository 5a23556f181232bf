using Microsoft.AspNetCore.Identity;

namespace Messenger.Web.Auth;

/// <summary>
/// Password hashing (PBKDF2-HMAC-SHA512, 100,000 iterations: ASP.NET Core Identity's v3 format). Deliberately slow,
/// so at most (cores - 1) hashes run at once: a burst of sign-ups queues here instead of starving the actors and the
/// cluster heartbeats that share the thread pool.
/// </summary>
public sealed class PasswordHashing
{
    private readonly PasswordHasher<string> _hasher = new();
    private readonly SemaphoreSlim _slots = new(Math.Max(1, Environment.ProcessorCount - 1));

    public async Task<string> HashAsync(string userId, string password, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            return await Task.Run(() => _hasher.HashPassword(userId, password), ct);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<bool> VerifyAsync(string userId, string hash, string password, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            return await Task.Run(() => _hasher.VerifyHashedPassword(userId, hash, password), ct)
                   != PasswordVerificationResult.Failed;
        }
        finally
        {
            _slots.Release();
        }
    }
}
