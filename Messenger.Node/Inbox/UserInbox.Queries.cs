using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserQueries;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>Reads and the read marker: recent answers from state, older pages from storage (piped, never blocking).</summary>
public sealed partial class UserInbox
{
    private void Conversations(GetConversations query)
    {
        var page = _state.ConversationsByActivity(query.Offset, query.Limit)
            .Select(c => new ConversationSummary(c.ConversationId, c.Peer, c.LastMessage!, c.UnreadCount))
            .ToList();
        Sender.Tell(new ConversationsPage(page));
    }

    private void History(GetHistory query)
    {
        var peer = ConversationId.PeerOf(query.ConversationId, _userId);
        if (peer is null)
        {
            Sender.Tell(new Rejected(ErrorCodes.NotFound, "no such conversation"));
            return;
        }
        var conversation = _state.ConversationWith(peer);
        if (conversation is null)
        {
            // A conversation with no message yet is an empty one, not an error: a client may open it before the first send.
            Sender.Tell(new HistoryPage([], null));
            return;
        }
        if (_state.TryHistoryFromWindow(conversation, query.Before, query.Limit) is { } page)
        {
            Sender.Tell(page);
            return;
        }
        // One extra row tells whether anything older exists.
        _archive.HistoryBeforeAsync(PersistenceId, conversation.ConversationId, conversation.Index, query.Before, query.Limit + 1)
            .ContinueWith(t =>
            {
                if (!t.IsCompletedSuccessfully)
                    return (object)new Rejected(ErrorCodes.Unavailable, "history storage did not answer");
                var rows = t.Result;
                var more = rows.Count > query.Limit;
                var messages = more ? rows.Skip(1).ToList() : rows;
                return new HistoryPage(messages, more ? messages[0].Message.Order : null);
            })
            .PipeTo(Sender);
    }

    private void InboxAfter(GetInboxAfter query)
    {
        if (_state.TryInboxFromWindow(query.After, query.Limit) is { } page)
        {
            Sender.Tell(page);
            return;
        }
        var from = _state.JournalPositionAtOrBefore(query.After + 1);
        _archive.InboxAfterAsync(PersistenceId, from, query.After, query.Limit)
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? (object)new InboxPage(t.Result, t.Result.Count > 0 ? t.Result[^1].Seq : query.After)
                : new Rejected(ErrorCodes.Unavailable, "inbox storage did not answer"))
            .PipeTo(Sender);
    }

    private void Read(MarkRead read)
    {
        var peer = ConversationId.PeerOf(read.ConversationId, _userId);
        var conversation = peer is null ? null : _state.ConversationWith(peer);
        if (conversation?.LastMessage is null)
        {
            Sender.Tell(new Rejected(ErrorCodes.NotFound, "no such conversation"));
            return;
        }
        if (!ConversationOrder.IsValid(read.UpTo))
        {
            Sender.Tell(new Rejected(ErrorCodes.InvalidRequest, "upTo must be an order"));
            return;
        }
        // Never past the newest message: a marker ahead of it would silently mark future messages read.
        var upTo = string.CompareOrdinal(read.UpTo, conversation.LastMessage.Message.Order) > 0
            ? conversation.LastMessage.Message.Order
            : read.UpTo;
        if (string.CompareOrdinal(upTo, conversation.ReadMarker) <= 0)
        {
            Sender.Tell(new ReadMarked(read.ConversationId, conversation.ReadMarker));
            return;
        }
        var replyTo = Sender;
        PersistAsync(new UserEvents.ReadMarkerMoved(read.ConversationId, upTo), e =>
        {
            Applied(e);
            replyTo.Tell(new ReadMarked(read.ConversationId, upTo));
        });
    }
}
