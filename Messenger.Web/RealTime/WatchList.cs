using Messenger.Messages.Users;

namespace Messenger.Web.RealTime;

/// <summary>
/// One connection's watch list, pure: which users it asked for, which of them it may see (its inbox said so) and
/// is subscribed to, and what it last showed for each. It decides which presence frames go out: each visible user
/// once at every watch, then again only when <c>online</c> changes. Reads and published changes arrive in any order;
/// the newest <see cref="PresenceReplies.UserPresence.Version"/> wins.
/// </summary>
public sealed class WatchList
{
    public const int MaxUsers = 200;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public bool Subscribed;
        public bool Visible;
        public bool Announced;
        public bool ShownOnline;
        public PresenceReplies.UserPresence? Known;
    }

    /// <summary>What the connection must do after its inbox said who is visible.</summary>
    public sealed record Changes(IReadOnlyList<string> Subscribe, IReadOnlyList<string> Unsubscribe, IReadOnlyList<string> Read);

    public IReadOnlyList<string> Requested => _entries.Keys.ToList();

    public IEnumerable<string> Subscribed => _entries.Where(e => e.Value.Subscribed).Select(e => e.Key);

    /// <summary>
    /// A new list replaces the old one: returns the subscriptions to end (users no longer asked for). Every user kept
    /// is announced again once visibility is confirmed.
    /// </summary>
    public IReadOnlyList<string> Replace(IEnumerable<string> userIds)
    {
        var wanted = userIds.ToHashSet(StringComparer.Ordinal);
        var dropped = new List<string>();
        foreach (var (id, entry) in _entries.ToList())
        {
            if (wanted.Contains(id))
            {
                entry.Announced = false;
                entry.Visible = false;
                continue;
            }
            if (entry.Subscribed) dropped.Add(id);
            _entries.Remove(id);
        }
        foreach (var id in wanted) _entries.TryAdd(id, new Entry());
        return dropped;
    }

    /// <summary>
    /// The inbox named the visible users of the current list: subscribe to those not yet subscribed (they are read
    /// once the subscription is acknowledged), read the ones already subscribed at once, and drop what is not visible.
    /// </summary>
    public Changes Visible(IEnumerable<string> visible)
    {
        var seen = visible.ToHashSet(StringComparer.Ordinal);
        List<string> subscribe = [], unsubscribe = [], read = [];
        foreach (var (id, entry) in _entries)
        {
            entry.Visible = seen.Contains(id);
            if (entry.Visible && !entry.Subscribed)
            {
                entry.Subscribed = true;
                subscribe.Add(id);
            }
            else if (entry.Visible) read.Add(id);
            else if (entry.Subscribed)
            {
                entry.Subscribed = false;
                unsubscribe.Add(id);
            }
        }
        return new Changes(subscribe, unsubscribe, read);
    }

    /// <summary>True when the user is still watched and subscribed (a subscription acknowledgement may be stale).</summary>
    public bool IsSubscribed(string userId) => _entries.TryGetValue(userId, out var e) && e.Subscribed;

    /// <summary>A read or a published change arrived: the presence to show, or null (not watched, stale, or unchanged).</summary>
    public PresenceReplies.UserPresence? Observe(PresenceReplies.UserPresence presence)
    {
        if (!_entries.TryGetValue(presence.UserId, out var entry) || !entry.Visible) return null;
        if (entry.Known is { } known && known.Version > presence.Version) presence = known;
        else entry.Known = presence;
        if (entry.Announced && entry.ShownOnline == presence.Online) return null;
        entry.Announced = true;
        entry.ShownOnline = presence.Online;
        return presence;
    }
}
