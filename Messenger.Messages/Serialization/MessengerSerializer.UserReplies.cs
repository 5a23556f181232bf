using Messenger.Messages.Users;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>Answers of a user's inbox (<see cref="UserReplies"/>).</summary>
public sealed partial class MessengerSerializer
{
    private static P.UserInboxReady ToProto(UserReplies.InboxReady m) => new() { UserId = m.UserId };

    private static UserReplies.InboxReady FromProto(P.UserInboxReady p) => new(p.UserId);

    private static P.UserDeviceAttached ToProto(UserReplies.DeviceAttached m) => new() { UserId = m.UserId, Seq = m.Seq };

    private static UserReplies.DeviceAttached FromProto(P.UserDeviceAttached p) => new(p.UserId, p.Seq);

    private static P.UserMessageSent ToProto(UserReplies.MessageSent m) => new() { Message = ToProto(m.Message) };

    private static UserReplies.MessageSent FromProto(P.UserMessageSent p) =>
        new(FromProto(Required(p.Message, "MessageSent.Message")));

    private static P.UserRejected ToProto(UserReplies.Rejected m)
    {
        var p = new P.UserRejected { Code = m.Code, Reason = m.Reason };
        if (m.ClientMessageId is { } id) p.ClientMessageId = ToBytes(id);
        return p;
    }

    private static UserReplies.Rejected FromProto(P.UserRejected p) => new(
        p.Code,
        p.Reason,
        p.HasClientMessageId ? ToGuid(p.ClientMessageId, "Rejected.ClientMessageId") : null);

    private static P.UserIncomingStored ToProto(UserReplies.RecipientCopyStored m) => new() { Message = ToProto(m.Message) };

    private static UserReplies.RecipientCopyStored FromProto(P.UserIncomingStored p) =>
        new(FromProto(Required(p.Message, "RecipientCopyStored.Message")));

    private static P.UserReadMarked ToProto(UserReplies.ReadMarked m) =>
        new() { ConversationId = m.ConversationId, UpTo = m.UpTo };

    private static UserReplies.ReadMarked FromProto(P.UserReadMarked p) => new(p.ConversationId, p.UpTo);

    private static P.UserConversationSummary ToProto(UserReplies.ConversationSummary m) => new()
    {
        ConversationId = m.ConversationId,
        Peer = m.Peer,
        LastMessage = ToProto(m.LastMessage),
        UnreadCount = m.UnreadCount,
    };

    private static UserReplies.ConversationSummary FromProto(P.UserConversationSummary p) => new(
        p.ConversationId,
        p.Peer,
        FromProto(Required(p.LastMessage, "ConversationSummary.LastMessage")),
        p.UnreadCount);

    private static P.UserConversationsPage ToProto(UserReplies.ConversationsPage m)
    {
        var p = new P.UserConversationsPage();
        p.Conversations.AddRange(m.Conversations.Select(ToProto));
        return p;
    }

    private static UserReplies.ConversationsPage FromProto(P.UserConversationsPage p) =>
        new(p.Conversations.Select(FromProto).ToArray());

    private static P.UserHistoryPage ToProto(UserReplies.HistoryPage m)
    {
        var p = new P.UserHistoryPage();
        p.Messages.AddRange(m.Messages.Select(ToProto));
        if (m.NextBefore is not null) p.NextBefore = m.NextBefore;
        return p;
    }

    private static UserReplies.HistoryPage FromProto(P.UserHistoryPage p) =>
        new(p.Messages.Select(FromProto).ToArray(), p.HasNextBefore ? p.NextBefore : null);

    private static P.UserInboxPage ToProto(UserReplies.InboxPage m)
    {
        var p = new P.UserInboxPage { NextAfter = m.NextAfter };
        p.Messages.AddRange(m.Messages.Select(ToProto));
        return p;
    }

    private static UserReplies.InboxPage FromProto(P.UserInboxPage p) =>
        new(p.Messages.Select(FromProto).ToArray(), p.NextAfter);
}
