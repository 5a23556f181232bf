using System.Text;
using Messenger.Messages.Chat;

namespace Messenger.Web.Api;

/// <summary>Checks a send (HTTP body or WebSocket frame) before it reaches the sender's inbox.</summary>
public static class SendValidation
{
    public readonly record struct ValidSend(Guid ClientMessageId, string To, string Body);

    /// <summary>Either a valid send, or the contract error (code, message) to answer.</summary>
    public static (ValidSend? Send, string? Code, string? Message) Validate(
        string me, string? clientMessageId, string? to, string? body, IReadOnlyList<string?>? attachments = null)
    {
        if (string.IsNullOrEmpty(clientMessageId) || !Guid.TryParse(clientMessageId, out var id))
            return (null, ErrorCodes.InvalidRequest, "clientMessageId must be a UUID");
        if (to is null)
            return (null, ErrorCodes.InvalidRequest, "to is required");
        if (body is null)
            return (null, ErrorCodes.InvalidRequest, "body is required");
        if (attachments is { Count: > Attachment.MaxPerMessage })
            return (null, ErrorCodes.InvalidRequest, "at most 10 attachments per message");
        if (attachments is not null && attachments.Any(a => a is null))
            return (null, ErrorCodes.InvalidRequest, "attachments must be attachment ids");
        if (body.Length == 0 && attachments is not { Count: > 0 })
            return (null, ErrorCodes.InvalidRequest, "body must not be empty");
        if (Encoding.UTF8.GetByteCount(body) > Limits.MaxBodyBytes)
            return (null, ErrorCodes.TooLarge, "body is over 4096 UTF-8 bytes");
        // A group id is case-sensitive (not a user name to normalise); one that cannot be a group is no group the
        // caller is in: forbidden, as for any group they are not a member of (API.md "Messages in groups").
        if (to.StartsWith(ConversationId.GroupPrefix, StringComparison.Ordinal))
            return ConversationId.IsGroup(to)
                ? (new ValidSend(id, to, body), null, null)
                : (null, ErrorCodes.Forbidden, "no such group, or you are not a member");
        var recipient = UserId.Normalize(to);
        if (recipient == me)
            return (null, ErrorCodes.InvalidRequest, "you cannot send a message to yourself");
        if (!UserId.IsValid(recipient))
            return (null, ErrorCodes.NotFound, "no such recipient");
        return (new ValidSend(id, recipient, body), null, null);
    }
}
