using Messenger.Messages.Chat;

namespace Messenger.Node.Attachments;

/// <summary>An upload as the store holds it: the contract's <see cref="Attachment"/> plus who uploaded it and whether a
/// message carries it (a carried upload is never swept).</summary>
public sealed record StoredAttachment(Attachment Attachment, string Uploader, bool Carried, DateTime CreatedAt);

/// <summary>How an upload ended: stored, or refused without anything stored.</summary>
public enum UploadOutcome { Stored, Empty, TooLarge }

public readonly record struct UploadResult(UploadOutcome Outcome, Attachment? Attachment);
