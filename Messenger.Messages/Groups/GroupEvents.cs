using Messenger.Messages.Chat;

namespace Messenger.Messages.Groups;

/// <summary>What a group's entity persists in its own journal (persistence id <c>group-&lt;conversation id&gt;</c>).</summary>
public static class GroupEvents
{
    /// <summary>
    /// The group stamped a message (a text message or a membership event: <see cref="ChatMessage.Kind"/>) and fixed
    /// the members whose copies it owes (<see cref="Recipients"/>, the sender of a text message included): the one cut.
    /// Its fan-out is driven until every copy is durable, also after a restart.
    /// </summary>
    public sealed record MessageStamped(ChatMessage Message, IReadOnlyList<string> Recipients) : IMessengerMessage;

    /// <summary>These messages' fan-outs are done: every copy is durable (batched, like the inbox's confirmations).</summary>
    public sealed record FanOutsDone(IReadOnlyList<Guid> MessageIds) : IMessengerMessage;
}

public static class GroupSnapshots
{
    /// <summary>
    /// A group's entity state. <see cref="Unfinished"/>: fan-outs still owed (resumed on recovery).
    /// <see cref="RecentKeys"/>: idempotency keys of the newest finished text messages, so a late duplicate
    /// <see cref="GroupCommands.PostMessage"/> is not stamped twice.
    /// </summary>
    public sealed record GroupSnapshot(
        string GroupId,
        bool Created,
        bool Closed,
        string Name,
        DateTime CreatedAt,
        string CreatedBy,
        IReadOnlyList<GroupMember> Members,
        long NextJoined,
        long Clock,
        IReadOnlyList<GroupEvents.MessageStamped> Unfinished,
        IReadOnlyList<GroupKey> RecentKeys) : IMessengerMessage;

    /// <summary>A text message's idempotency key: its sender and the id the sender's client chose.</summary>
    public sealed record GroupKey(string From, Guid ClientMessageId) : IMessengerMessage;
}
