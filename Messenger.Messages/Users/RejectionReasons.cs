namespace Messenger.Messages.Users;

/// <summary>Reasons of <c>unavailable</c> rejections that their receiver acts on, not only shows.</summary>
public static class RejectionReasons
{
    /// <summary>
    /// The inbox cannot reach its storage (its database is down or unreachable from its node): asking again at once finds
    /// it no better, so neither a sender's inbox nor the edge waits or asks again; the client retries with the same key.
    /// </summary>
    public const string StorageUnavailable = "the inbox cannot reach its storage; retry with the same clientMessageId";
}
