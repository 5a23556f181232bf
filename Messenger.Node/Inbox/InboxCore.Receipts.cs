using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.ReceiptCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// Receipts: a received moves this user's delivered markers; a moved marker (received or read, never a send) is
/// persisted, pushed to this user's devices and copied to the peer's inbox, which persists its copy and pushes the same
/// frame to the peer's devices. The copy carries the full markers and merges forward, and every send hands the
/// recipient's markers back to the sender, so a lost copy converges on the next move or the next message.
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

    /// <summary>The peer's markers, from the peer itself or answering a send: persisted only when the copy moves.</summary>
    private void CopyPeer(string peer, string conversationId, string delivered, string read, List<InboxEffect> fx)
    {
        if (!State.Opened || ConversationId.PeerOf(conversationId, _me) != peer) return;
        if (!Marker(delivered) || !Marker(read)) return;
        var current = State.Receipts.Of(peer);
        if (current is not null && !current.WouldMovePeer(delivered, read)) return;
        if (current is null && delivered.Length == 0 && read.Length == 0) return;
        Write(new ReceiptEvents.PeerReceiptCopied(conversationId, delivered, read), null, fx);
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
    private void ReceiptPersisted(object evt, List<InboxEffect> fx)
    {
        switch (evt)
        {
            case ReceiptEvents.DeliveredMarkersMoved moved:
                if (_otherWrites.Remove(evt, out var waiter) && waiter is not null)
                    fx.Add(new InboxEffect.Reply(waiter, new ReceiptReplies.ReceivedMarked(_me, State.Seq)));
                foreach (var move in moved.Moves) OwnMarkersMoved(move.ConversationId, fx);
                break;
            case ReceiptEvents.PeerReceiptCopied copied:
                _otherWrites.Remove(evt);
                if (ConversationId.PeerOf(copied.ConversationId, _me) is { } peer && State.Receipts.Of(peer) is { } receipts)
                    fx.Add(new InboxEffect.PushToDevices(
                        new DeviceReceipt(copied.ConversationId, peer, receipts.PeerDelivered, receipts.PeerRead)));
                break;
        }
    }

    /// <summary>This user's markers in the conversation moved: tell its devices and the peer's inbox (full state).</summary>
    private void OwnMarkersMoved(string conversationId, List<InboxEffect> fx)
    {
        if (ConversationId.PeerOf(conversationId, _me) is not { } peer) return;
        var delivered = State.Receipts.Of(peer)?.Delivered ?? string.Empty;
        var read = State.ConversationWith(peer)?.ReadMarker ?? string.Empty;
        fx.Add(new InboxEffect.PushToDevices(new DeviceReceipt(conversationId, _me, delivered, read)));
        fx.Add(new InboxEffect.ToInbox(new CopyPeerReceipt(peer, conversationId, _me, delivered, read)));
    }
}
