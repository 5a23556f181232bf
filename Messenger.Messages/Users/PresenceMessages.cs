namespace Messenger.Messages.Users;

/// <summary>Presence and typing requests a user's inbox handles beside its inbox work. Never persisted.</summary>
public interface IPresenceCommand : IWithUserId
{
}

/// <summary>What the edge and other inboxes ask a user's inbox about presence and typing.</summary>
public static class PresenceCommands
{
    /// <summary>The edge asks the caller's (<see cref="UserId"/>) inbox for <see cref="Of"/>'s presence. The caller's
    /// inbox checks visibility (a shared conversation) and forwards <see cref="ReadPresence"/> with the asker as sender;
    /// answered <see cref="PresenceReplies.UserPresence"/> or <see cref="UserReplies.Rejected"/> <c>not_found</c>.</summary>
    public sealed record GetPresence(string UserId, string Of) : IPresenceCommand;

    /// <summary>A device's watch list, to the caller's (<see cref="UserId"/>) inbox: answered
    /// <see cref="PresenceReplies.PresenceVisible"/> with the users it may see, echoing <see cref="Generation"/>.</summary>
    public sealed record WatchPresence(string UserId, IReadOnlyList<string> Of, int Generation) : IPresenceCommand;

    /// <summary>To the watched user's (<see cref="UserId"/>) own inbox: answered <see cref="PresenceReplies.UserPresence"/>.</summary>
    public sealed record ReadPresence(string UserId) : IPresenceCommand;

    /// <summary>A device of <see cref="UserId"/> types in a conversation. Answered only when refused
    /// (<see cref="PresenceReplies.TypingRefused"/>); otherwise relayed to the peer's inbox as <see cref="TypingTo"/>.</summary>
    public sealed record Typing(string UserId, string ConversationId) : IPresenceCommand;

    /// <summary>To the peer's (<see cref="UserId"/>) inbox: push "<see cref="From"/> is typing" to its devices. Never answered.</summary>
    public sealed record TypingTo(string UserId, string ConversationId, string From) : IPresenceCommand;
}

/// <summary>Answers about presence and typing, to the edge and to devices.</summary>
public static class PresenceReplies
{
    /// <summary>A user's presence; also what the user's inbox publishes on <see cref="PresenceTopic"/> when
    /// <see cref="Online"/> changes. <see cref="Version"/> grows with every change (ticks of the change), so a watcher
    /// keeps the newest of a read and a published change whatever order they arrive in; 0 when never seen.</summary>
    public sealed record UserPresence(string UserId, bool Online, DateTime? LastSeen, long Version) : IMessengerMessage;

    /// <summary>Answer to <see cref="PresenceCommands.WatchPresence"/>: the requested users the caller may see.</summary>
    public sealed record PresenceVisible(int Generation, IReadOnlyList<string> UserIds) : IMessengerMessage;

    /// <summary>A typing frame the caller's inbox refused (a conversation the caller is not in).</summary>
    public sealed record TypingRefused(string ConversationId, string Code, string Reason) : IMessengerMessage;
}

/// <summary>The distributed pub-sub topic on which a user's inbox publishes their presence changes.</summary>
public static class PresenceTopic
{
    public static string Of(string userId) => "presence:" + userId;
}
