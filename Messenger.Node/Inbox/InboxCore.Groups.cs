using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.ReceiptCommands;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// Groups, seen from one member's inbox. The group's entity stamps every message and membership event and fans out
/// <see cref="StoreGroupCopy"/> to the members (the sender's copy last); this inbox stores each copy once per key,
/// acknowledges it to the group once durable, and answers its own pending group sends with its own copy. A send
/// to a group waits here like a 1:1 send, with the group (<see cref="GroupCommands.PostMessage"/>) as the
/// "recipient" asked again until the deadline.
/// </summary>
public sealed partial class InboxCore
{
    private readonly MemberReceiptBatch _memberCopies = new();

    private void StoreGroupCopy(ChatMessage message, object? replyTo, List<InboxEffect> fx)
    {
        if (!State.Opened)
        {
            // No account behind this inbox: the group drops this member's copy (the edge lets only users in).
            if (replyTo is not null)
                fx.Add(new InboxEffect.Reply(replyTo, new Rejected(ErrorCodes.NotFound, "no such user", message.ClientMessageId)));
            return;
        }
        if (!message.IsGroup || message.To != message.ConversationId)
        {
            // Not a group's message: refused, so whoever sent it does not ask again.
            if (replyTo is not null)
                fx.Add(new InboxEffect.Reply(replyTo, new Rejected(ErrorCodes.InvalidRequest, "not a group message", message.ClientMessageId)));
            return;
        }
        var key = new MessageKey(message.From, message.ClientMessageId);
        if (Known(key) is { } known)
        {
            // Already held: acknowledge again (the group asks until it hears), and end a send waiting on it.
            if (replyTo is not null) fx.Add(new InboxEffect.Reply(replyTo, CopyAck(message)));
            if (message.From == _me) SettlePending(known.Message, fx);
            return;
        }
        if (_writing.TryGetValue(key, out var write))
        {
            write.Waiters.Add(new Waiter(replyTo, Answer.GroupCopy));
            return;
        }
        if (State.ConversationWith(message.ConversationId) is not null
            && ParkedForStorage(key, new StoreGroupCopy(_me, message), replyTo, message.ConversationId, fx)) return;
        WriteMessage(message, awaitingSenderCopy: false, [new Waiter(replyTo, Answer.GroupCopy)], fx);
    }

    private GroupCommands.GroupCopyStored CopyAck(ChatMessage message) => new(message.ConversationId, _me, message.MessageId);

    /// <summary>A group copy is durable: acknowledge it to the group; the sender's own copy also ends its pending send.</summary>
    private void GroupCopyApplied(ChatMessage message, MessageWrite? write, List<InboxEffect> fx)
    {
        foreach (var w in write?.Waiters ?? [])
        {
            if (w.To is null) continue;
            fx.Add(new InboxEffect.Reply(w.To, w.Kind == Answer.GroupCopy ? CopyAck(message) : new MessageSent(message)));
        }
        if (message.From == _me) SettlePending(message, fx);
    }

    /// <summary>A new send to a group: held (waiters, deadline) like a 1:1 send until this inbox's own copy arrives.
    /// The message is a draft: the group stamps the id and order (past <see cref="InboxState.Clock"/>, causal order).</summary>
    private void PostToGroup(SendMessage send, object replyTo, DateTime now, List<InboxEffect> fx)
    {
        var draft = new ChatMessage(Guid.Empty, send.ClientMessageId, send.To, _me, send.To, send.Body, now, "")
        {
            Attachments = send.Attachments,
        };
        _sends.Start(draft, replyTo, now);
        fx.Add(new InboxEffect.ToGroup(Post(draft)));
    }

    private GroupCommands.PostMessage Post(ChatMessage draft) =>
        new(draft.To, _me, draft.ClientMessageId, draft.Body, draft.SentAt, State.Clock) { Attachments = draft.Attachments };

    /// <summary>A group member's markers, from that member's inbox: persisted only when the copy moves.</summary>
    private void CopyMember(string member, string conversationId, string delivered, string read, object? source, List<InboxEffect> fx)
    {
        if (!State.Opened || member == _me || !Messenger.Messages.Chat.UserId.IsValid(member)) return;
        if (!Marker(delivered) || !Marker(read)) return;
        var current = State.Receipts.Of(conversationId);
        if (current is null ? delivered.Length == 0 && read.Length == 0 : !current.WouldMoveMember(member, delivered, read))
        {
            if (source is not null) fx.Add(new InboxEffect.Reply(source, MemberCopyStored(member, conversationId)));
            return;
        }
        _memberCopies.Add(conversationId, member, delivered, read, source);
        WriteMemberCopies(fx);
    }

    private void WriteMemberCopies(List<InboxEffect> fx)
    {
        if (_memberCopies.Take() is { } batch) fx.Add(new InboxEffect.Persist(batch));
    }

    private CopyPeerReceiptStored MemberCopyStored(string member, string conversationId)
    {
        var (delivered, read) = State.Receipts.Of(conversationId)?.MemberMarkers(member) ?? ("", "");
        return new CopyPeerReceiptStored(member, conversationId, delivered, read) { By = _me };
    }

    /// <summary>A batch of member copies is durable: push each member's markers, acknowledge every copy it holds.</summary>
    private void MemberCopiesPersisted(ReceiptEvents.MemberReceiptsCopied batch, List<InboxEffect> fx)
    {
        foreach (var copied in batch.Copies)
        {
            var member = copied.Of!;
            var (delivered, read) = State.Receipts.Of(copied.ConversationId)?.MemberMarkers(member) ?? ("", "");
            fx.Add(new InboxEffect.PushToDevices(new DeviceReceipt(copied.ConversationId, member, delivered, read)));
        }
        foreach (var (conversationId, member, source) in _memberCopies.Done())
            fx.Add(new InboxEffect.Reply(source, MemberCopyStored(member, conversationId)));
        WriteMemberCopies(fx);
    }

    /// <summary>Refused: nobody is answered (each member sends its copy again on its tick); what waits goes next.</summary>
    private void MemberCopiesRefused(List<InboxEffect> fx)
    {
        _memberCopies.Done();
        WriteMemberCopies(fx);
    }

    /// <summary>This user's markers in a group moved: tell its devices, and every other member's inbox while a member.</summary>
    private void OwnGroupMarkersMoved(string conversationId, DateTime now, List<InboxEffect> fx)
    {
        var delivered = State.Receipts.Of(conversationId)?.Delivered ?? string.Empty;
        var conversation = State.ConversationWith(conversationId);
        var read = conversation?.ReadMarker ?? string.Empty;
        fx.Add(new InboxEffect.PushToDevices(new DeviceReceipt(conversationId, _me, delivered, read)));
        if (conversation?.Group is not { } group || !group.IsMember(_me)) return;
        foreach (var member in group.Others(_me))
        {
            var copy = new CopyPeerReceipt(member, conversationId, _me, delivered, read);
            _copies.Sent(copy, now);
            fx.Add(new InboxEffect.ToInbox(copy));
        }
    }
}
