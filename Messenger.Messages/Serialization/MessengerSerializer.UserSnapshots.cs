using Google.Protobuf;
using Messenger.Messages.Users;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>A user's inbox snapshot and its parts (<see cref="UserSnapshots"/>).</summary>
public sealed partial class MessengerSerializer
{
    private static P.UserConversationState ToProto(UserSnapshots.ConversationState m) => new()
    {
        Peer = m.Peer,
        Index = m.Index,
        LastMessage = ToProto(m.LastMessage),
        ReadMarker = m.ReadMarker,
        UnreadCount = m.UnreadCount,
        MessageCount = m.MessageCount,
        EvictedUpTo = m.EvictedUpTo,
    };

    private static UserSnapshots.ConversationState FromProto(P.UserConversationState p) => new(
        p.Peer,
        p.Index,
        FromProto(Required(p.LastMessage, "ConversationState.LastMessage")),
        p.ReadMarker,
        p.UnreadCount,
        p.MessageCount,
        p.EvictedUpTo);

    private static P.UserSeqCheckpoint ToProto(UserSnapshots.SeqCheckpoint m) =>
        new() { Seq = m.Seq, JournalSequenceNr = m.JournalSequenceNr };

    private static UserSnapshots.SeqCheckpoint FromProto(P.UserSeqCheckpoint p) => new(p.Seq, p.JournalSequenceNr);

    private static P.UserInboxSnapshot ToProto(UserSnapshots.InboxSnapshot m)
    {
        var p = new P.UserInboxSnapshot { UserId = m.UserId, Opened = m.Opened, Seq = m.Seq, Clock = m.Clock };
        p.Conversations.AddRange(m.Conversations.Select(ToProto));
        p.Recent.AddRange(m.Recent.Select(ToProto));
        p.AwaitingSenderCopy.AddRange(m.AwaitingSenderCopy.Select(ToProto));
        p.KeyFilterLayers.AddRange(m.KeyFilterLayers.Select(ByteString.CopyFrom));
        p.Checkpoints.AddRange(m.Checkpoints.Select(ToProto));
        if (m.KeyFilterCounts is not null) p.KeyFilterCounts.AddRange(m.KeyFilterCounts);
        return p;
    }

    private static UserSnapshots.InboxSnapshot FromProto(P.UserInboxSnapshot p) => new(
        p.UserId,
        p.Opened,
        p.Seq,
        p.Clock,
        p.Conversations.Select(FromProto).ToArray(),
        p.Recent.Select(FromProto).ToArray(),
        p.AwaitingSenderCopy.Select(FromProto).ToArray(),
        p.KeyFilterLayers.Select(b => b.ToByteArray()).ToArray(),
        p.Checkpoints.Select(FromProto).ToArray(),
        p.KeyFilterCounts.Count > 0 ? p.KeyFilterCounts.ToArray() : null);
}
