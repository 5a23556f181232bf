using Messenger.Messages.Groups;
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
        if (m.Kind is { } kind) p.Kind = kind;
        if (m.Subject is { } subject) p.Subject = subject;
        if (m.Roster is { } roster) p.Roster = ToProto(roster);
        return p;
    }

    public static P.GroupMember ToProto(GroupMember m) => new() { UserId = m.UserId, Role = m.Role, Joined = m.Joined };

    public static GroupMember FromProto(P.GroupMember p) => new(p.UserId, p.Role, p.Joined);

    public static P.GroupRoster ToProto(GroupRoster r)
    {
        var p = new P.GroupRoster { Name = r.Name };
        foreach (var m in r.Members) p.Members.Add(ToProto(m));
        return p;
    }

    public static GroupRoster FromProto(P.GroupRoster p) => new(p.Name, p.Members.Select(FromProto).ToList());

    public static ChatMessage FromProto(P.ChatMessage p) => new(
        ToGuid(p.MessageId, "ChatMessage.MessageId"),
        ToGuid(p.ClientMessageId, "ChatMessage.ClientMessageId"),
        p.ConversationId,
        p.From,
        p.To,
        p.Body,
        ToDateTime(p.SentAtTicks),
        p.Order)
    {
        Attachments = AttachmentFormats.Attachments(p.Attachments),
        Kind = p.HasKind ? p.Kind : null,
        Subject = p.HasSubject ? p.Subject : null,
        Roster = p.Roster is { } roster ? FromProto(roster) : null,
    };

    public static P.InboxMessage ToProto(InboxMessage m) =>
        new() { Message = ToProto(m.Message), Seq = m.Seq, Retracted = m.Retracted };

    public static InboxMessage FromProto(P.InboxMessage p) =>
        new(FromProto(Required(p.Message, "InboxMessage.Message")), p.Seq, p.Retracted);
}
