using Messenger.Messages.Chat;
using static Messenger.Messages.Users.UserQueries;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>Reads: answered from the state when the window can, else a storage read for the actor to run.</summary>
public static class InboxReads
{
    public static InboxEffect Conversations(InboxState state, GetConversations query, object to) =>
        new InboxEffect.Reply(to, new ConversationsPage(state.ConversationsByActivity(query.Offset, query.Limit)
            .Select(c => c.Group is null
                ? new ConversationSummary(c.ConversationId, c.Peer, c.LastMessage!, c.UnreadCount,
                    state.Receipts.Of(c.Peer)?.PeerDelivered ?? "", state.Receipts.Of(c.Peer)?.PeerRead ?? "")
                : GroupSummaries.Of(state, c))
            .ToList()));

    public static InboxEffect History(InboxState state, GetHistory query, object to)
    {
        var peer = ConversationKey.Of(query.ConversationId, state.UserId);
        if (peer is null) return new InboxEffect.Reply(to, new Rejected(ErrorCodes.NotFound, "no such conversation"));
        // A group this inbox never held a message of is one the caller was never in.
        if (ConversationId.IsGroup(peer) && state.ConversationWith(peer) is null)
            return new InboxEffect.Reply(to, new Rejected(ErrorCodes.NotFound, "no such conversation"));
        // A conversation with no message yet is an empty one, not an error: a client may open it before the first send.
        if (state.ConversationWith(peer) is not { } conversation) return new InboxEffect.Reply(to, new HistoryPage([], null));
        if (state.TryHistoryFromWindow(conversation, query.Before, query.Limit) is { } page) return new InboxEffect.Reply(to, page);
        return new InboxEffect.ReadHistory(to, conversation.ConversationId, conversation.Index, query.Before, query.Limit);
    }

    public static InboxEffect InboxAfter(InboxState state, GetInboxAfter query, object to) =>
        state.TryInboxFromWindow(query.After, query.Limit) is { } page
            ? new InboxEffect.Reply(to, page)
            : new InboxEffect.ReadInbox(to, state.JournalPositionAtOrBefore(query.After + 1), query.After, query.Limit);
}
