using Messenger.Messages.Users;

namespace Messenger.Messages.Chat;

/// <summary>The download's access check, answered by the asking user's inbox from the attachments its messages carry.</summary>
public static class AttachmentQueries
{
    public sealed record HoldsAttachment(string UserId, Guid AttachmentId) : IWithUserId;

    public sealed record AttachmentHeld(Guid AttachmentId, bool Held) : IMessengerMessage;
}
