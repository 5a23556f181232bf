using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>Chat value types (also nested in user messages) and device frames.</summary>
public sealed partial class MessengerSerializer
{
    private static P.ChatMessage ToProto(ChatMessage m) => new()
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

    private static ChatMessage FromProto(P.ChatMessage p) => new(
        ToGuid(p.MessageId, "ChatMessage.MessageId"),
        ToGuid(p.ClientMessageId, "ChatMessage.ClientMessageId"),
        p.ConversationId,
        p.From,
        p.To,
        p.Body,
        ToDateTime(p.SentAtTicks),
        p.Order);

    private static P.InboxMessage ToProto(InboxMessage m) => new() { Message = ToProto(m.Message), Seq = m.Seq };

    private static InboxMessage FromProto(P.InboxMessage p) =>
        new(FromProto(Required(p.Message, "InboxMessage.Message")), p.Seq);

    private static P.DeviceDeliver ToProto(DeviceFrames.Deliver m) => new() { Message = ToProto(m.Message) };

    private static DeviceFrames.Deliver FromProto(P.DeviceDeliver p) =>
        new(FromProto(Required(p.Message, "Deliver.Message")));

    private static P.DeviceInboxStopped ToProto(DeviceFrames.InboxStopped m) => new() { UserId = m.UserId };

    private static DeviceFrames.InboxStopped FromProto(P.DeviceInboxStopped p) => new(p.UserId);
}
