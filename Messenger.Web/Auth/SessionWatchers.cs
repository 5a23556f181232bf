namespace Messenger.Web.Auth;

/// <summary>The open WebSockets of this node, by user, each waiting to hear that its token stopped working.</summary>
public sealed class SessionWatchers
{
    private readonly Dictionary<string, List<Watcher>> _byUser = new(StringComparer.Ordinal);

    public IDisposable Add(TokenSession token, Action onRevoked)
    {
        var watcher = new Watcher(this, token, onRevoked);
        lock (_byUser)
        {
            if (!_byUser.TryGetValue(token.UserId, out var list)) _byUser[token.UserId] = list = new List<Watcher>();
            list.Add(watcher);
        }
        return watcher;
    }

    public IReadOnlyList<string> Users()
    {
        lock (_byUser) return _byUser.Keys.ToList();
    }

    /// <summary>Fires (once each, outside the lock) the watchers of <paramref name="userId"/> whose token is revoked.</summary>
    public void Notify(string userId, Func<TokenSession, bool> revokes)
    {
        List<Watcher> revoked;
        lock (_byUser)
        {
            if (!_byUser.TryGetValue(userId, out var list)) return;
            revoked = list.Where(w => revokes(w.Token)).ToList();
            foreach (var w in revoked) list.Remove(w);
            if (list.Count == 0) _byUser.Remove(userId);
        }
        foreach (var w in revoked) w.Fire();
    }

    private void Remove(Watcher watcher)
    {
        lock (_byUser)
        {
            if (!_byUser.TryGetValue(watcher.Token.UserId, out var list)) return;
            list.Remove(watcher);
            if (list.Count == 0) _byUser.Remove(watcher.Token.UserId);
        }
    }

    private sealed class Watcher(SessionWatchers owner, TokenSession token, Action onRevoked) : IDisposable
    {
        private int _done;

        public TokenSession Token => token;

        public void Fire()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) onRevoked();
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) owner.Remove(this);
        }
    }
}
