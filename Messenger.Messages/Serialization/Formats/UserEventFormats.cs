using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.Formats.ChatFormats;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Events a user's inbox persists (<see cref="UserEvents"/>): its journal, kept forever.</summary>
internal static class UserEventFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<UserEvents.InboxOpened, P.UserInboxOpened>("u-opened",
            m => new() { UserId = m.UserId, AtTicks = ToTicks(m.At) },
            p => new(p.UserId, ToDateTime(p.AtTicks)))
        .Add<UserEvents.MessageStored, P.UserMessageStored>("u-stored",
            m =>
            {
                var p = new P.UserMessageStored { Message = ToProto(m.Message), Seq = m.Seq, AwaitingSenderCopy = m.AwaitingSenderCopy };
                if (m.ConversationNumber is { } number) p.ConversationNumber = number;
                return p;
            },
            p => new(FromProto(Required(p.Message, "MessageStored.Message")), p.Seq, p.AwaitingSenderCopy,
                p.HasConversationNumber ? p.ConversationNumber : null))
        .Add<UserEvents.MessageRetracted, P.UserMessageRetracted>("u-retracted",
            m => new() { Message = ToProto(m.Message), Seq = m.Seq },
            p => new(FromProto(Required(p.Message, "MessageRetracted.Message")), p.Seq))
        .Add<UserEvents.SenderCopiesConfirmed, P.UserSenderCopiesConfirmed>("u-confirmed",
            m =>
            {
                var p = new P.UserSenderCopiesConfirmed();
                AddAll(p.MessageIds, m.MessageIds, ToBytes);
                return p;
            },
            p => new(MapAll(p.MessageIds, b => ToGuid(b, "SenderCopiesConfirmed.MessageIds"))))
        .Add<UserEvents.ReadMarkerMoved, P.UserReadMarkerMoved>("u-read-moved",
            m => new() { ConversationId = m.ConversationId, UpTo = m.UpTo },
            p => new(p.ConversationId, p.UpTo));
}
