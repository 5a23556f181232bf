using Google.Protobuf;
using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.Formats.ChatFormats;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>A user's inbox snapshot and its parts (<see cref="UserSnapshots"/>): kept forever.</summary>
internal static class UserSnapshotFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<UserSnapshots.ConversationState, P.UserConversationState>("u-s-conv", ConversationToProto, ConversationFromProto)
        .Add<UserSnapshots.SeqCheckpoint, P.UserSeqCheckpoint>("u-s-checkpoint", CheckpointToProto, CheckpointFromProto)
        .Add<UserSnapshots.InboxSnapshot, P.UserInboxSnapshot>("u-s-inbox", SnapshotToProto, SnapshotFromProto);

    private static P.UserConversationState ConversationToProto(UserSnapshots.ConversationState m)
    {
        var p = new P.UserConversationState
        {
            Peer = m.Peer,
            Index = m.Index,
            LastMessage = ToProto(m.LastMessage),
            ReadMarker = m.ReadMarker,
            UnreadCount = m.UnreadCount,
            MessageCount = m.MessageCount,
            EvictedUpTo = m.EvictedUpTo,
            RosterOrder = m.RosterOrder,
        };
        if (m.Roster is { } roster) p.Roster = ToProto(roster);
        return p;
    }

    private static UserSnapshots.ConversationState ConversationFromProto(P.UserConversationState p) => new(
        p.Peer,
        p.Index,
        FromProto(Required(p.LastMessage, "ConversationState.LastMessage")),
        p.ReadMarker,
        p.UnreadCount,
        p.MessageCount,
        p.EvictedUpTo) { Roster = p.Roster is { } roster ? FromProto(roster) : null, RosterOrder = p.RosterOrder };

    private static P.UserSeqCheckpoint CheckpointToProto(UserSnapshots.SeqCheckpoint m) =>
        new() { Seq = m.Seq, JournalSequenceNr = m.JournalSequenceNr };

    private static UserSnapshots.SeqCheckpoint CheckpointFromProto(P.UserSeqCheckpoint p) => new(p.Seq, p.JournalSequenceNr);

    private static P.UserInboxSnapshot SnapshotToProto(UserSnapshots.InboxSnapshot m)
    {
        var p = new P.UserInboxSnapshot { UserId = m.UserId, Opened = m.Opened, Seq = m.Seq, Clock = m.Clock };
        AddAll(p.Conversations, m.Conversations, ConversationToProto);
        AddAll(p.Recent, m.Recent, ToProto);
        AddAll(p.AwaitingSenderCopy, m.AwaitingSenderCopy, ToProto);
        AddAll(p.KeyFilterLayers, m.KeyFilterLayers, ByteString.CopyFrom);
        AddAll(p.Checkpoints, m.Checkpoints, CheckpointToProto);
        if (m.KeyFilterCounts is not null) p.KeyFilterCounts.AddRange(m.KeyFilterCounts);
        if (m.Presence is not null) p.Presence = PresenceFormats.RecordedToProto(m.Presence);
        AttachmentFormats.AddCarried(p.CarriedAttachments, m.CarriedAttachments);
        if (m.Receipts is not null)
        {
            p.ReceiptsKept = true;
            AddAll(p.Receipts, m.Receipts, ReceiptFormats.ConversationReceiptsToProto);
        }
        return p;
    }

    private static UserSnapshots.InboxSnapshot SnapshotFromProto(P.UserInboxSnapshot p) => new(
        p.UserId,
        p.Opened,
        p.Seq,
        p.Clock,
        MapAll(p.Conversations, ConversationFromProto),
        MapAll(p.Recent, FromProto),
        MapAll(p.AwaitingSenderCopy, FromProto),
        MapAll(p.KeyFilterLayers, b => b.ToByteArray()),
        MapAll(p.Checkpoints, CheckpointFromProto),
        p.KeyFilterCounts.Count > 0 ? p.KeyFilterCounts.ToArray() : null,
        p.Presence is null ? null : PresenceFormats.RecordedFromProto(p.Presence),
        p.ReceiptsKept ? MapAll(p.Receipts, ReceiptFormats.ConversationReceiptsFromProto) : null)
        { CarriedAttachments = AttachmentFormats.Carried(p.CarriedAttachments) };
}
