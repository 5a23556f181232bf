using System.Collections.Concurrent;
using System.Collections.Frozen;
using Akka.Actor;
using Messenger.Messages.Accounts;

namespace Messenger.Web.Auth;

/// <summary>
/// This node's copy of every active user's sessions (generation + revoked token ids), so checking a token costs no
/// Ask and no database read: a miss costs one Ask to the account entity (concurrent misses share it), then the entry
/// is kept. Changes arrive from the account entities over distributed pub-sub (<see cref="SessionListener"/>) and are
/// applied only when newer (<see cref="AccountReplies.Sessions.Version"/>). Pub-sub delivers at most once, and loses
/// messages only while a node is unreachable: so entries are dropped when cluster reachability changes, and expire
/// after <see cref="Lifetime"/> as a last resort.
/// </summary>
public sealed class SessionCache(AccountRegion accounts)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry?>>> _loading = new(StringComparer.Ordinal);
    private readonly SessionWatchers _watchers = new();

    /// <summary>True: the token works. False: it was revoked. Null: the account could not be asked in time.</summary>
    public async ValueTask<bool?> AllowsAsync(TokenSession token, CancellationToken ct)
    {
        if (_entries.TryGetValue(token.UserId, out var entry) && !entry.IsExpired && token.Generation <= entry.Generation)
            return entry.Allows(token);
        // Unknown here, old, or a token newer than what this node has heard of (its change may still be on the way).
        var loaded = await LoadAsync(token.UserId, ct);
        return loaded?.Allows(token);
    }

    /// <summary>Takes a user's sessions as the account entity described them, unless this node already knows newer.</summary>
    public void Apply(AccountReplies.Sessions sessions)
    {
        var fresh = new Entry(sessions);
        var kept = _entries.AddOrUpdate(sessions.Username, fresh, (_, old) => old.Version > fresh.Version ? old : fresh);
        _watchers.Notify(sessions.Username, kept.Revokes);
    }

    /// <summary>Calls <paramref name="onRevoked"/> once when <paramref name="token"/> stops working (at once if it has).</summary>
    public IDisposable Watch(TokenSession token, Action onRevoked)
    {
        var watch = _watchers.Add(token, onRevoked);
        if (_entries.TryGetValue(token.UserId, out var entry)) _watchers.Notify(token.UserId, entry.Revokes);
        return watch;
    }

    /// <summary>Cluster reachability changed: a change may have been lost. Reload what open sockets depend on.</summary>
    public void ForgetAll()
    {
        foreach (var entry in _entries.Values) entry.IsStale = true;
        foreach (var userId in _watchers.Users()) _ = LoadAsync(userId, CancellationToken.None);
    }

    /// <summary>Drops entries past their lifetime (called periodically), so memory follows the active users.</summary>
    public void Sweep()
    {
        foreach (var (userId, entry) in _entries)
            if (entry.IsExpired)
                _entries.TryRemove(new KeyValuePair<string, Entry>(userId, entry));
    }

    private async Task<Entry?> LoadAsync(string userId, CancellationToken ct)
    {
        var load = _loading.GetOrAdd(userId, id => new Lazy<Task<Entry?>>(() => AskAsync(id)));
        try
        {
            return await load.Value.WaitAsync(ct);
        }
        finally
        {
            _loading.TryRemove(new KeyValuePair<string, Lazy<Task<Entry?>>>(userId, load));
        }
    }

    private async Task<Entry?> AskAsync(string userId)
    {
        try
        {
            var region = await accounts.GetAsync();
            var sessions = await region.Ask<AccountReplies.Sessions>(new AccountCommands.GetSessions(userId), AskTimeout);
            Apply(sessions);
            return _entries.TryGetValue(userId, out var entry) ? entry : null;
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException)
        {
            return null;
        }
    }

    private sealed class Entry(AccountReplies.Sessions sessions)
    {
        private readonly FrozenSet<string> _revoked = sessions.RevokedTokenIds.ToFrozenSet(StringComparer.Ordinal);
        private readonly long _loadedAt = Environment.TickCount64;

        public long Version => sessions.Version;
        public long Generation => sessions.Generation;
        public volatile bool IsStale;
        public bool IsExpired => IsStale || Environment.TickCount64 - _loadedAt > (long)Lifetime.TotalMilliseconds;

        public bool Allows(TokenSession token) => token.Generation == sessions.Generation && !Revokes(token);

        /// <summary>Known dead: an older generation or a signed-out id (a newer generation is news yet to come, not a revocation).</summary>
        public bool Revokes(TokenSession token) =>
            token.Generation < sessions.Generation || (token.TokenId is not null && _revoked.Contains(token.TokenId));
    }
}
