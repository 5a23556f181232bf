using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// A group conversation in the conversation list: the group as this copy last saw it (name, member count, whether
/// this user is still a member) and the markers of every other member (null: none yet). The Peer* fields stay
/// null: they are 1:1 only.
/// </summary>
public static class GroupSummaries
{
    public static ConversationSummary Of(InboxState state, Conversation conversation)
    {
        var group = conversation.Group!;
        var me = state.UserId;
        var receipts = state.Receipts.Of(conversation.Peer);
        var members = group.Others(me).Select(member =>
        {
            var (delivered, read) = receipts?.MemberMarkers(member) ?? ("", "");
            return new MemberReceipt(member, delivered.Length > 0 ? delivered : null, read.Length > 0 ? read : null);
        }).ToList();
        return new ConversationSummary(conversation.ConversationId, conversation.Peer, conversation.LastMessage!, conversation.UnreadCount)
        {
            Group = new GroupSummary(group.Roster?.Name ?? "", group.Roster?.Members.Count ?? 0, group.IsMember(me)),
            MemberReceipts = members,
        };
    }
}
