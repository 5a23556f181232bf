using System.Text.Json;
using Messenger.Messages.Chat;

namespace Messenger.Web.Attachments;

/// <summary>The contract's Attachment object (API.md "Attachments"), for upload answers and inside Message.</summary>
public static class AttachmentJson
{
    private static readonly JsonEncodedText AttachmentsName = JsonEncodedText.Encode("attachments");

    public static void Write(Utf8JsonWriter w, Attachment a)
    {
        w.WriteStartObject();
        w.WriteString("attachmentId", a.AttachmentId);
        w.WriteString("name", a.Name);
        w.WriteString("contentType", a.ContentType);
        w.WriteNumber("size", a.Size);
        w.WriteString("sha256", a.Sha256);
        w.WriteEndObject();
    }

    /// <summary>A Message's "attachments" field; absent when it carries none (v0 clients see v0 messages).</summary>
    public static void WriteField(Utf8JsonWriter w, AttachmentList attachments)
    {
        if (attachments.Count == 0) return;
        w.WritePropertyName(AttachmentsName);
        w.WriteStartArray();
        foreach (var a in attachments) Write(w, a);
        w.WriteEndArray();
    }
}
