using Messenger.Messages.Users;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>Commands to a user's inbox (<see cref="UserCommands"/>).</summary>
public sealed partial class MessengerSerializer
{
    private static P.UserOpenInbox ToProto(UserCommands.OpenInbox m) => new() { UserId = m.UserId };

    private static UserCommands.OpenInbox FromProto(P.UserOpenInbox p) => new(p.UserId);

    private static P.UserSendMessage ToProto(UserCommands.SendMessage m) => new()
    {
        UserId = m.UserId,
        ClientMessageId = ToBytes(m.ClientMessageId),
        To = m.To,
        Body = m.Body,
    };

    private static UserCommands.SendMessage FromProto(P.UserSendMessage p) =>
        new(p.UserId, ToGuid(p.ClientMessageId, "SendMessage.ClientMessageId"), p.To, p.Body);

    private static P.UserStoreIncoming ToProto(UserCommands.StoreRecipientCopy m) =>
        new() { UserId = m.UserId, Message = ToProto(m.Message) };

    private static UserCommands.StoreRecipientCopy FromProto(P.UserStoreIncoming p) =>
        new(p.UserId, FromProto(Required(p.Message, "StoreRecipientCopy.Message")));

    private static P.UserStoreOutgoing ToProto(UserCommands.StoreSenderCopy m) =>
        new() { UserId = m.UserId, Message = ToProto(m.Message) };

    private static UserCommands.StoreSenderCopy FromProto(P.UserStoreOutgoing p) =>
        new(p.UserId, FromProto(Required(p.Message, "StoreSenderCopy.Message")));

    private static P.UserConfirmSenderCopy ToProto(UserCommands.SenderCopyStored m) =>
        new() { UserId = m.UserId, MessageId = ToBytes(m.MessageId) };

    private static UserCommands.SenderCopyStored FromProto(P.UserConfirmSenderCopy p) =>
        new(p.UserId, ToGuid(p.MessageId, "SenderCopyStored.MessageId"));

    private static P.UserRetractRecipientCopy ToProto(UserCommands.RetractRecipientCopy m) =>
        new() { UserId = m.UserId, MessageId = ToBytes(m.MessageId) };

    private static UserCommands.RetractRecipientCopy FromProto(P.UserRetractRecipientCopy p) =>
        new(p.UserId, ToGuid(p.MessageId, "RetractRecipientCopy.MessageId"));

    private static P.UserMarkRead ToProto(UserCommands.MarkRead m) =>
        new() { UserId = m.UserId, ConversationId = m.ConversationId, UpTo = m.UpTo };

    private static UserCommands.MarkRead FromProto(P.UserMarkRead p) => new(p.UserId, p.ConversationId, p.UpTo);

    private static P.UserAttachDevice ToProto(UserCommands.AttachDevice m) =>
        new() { UserId = m.UserId, DevicePath = ToPath(m.Device) };

    private UserCommands.AttachDevice FromProto(P.UserAttachDevice p) => new(p.UserId, ToActorRef(p.DevicePath));

    private static P.UserDetachDevice ToProto(UserCommands.DetachDevice m) =>
        new() { UserId = m.UserId, DevicePath = ToPath(m.Device) };

    private UserCommands.DetachDevice FromProto(P.UserDetachDevice p) => new(p.UserId, ToActorRef(p.DevicePath));
}
