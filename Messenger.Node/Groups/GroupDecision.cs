using Messenger.Messages.Chat;
using static Messenger.Messages.Groups.GroupEvents;

namespace Messenger.Node.Groups;

/// <summary>What <see cref="GroupRules"/> decided for one command.</summary>
public abstract record GroupDecision
{
    /// <summary>Refused with a contract error code (<see cref="ErrorCodes"/>).</summary>
    public sealed record Refused(string Code, string Reason) : GroupDecision;

    /// <summary>Nothing to store (a read, or a change that changes nothing): answer the group as it is.</summary>
    public sealed record Unchanged : GroupDecision
    {
        public static readonly Unchanged Instance = new();
    }

    /// <summary>Events to persist and fan out, in this order (a last admin leaving: member_left, then admin_added).</summary>
    public sealed record Changed(IReadOnlyList<MessageStamped> Events) : GroupDecision;

    /// <summary>A text message's key is already stamped (<see cref="InFlight"/>: its fan-out is still running, else null).</summary>
    public sealed record Known(ChatMessage? InFlight) : GroupDecision;
}
