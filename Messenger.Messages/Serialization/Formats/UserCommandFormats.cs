using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.Formats.ChatFormats;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Commands to a user's inbox (<see cref="UserCommands"/>).</summary>
internal static class UserCommandFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<UserCommands.OpenInbox, P.UserOpenInbox>("u-open",
            m => new() { UserId = m.UserId },
            p => new(p.UserId))
        .Add<UserCommands.SendMessage, P.UserSendMessage>("u-send",
            m =>
            {
                var p = new P.UserSendMessage { UserId = m.UserId, ClientMessageId = ToBytes(m.ClientMessageId), To = m.To, Body = m.Body };
                AttachmentFormats.AddAttachments(p.Attachments, m.Attachments);
                return p;
            },
            p => new(p.UserId, ToGuid(p.ClientMessageId, "SendMessage.ClientMessageId"), p.To, p.Body)
                { Attachments = AttachmentFormats.Attachments(p.Attachments) })
        .Add<UserCommands.StoreRecipientCopy, P.UserStoreIncoming>("u-store-in",
            m => new() { UserId = m.UserId, Message = ToProto(m.Message) },
            p => new(p.UserId, FromProto(Required(p.Message, "StoreRecipientCopy.Message"))))
        .Add<UserCommands.StoreSenderCopy, P.UserStoreOutgoing>("u-store-out",
            m => new() { UserId = m.UserId, Message = ToProto(m.Message) },
            p => new(p.UserId, FromProto(Required(p.Message, "StoreSenderCopy.Message"))))
        .Add<UserCommands.SenderCopyStored, P.UserConfirmSenderCopy>("u-confirm",
            m => new() { UserId = m.UserId, MessageId = ToBytes(m.MessageId) },
            p => new(p.UserId, ToGuid(p.MessageId, "SenderCopyStored.MessageId")))
        .Add<UserCommands.RetractRecipientCopy, P.UserRetractRecipientCopy>("u-retract",
            m => new() { UserId = m.UserId, MessageId = ToBytes(m.MessageId) },
            p => new(p.UserId, ToGuid(p.MessageId, "RetractRecipientCopy.MessageId")))
        .Add<UserCommands.MarkRead, P.UserMarkRead>("u-mark-read",
            m => new() { UserId = m.UserId, ConversationId = m.ConversationId, UpTo = m.UpTo },
            p => new(p.UserId, p.ConversationId, p.UpTo))
        .Add<UserCommands.AttachDevice, P.UserAttachDevice>("u-attach",
            m => new() { UserId = m.UserId, DevicePath = ToPath(m.Device) },
            (p, system) => new(p.UserId, ToActorRef(p.DevicePath, system)))
        .Add<UserCommands.DetachDevice, P.UserDetachDevice>("u-detach",
            m => new() { UserId = m.UserId, DevicePath = ToPath(m.Device) },
            (p, system) => new(p.UserId, ToActorRef(p.DevicePath, system)));
}
