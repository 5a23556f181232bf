using Messenger.Messages.Users;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>Events a user's inbox persists (<see cref="UserEvents"/>).</summary>
public sealed partial class MessengerSerializer
{
    private static P.UserInboxOpened ToProto(UserEvents.InboxOpened m) =>
        new() { UserId = m.UserId, AtTicks = ToTicks(m.At) };

    private static UserEvents.InboxOpened FromProto(P.UserInboxOpened p) => new(p.UserId, ToDateTime(p.AtTicks));

    private static P.UserMessageStored ToProto(UserEvents.MessageStored m)
    {
        var p = new P.UserMessageStored { Message = ToProto(m.Message), Seq = m.Seq, AwaitingSenderCopy = m.AwaitingSenderCopy };
        if (m.ConversationNumber is { } number) p.ConversationNumber = number;
        return p;
    }

    private static UserEvents.MessageStored FromProto(P.UserMessageStored p) =>
        new(FromProto(Required(p.Message, "MessageStored.Message")), p.Seq, p.AwaitingSenderCopy,
            p.HasConversationNumber ? p.ConversationNumber : null);

    private static P.UserMessageRetracted ToProto(UserEvents.MessageRetracted m) =>
        new() { Message = ToProto(m.Message), Seq = m.Seq };

    private static UserEvents.MessageRetracted FromProto(P.UserMessageRetracted p) =>
        new(FromProto(Required(p.Message, "MessageRetracted.Message")), p.Seq);

    private static P.UserSenderCopiesConfirmed ToProto(UserEvents.SenderCopiesConfirmed m)
    {
        var p = new P.UserSenderCopiesConfirmed();
        p.MessageIds.AddRange(m.MessageIds.Select(ToBytes));
        return p;
    }

    private static UserEvents.SenderCopiesConfirmed FromProto(P.UserSenderCopiesConfirmed p) =>
        new(p.MessageIds.Select(b => ToGuid(b, "SenderCopiesConfirmed.MessageIds")).ToArray());

    private static P.UserReadMarkerMoved ToProto(UserEvents.ReadMarkerMoved m) =>
        new() { ConversationId = m.ConversationId, UpTo = m.UpTo };

    private static UserEvents.ReadMarkerMoved FromProto(P.UserReadMarkerMoved p) => new(p.ConversationId, p.UpTo);
}
