using Messenger.Messages.Chat;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Chat value types: registered on their own and nested in most user messages.</summary>
internal static class ChatFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<ChatMessage, P.ChatMessage>("cm", ToProto, FromProto)
        .Add<InboxMessage, P.InboxMessage>("im", ToProto, FromProto);

    public static P.ChatMessage ToProto(ChatMessage m)
    {
        var p = new P.ChatMessage
        {
            MessageId = ToBytes(m.MessageId),
            ClientMessageId = ToBytes(m.ClientMessageId),
            ConversationId = m.ConversationId,
            From = m.From,
            To = m.To,
            Body = m.Body,
            SentAtTicks = ToTicks(m.SentAt),
            Order = m.Order,
        };
        AttachmentFormats.AddAttachments(p.Attachments, m.Attachments);
        return p;
    }

    public static ChatMessage FromProto(P.ChatMessage p) => new(
        ToGuid(p.MessageId, "ChatMessage.MessageId"),
        ToGuid(p.ClientMessageId, "ChatMessage.ClientMessageId"),
        p.ConversationId,
        p.From,
        p.To,
        p.Body,
        ToDateTime(p.SentAtTicks),
        p.Order) { Attachments = AttachmentFormats.Attachments(p.Attachments) };

    public static P.InboxMessage ToProto(InboxMessage m) =>
        new() { Message = ToProto(m.Message), Seq = m.Seq, Retracted = m.Retracted };

    public static InboxMessage FromProto(P.InboxMessage p) =>
        new(FromProto(Required(p.Message, "InboxMessage.Message")), p.Seq, p.Retracted);
}
