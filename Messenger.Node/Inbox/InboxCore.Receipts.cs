using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.ReceiptCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// Receipts: a received moves this user's delivered markers; a moved marker (received or read, never a send) is
/// persisted, pushed to this user's devices and copied to the peer's inbox, which persists its copy and pushes the same
/// frame to the peer's devices. The copy carries the full markers and merges forward; it goes again on the tick until
/// the peer acknowledges it (a few attempts); and every send hands the recipient's markers back to the sender, so a
/// lost copy converges on a retry, the next move or the next message.
/// </summary>
public sealed partial class InboxCore
{
    private void Received(MarkReceived received, object? replyTo, List<InboxEffect> fx)
    {
        if (received.UpTo < 0)
        {
            fx.Add(new InboxEffect.Reply(replyTo!, new Rejected(ErrorCodes.InvalidRequest, "upTo must be an integer ≥ 0")));
            return;
        }
        // Past the newest seq is clamped: the device cannot hold what the inbox does not have.
        var upTo = Math.Min(received.UpTo, State.Seq);
        var moves = State.Receipts.DeliveredMoves(upTo);
        if (moves.Count == 0)
        {
            if (replyTo is not null) fx.Add(new InboxEffect.Reply(replyTo, new ReceiptReplies.ReceivedMarked(_me, upTo)));
            return;
        }
        Write(new ReceiptEvents.DeliveredMarkersMoved(moves), replyTo, fx);
    }

    /// <summary>
    /// The peer's markers, from the peer itself (<paramref name="source"/> waits for the acknowledgement) or answering
    /// a send: persisted only when the copy moves.
    /// </summary>
    private void CopyPeer(string peer, string conversationId, string delivered, string read, object? source, List<InboxEffect> fx)
    {
        if (ConversationId.IsGroup(conversationId))
        {
            CopyMember(peer, conversationId, delivered, read, source, fx);
            return;
        }
        if (!State.Opened || ConversationId.PeerOf(conversationId, _me) != peer) return;
        if (!Marker(delivered) || !Marker(read)) return;
        var current = State.Receipts.Of(peer);
        if (current is null ? delivered.Length == 0 && read.Length == 0 : !current.WouldMovePeer(delivered, read))
        {
            if (source is not null) fx.Add(new InboxEffect.Reply(source, CopyStored(peer, conversationId)));
            return;
        }
        Write(new ReceiptEvents.PeerReceiptCopied(conversationId, delivered, read), source, fx);
    }

    private CopyPeerReceiptStored CopyStored(string peer, string conversationId)
    {
        var copy = State.Receipts.Of(peer);
        return new CopyPeerReceiptStored(peer, conversationId, copy?.PeerDelivered ?? "", copy?.PeerRead ?? "");
    }

    private static bool Marker(string order) => order.Length == 0 || ConversationOrder.IsValid(order);

    /// <summary>The recipient's answer to a send, with its markers in the conversation.</summary>
    private RecipientCopyStored RecipientCopy(ChatMessage message)
    {
        var receipts = State.Receipts.Of(message.From);
        var read = State.ConversationWith(message.From)?.ReadMarker ?? string.Empty;
        return new RecipientCopyStored(message, receipts?.Delivered ?? string.Empty, read);
    }

    /// <summary>A receipt event is durable: answer, push and copy to the peer.</summary>
    private void ReceiptPersisted(object evt, DateTime now, List<InboxEffect> fx)
    {
        switch (evt)
        {
            case ReceiptEvents.MemberReceiptsCopied batch:
                MemberCopiesPersisted(batch, fx);
                break;
            case ReceiptEvents.DeliveredMarkersMoved moved:
                if (_otherWrites.Remove(evt, out var waiter) && waiter is not null)
                    fx.Add(new InboxEffect.Reply(waiter, new ReceiptReplies.ReceivedMarked(_me, State.Seq)));
                foreach (var move in moved.Moves) OwnMarkersMoved(move.ConversationId, now, fx);
                break;
            case ReceiptEvents.PeerReceiptCopied copied:
                _otherWrites.Remove(evt, out var source);
                if (ConversationId.PeerOf(copied.ConversationId, _me) is not { } peer || State.Receipts.Of(peer) is not { } receipts) break;
                fx.Add(new InboxEffect.PushToDevices(
                    new DeviceReceipt(copied.ConversationId, peer, receipts.PeerDelivered, receipts.PeerRead)));
                if (source is not null) fx.Add(new InboxEffect.Reply(source, CopyStored(peer, copied.ConversationId)));
                break;
        }
    }

    /// <summary>This user's markers in the conversation moved: tell its devices and the peer's inbox (full state).</summary>
    private void OwnMarkersMoved(string conversationId, DateTime now, List<InboxEffect> fx)
    {
        if (ConversationId.IsGroup(conversationId))
        {
            OwnGroupMarkersMoved(conversationId, now, fx);
            return;
        }
        if (ConversationId.PeerOf(conversationId, _me) is not { } peer) return;
        var delivered = State.Receipts.Of(peer)?.Delivered ?? string.Empty;
        var read = State.ConversationWith(peer)?.ReadMarker ?? string.Empty;
        fx.Add(new InboxEffect.PushToDevices(new DeviceReceipt(conversationId, _me, delivered, read)));
        var copy = new CopyPeerReceipt(peer, conversationId, _me, delivered, read);
        _copies.Sent(copy, now);
        fx.Add(new InboxEffect.ToInbox(copy));
    }
}
