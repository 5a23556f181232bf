using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Receipts: the received command, the peer copy, their events (kept forever) and the device push.</summary>
internal static class ReceiptFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<ReceiptCommands.MarkReceived, P.UserMarkReceived>("r-received",
            m => new() { UserId = m.UserId, UpTo = m.UpTo },
            p => new(p.UserId, p.UpTo))
        .Add<ReceiptCommands.CopyPeerReceipt, P.UserCopyPeerReceipt>("r-copy-peer",
            m => new() { UserId = m.UserId, ConversationId = m.ConversationId, Of = m.Of, Delivered = m.Delivered, Read = m.Read },
            p => new(p.UserId, p.ConversationId, p.Of, p.Delivered, p.Read))
        .Add<ReceiptCommands.CopyPeerReceiptStored, P.UserCopyPeerReceiptStored>("r-copy-peer-stored",
            m =>
            {
                var p = new P.UserCopyPeerReceiptStored
                    { UserId = m.UserId, ConversationId = m.ConversationId, Delivered = m.Delivered, Read = m.Read };
                if (m.By is { } by) p.By = by;
                return p;
            },
            p => new(p.UserId, p.ConversationId, p.Delivered, p.Read) { By = p.HasBy ? p.By : null })
        .Add<ReceiptReplies.ReceivedMarked, P.UserReceivedMarked>("r-received-marked",
            m => new() { UserId = m.UserId, UpTo = m.UpTo },
            p => new(p.UserId, p.UpTo))
        .Add<ReceiptEvents.DeliveredMarkersMoved, P.UserDeliveredMarkersMoved>("r-delivered-moved",
            m =>
            {
                var p = new P.UserDeliveredMarkersMoved();
                AddAll(p.Moves, m.Moves, v => new P.UserDeliveredMove { ConversationId = v.ConversationId, UpTo = v.UpTo });
                return p;
            },
            p => new(MapAll(p.Moves, v => new ReceiptEvents.DeliveredMove(v.ConversationId, v.UpTo))))
        .Add<ReceiptEvents.PeerReceiptCopied, P.UserPeerReceiptCopied>("r-peer-copied", CopiedToProto, CopiedFromProto)
        .Add<DeviceReceipt, P.DeviceReceipt>("d-receipt",
            m => new() { ConversationId = m.ConversationId, UserId = m.UserId, Delivered = m.Delivered, Read = m.Read },
            p => new(p.ConversationId, p.UserId, p.Delivered, p.Read));

    public static P.UserPeerReceiptCopied CopiedToProto(ReceiptEvents.PeerReceiptCopied m)
    {
        var p = new P.UserPeerReceiptCopied { ConversationId = m.ConversationId, Delivered = m.Delivered, Read = m.Read };
        if (m.Of is { } of) p.Of = of;
        return p;
    }

    public static ReceiptEvents.PeerReceiptCopied CopiedFromProto(P.UserPeerReceiptCopied p) =>
        new(p.ConversationId, p.Delivered, p.Read) { Of = p.HasOf ? p.Of : null };

    public static P.UserConversationReceipts ConversationReceiptsToProto(ConversationReceiptsState m)
    {
        var p = new P.UserConversationReceipts
        {
            Peer = m.Peer,
            ConversationId = m.ConversationId,
            Delivered = m.Delivered,
            PeerDelivered = m.PeerDelivered,
            PeerRead = m.PeerRead,
            OverflowSeq = m.OverflowSeq,
            OverflowOrder = m.OverflowOrder,
        };
        p.UndeliveredSeqs.AddRange(m.UndeliveredSeqs);
        p.UndeliveredOrders.AddRange(m.UndeliveredOrders);
        AddAll(p.Members, m.Members, GroupInboxFormats.MarkersToProto);
        return p;
    }

    public static ConversationReceiptsState ConversationReceiptsFromProto(P.UserConversationReceipts p)
    {
        if (p.UndeliveredSeqs.Count != p.UndeliveredOrders.Count)
            throw new System.Runtime.Serialization.SerializationException("ConversationReceipts: undelivered seqs and orders differ in count");
        return new(p.Peer, p.ConversationId, p.Delivered, p.PeerDelivered, p.PeerRead,
            p.UndeliveredSeqs.ToArray(), p.UndeliveredOrders.ToArray(), p.OverflowSeq, p.OverflowOrder)
            { Members = MapAll(p.Members, GroupInboxFormats.MarkersFromProto) };
    }
}
