using Messenger.Messages.Users;

namespace Messenger.Node.Groups;

/// <summary>What the group core asks its actor to do: persist, reply, tell a member's inbox.</summary>
public abstract record GroupEffect
{
    /// <summary>Persist, then hand the event back to <see cref="GroupCore.Persisted"/>.</summary>
    public sealed record Persist(object Event) : GroupEffect;

    public sealed record Reply(object To, object Message) : GroupEffect;

    /// <summary>To a member's inbox through the user shard region (the group as the sender, so acks come back).</summary>
    public sealed record ToInbox(IWithUserId Message) : GroupEffect;
}
