using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.Formats.ChatFormats;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Groups, the member inbox's side: the group's copy command and the group parts of a conversation summary.</summary>
internal static class GroupInboxFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<UserCommands.StoreGroupCopy, P.UserStoreGroupCopy>("u-store-group",
            m => new() { UserId = m.UserId, Message = ToProto(m.Message) },
            p => new(p.UserId, FromProto(Required(p.Message, "StoreGroupCopy.Message"))))
        .Add<UserReplies.GroupSummary, P.UserGroupSummary>("u-group-summary", GroupToProto, GroupFromProto)
        .Add<UserReplies.MemberReceipt, P.UserMemberReceipt>("u-member-receipt", ReceiptToProto, ReceiptFromProto)
        .Add<ReceiptEvents.MemberReceiptsCopied, P.UserMemberReceiptsCopied>("r-members-copied",
            m =>
            {
                var p = new P.UserMemberReceiptsCopied();
                AddAll(p.Copies, m.Copies, ReceiptFormats.CopiedToProto);
                return p;
            },
            p => new(MapAll(p.Copies, ReceiptFormats.CopiedFromProto)));

    public static P.UserGroupSummary GroupToProto(UserReplies.GroupSummary m) =>
        new() { Name = m.Name, MemberCount = m.MemberCount, IsMember = m.IsMember };

    public static UserReplies.GroupSummary GroupFromProto(P.UserGroupSummary p) => new(p.Name, p.MemberCount, p.IsMember);

    public static P.UserMemberReceipt ReceiptToProto(UserReplies.MemberReceipt m)
    {
        var p = new P.UserMemberReceipt { UserId = m.UserId };
        if (m.Delivered is { } delivered) p.Delivered = delivered;
        if (m.Read is { } read) p.Read = read;
        return p;
    }

    public static UserReplies.MemberReceipt ReceiptFromProto(P.UserMemberReceipt p) =>
        new(p.UserId, p.HasDelivered ? p.Delivered : null, p.HasRead ? p.Read : null);

    public static P.UserMemberMarkers MarkersToProto(MemberMarkersState m) =>
        new() { UserId = m.UserId, Delivered = m.Delivered, Read = m.Read };

    public static MemberMarkersState MarkersFromProto(P.UserMemberMarkers p) => new(p.UserId, p.Delivered, p.Read);
}
