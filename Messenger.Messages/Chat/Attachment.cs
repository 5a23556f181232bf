namespace Messenger.Messages.Chat;

/// <summary>
/// A file a message carries (API.md "Attachments"): what both copies of the message hold about it. The bytes stay in
/// the attachment store under <see cref="AttachmentId"/>; <see cref="Sha256"/> is lower-case hex.
/// </summary>
public sealed record Attachment(Guid AttachmentId, string Name, string ContentType, long Size, string Sha256) : IMessengerMessage
{
    public const long MaxBytes = 25L * 1024 * 1024;
    public const int MaxPerMessage = 10;
    public const int MaxNameLength = 255;
    public const string DefaultName = "file";
}
