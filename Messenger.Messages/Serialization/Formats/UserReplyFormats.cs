using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.Formats.ChatFormats;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Answers of a user's inbox (<see cref="UserReplies"/>).</summary>
internal static class UserReplyFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<UserReplies.InboxReady, P.UserInboxReady>("u-ready",
            m => new() { UserId = m.UserId },
            p => new(p.UserId))
        .Add<UserReplies.DeviceAttached, P.UserDeviceAttached>("u-attached",
            m => new() { UserId = m.UserId, Seq = m.Seq },
            p => new(p.UserId, p.Seq))
        .Add<UserReplies.MessageSent, P.UserMessageSent>("u-sent",
            m => new() { Message = ToProto(m.Message) },
            p => new(FromProto(Required(p.Message, "MessageSent.Message"))))
        .Add<UserReplies.Rejected, P.UserRejected>("u-rejected",
            m =>
            {
                var p = new P.UserRejected { Code = m.Code, Reason = m.Reason };
                if (m.ClientMessageId is { } id) p.ClientMessageId = ToBytes(id);
                return p;
            },
            p => new(p.Code, p.Reason,
                p.HasClientMessageId ? ToGuid(p.ClientMessageId, "Rejected.ClientMessageId") : null))
        .Add<UserReplies.RecipientCopyStored, P.UserIncomingStored>("u-in-stored",
            m =>
            {
                var p = new P.UserIncomingStored { Message = ToProto(m.Message) };
                if (m.RecipientDelivered is { } delivered) p.RecipientDelivered = delivered;
                if (m.RecipientRead is { } read) p.RecipientRead = read;
                return p;
            },
            p => new(FromProto(Required(p.Message, "RecipientCopyStored.Message")),
                p.HasRecipientDelivered ? p.RecipientDelivered : null, p.HasRecipientRead ? p.RecipientRead : null))
        .Add<UserReplies.ReadMarked, P.UserReadMarked>("u-read-marked",
            m => new() { ConversationId = m.ConversationId, UpTo = m.UpTo },
            p => new(p.ConversationId, p.UpTo))
        .Add<UserReplies.ConversationSummary, P.UserConversationSummary>("u-conv", SummaryToProto, SummaryFromProto)
        .Add<UserReplies.ConversationsPage, P.UserConversationsPage>("u-convs-page",
            m =>
            {
                var p = new P.UserConversationsPage();
                AddAll(p.Conversations, m.Conversations, SummaryToProto);
                return p;
            },
            p => new(MapAll(p.Conversations, SummaryFromProto)))
        .Add<UserReplies.HistoryPage, P.UserHistoryPage>("u-history-page",
            m =>
            {
                var p = new P.UserHistoryPage();
                AddAll(p.Messages, m.Messages, ToProto);
                if (m.NextBefore is not null) p.NextBefore = m.NextBefore;
                return p;
            },
            p => new(MapAll(p.Messages, FromProto), p.HasNextBefore ? p.NextBefore : null))
        .Add<UserReplies.InboxPage, P.UserInboxPage>("u-inbox-page",
            m =>
            {
                var p = new P.UserInboxPage { NextAfter = m.NextAfter };
                AddAll(p.Messages, m.Messages, ToProto);
                return p;
            },
            p => new(MapAll(p.Messages, FromProto), p.NextAfter));

    private static P.UserConversationSummary SummaryToProto(UserReplies.ConversationSummary m)
    {
        var p = new P.UserConversationSummary
        {
            ConversationId = m.ConversationId,
            Peer = m.Peer,
            LastMessage = ToProto(m.LastMessage),
            UnreadCount = m.UnreadCount,
        };
        if (m.PeerDelivered is { } delivered) p.PeerDelivered = delivered;
        if (m.PeerRead is { } read) p.PeerRead = read;
        if (m.Group is { } group) p.Group = GroupInboxFormats.GroupToProto(group);
        if (m.MemberReceipts is { } receipts) AddAll(p.MemberReceipts, receipts, GroupInboxFormats.ReceiptToProto);
        return p;
    }

    private static UserReplies.ConversationSummary SummaryFromProto(P.UserConversationSummary p) => new(
        p.ConversationId,
        p.Peer,
        FromProto(Required(p.LastMessage, "ConversationSummary.LastMessage")),
        p.UnreadCount,
        p.HasPeerDelivered ? p.PeerDelivered : null,
        p.HasPeerRead ? p.PeerRead : null)
    {
        Group = p.Group is { } group ? GroupInboxFormats.GroupFromProto(group) : null,
        // A group's list may be empty (everyone else left); a 1:1 summary has none.
        MemberReceipts = p.Group is not null || p.MemberReceipts.Count > 0 ? MapAll(p.MemberReceipts, GroupInboxFormats.ReceiptFromProto) : null,
    };
}
