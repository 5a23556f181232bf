using Messenger.Messages.Chat;

namespace Messenger.Messages.Users;

/// <summary>A user's inbox state, saved so recovery replays only the events after it.</summary>
public static class UserSnapshots
{
    public sealed record ConversationState(
        string Peer, int Index, InboxMessage LastMessage, string ReadMarker, int UnreadCount, long MessageCount,
        string EvictedUpTo)
        : IMessengerMessage
    {
        /// <summary>Group conversations: the roster of the newest membership event (by order) and that event's order.</summary>
        public Groups.GroupRoster? Roster { get; init; }

        public string RosterOrder { get; init; } = "";
    }

    /// <summary>Maps inbox positions to journal positions every few hundred messages, so sync pages from storage
    /// start near their target instead of at the beginning.</summary>
    public sealed record SeqCheckpoint(long Seq, long JournalSequenceNr) : IMessengerMessage;

    /// <summary><see cref="KeyFilterCounts"/>: keys held per filter layer; null in snapshots written before it was kept.
    /// <see cref="Presence"/>: the newest presence change; null when never seen or in older snapshots.
    /// <see cref="Receipts"/>: receipt markers per conversation; null in snapshots written before receipts.</summary>
    public sealed record InboxSnapshot(
        string UserId,
        bool Opened,
        long Seq,
        long Clock,
        IReadOnlyList<ConversationState> Conversations,
        IReadOnlyList<InboxMessage> Recent,
        IReadOnlyList<ChatMessage> AwaitingSenderCopy,
        IReadOnlyList<byte[]> KeyFilterLayers,
        IReadOnlyList<SeqCheckpoint> Checkpoints,
        IReadOnlyList<int>? KeyFilterCounts = null,
        PresenceEvents.PresenceRecorded? Presence = null,
        IReadOnlyList<ConversationReceiptsState>? Receipts = null) : IMessengerMessage
    {
        /// <summary>Attachment ids the inbox's messages carry, with how many messages carry each (the download's access check).</summary>
        public IReadOnlyList<CarriedAttachment> CarriedAttachments { get; init; } = [];
    }

    public sealed record CarriedAttachment(Guid AttachmentId, int Messages);
}
