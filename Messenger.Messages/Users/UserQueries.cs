namespace Messenger.Messages.Users;

/// <summary>Reads served by a user's inbox: from its state when recent, from storage when older.</summary>
public static class UserQueries
{
    public sealed record GetConversations(string UserId, int Offset, int Limit) : IWithUserId;

    /// <summary>The newest <see cref="Limit"/> messages older than <see cref="Before"/> (an order), oldest first.</summary>
    public sealed record GetHistory(string UserId, string ConversationId, string? Before, int Limit) : IWithUserId;

    /// <summary>The first <see cref="Limit"/> inbox messages after inbox position <see cref="After"/>.</summary>
    public sealed record GetInboxAfter(string UserId, long After, int Limit) : IWithUserId;
}
