using Messenger.Messages.Users;

namespace Messenger.Node.Inbox;

/// <summary>
/// What the inbox core asks its actor to do. The core decides; the actor persists, replies, routes and pushes.
/// Reply targets are opaque to the core (the actor's senders).
/// </summary>
public abstract record InboxEffect
{
    /// <summary>Persist this event, then hand it back to <see cref="InboxCore.Persisted"/> (or
    /// <see cref="InboxCore.PersistRejected"/> when the journal refuses it).</summary>
    public sealed record Persist(object Event) : InboxEffect;

    public sealed record Reply(object To, object Message) : InboxEffect;

    /// <summary>To another user's inbox through the shard region (this inbox as the sender, so answers come back).</summary>
    public sealed record ToInbox(IWithUserId Message) : InboxEffect;

    /// <summary>To a group's entity through the group region (this inbox as the sender, so answers come back).</summary>
    public sealed record ToGroup(Messenger.Messages.Groups.IWithGroupId Message) : InboxEffect;

    public sealed record PushToDevices(object Frame) : InboxEffect;

    /// <summary>Ask storage for a key older than the window; the answer goes to <see cref="InboxCore.KeyLookedUp"/>.
    /// <paramref name="ConversationId"/> is where a copy under the key must be; null for this user's own keys, which
    /// are looked up in every conversation (a key reused towards another recipient is <c>invalid_request</c>).</summary>
    public sealed record FindKey(MessageKey Key, string? ConversationId) : InboxEffect;

    /// <summary>A history page storage must answer (one extra row tells whether anything older exists).</summary>
    public sealed record ReadHistory(object To, string ConversationId, int ConversationNumber, string? Before, int Limit) : InboxEffect;

    public sealed record ReadInbox(object To, long JournalHint, long After, int Limit) : InboxEffect;
}
