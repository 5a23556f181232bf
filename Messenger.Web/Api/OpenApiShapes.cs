namespace Messenger.Web.Api;

/// <summary>
/// The contract's answer objects (API.md "Objects", v0 and v1) as types, for the OpenAPI document only: the endpoints
/// write these shapes by hand with Utf8JsonWriter (ApiJson), so the generator cannot see them in the handlers.
/// A non-nullable property is always present (marked required); a nullable one may be null or absent.
/// OpenApiDocumentTests compares real answers with these shapes, so they cannot drift silently.
/// </summary>
public static class OpenApiShapes
{
    /// <summary>Every non-2xx answer: <c>code</c> is one of the contract's machine codes.</summary>
    public sealed record ErrorBody(string Code, string Message);

    /// <summary>A signed-in session: the normalised user id and a bearer token.</summary>
    public sealed record SignedIn(string UserId, string Token);

    public sealed record UserFound(string UserId);

    /// <summary>An uploaded file (<c>sha256</c> in lower-case hex).</summary>
    public sealed record Attachment(string AttachmentId, string Name, string ContentType, long Size, string Sha256);

    /// <summary>
    /// One copy of a message. <c>order</c> sorts (ordinal) in conversation order; <c>seq</c> is its place in the
    /// reading user's inbox. <c>retracted</c>: a recipient copy withdrawn because its key named another message.
    /// <c>kind</c>: absent for a text message, else a group membership event (group_created, member_added,
    /// member_removed, member_left, group_renamed, admin_added) whose <c>subject</c> is the member concerned.
    /// </summary>
    public sealed record Message(
        string MessageId, string ClientMessageId, string ConversationId, string From, string To, string Body,
        DateTime SentAt, string Order, long Seq, bool? Retracted, IReadOnlyList<Attachment>? Attachments,
        string? Kind = null, string? Subject = null);

    /// <summary>The answer to a send, once the message is durable in both copies.</summary>
    public sealed record Sent(string ClientMessageId, string MessageId, string ConversationId, string Order, DateTime SentAt);

    /// <summary>Another participant's markers: the newest <c>order</c> one of their devices holds, and has read.</summary>
    public sealed record Receipt(string UserId, string? Delivered, string? Read);

    /// <summary><c>peer</c> is null for a group, which has <c>group</c> instead; <c>receipts</c> lists every other
    /// participant (1:1: the peer; a group: the other members).</summary>
    public sealed record Conversation(
        string ConversationId, string? Peer, Message LastMessage, int UnreadCount, DateTime UpdatedAt,
        IReadOnlyList<Receipt>? Receipts, GroupSummary? Group = null);

    /// <summary>A group conversation as the caller's copy last saw it; <c>isMember</c> is false once they were removed or left.</summary>
    public sealed record GroupSummary(string Name, int MemberCount, bool IsMember);

    /// <summary><c>role</c> is <c>admin</c> or <c>member</c>.</summary>
    public sealed record GroupMember(string UserId, string Role);

    /// <summary>A group: its conversation id (<c>grp:&lt;id&gt;</c>), name, when it was created, members in the order they joined.</summary>
    public sealed record Group(string ConversationId, string Name, DateTime CreatedAt, IReadOnlyList<GroupMember> Members);

    public sealed record ConversationList(IReadOnlyList<Conversation> Conversations);

    /// <summary>Oldest first; <c>nextBefore</c> pages further back, null at the start of the conversation.</summary>
    public sealed record HistoryPage(IReadOnlyList<Message> Messages, string? NextBefore);

    /// <summary>In inbox order; <c>nextAfter</c> is the last <c>seq</c> returned, or <c>after</c> when none.</summary>
    public sealed record SyncPage(IReadOnlyList<Message> Events, long NextAfter);

    /// <summary><c>lastSeen</c> is null while online or never seen.</summary>
    public sealed record Presence(string UserId, bool Online, DateTime? LastSeen);

    /// <summary>POST /api/received: this device holds every inbox message with <c>seq</c> ≤ <c>upTo</c>.</summary>
    public sealed record Received(long UpTo);

    public sealed record HealthStatus(string Status);

    /// <summary>Not ready (503): the error body plus what is missing.</summary>
    public sealed record NotReady(string Code, string Message, string Status, IReadOnlyList<string> Problems);
}
