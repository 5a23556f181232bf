using Messenger.Messages.Accounts;

namespace Messenger.Node.Accounts;

/// <summary>
/// Which of a user's tokens still work, as the account's events leave it: every token carries the generation it was
/// issued in and an id. Signing out everywhere (or changing the password) starts a new generation; signing out one
/// token remembers its id until the token would have expired anyway, so the set stays small.
/// </summary>
public sealed class AccountSessions
{
    private readonly Dictionary<string, DateTime> _revoked = new(StringComparer.Ordinal);

    public long Generation { get; private set; }

    public void Apply(AccountEvents.TokenRevoked e) => _revoked[e.TokenId] = e.ExpiresAt;

    public void Apply(AccountEvents.SessionsRevoked e) => NewGeneration(e.Generation);

    public void Apply(AccountEvents.PasswordChanged e) => NewGeneration(e.Generation);

    public AccountReplies.Sessions Describe(string username, long version, DateTime now)
    {
        foreach (var expired in _revoked.Where(r => r.Value <= now).Select(r => r.Key).ToList()) _revoked.Remove(expired);
        return new AccountReplies.Sessions(username, version, Generation, _revoked.Keys.Order(StringComparer.Ordinal).ToList());
    }

    private void NewGeneration(long generation)
    {
        Generation = generation;
        // Every token of an older generation is dead already.
        _revoked.Clear();
    }
}
