using Messenger.Messages.Chat;

namespace Messenger.Node.Storage;

/// <summary>
/// Reads of a user's inbox that the in-memory window cannot answer, served by the journal's storage. Each argument
/// set names the message the way the journal indexes it: a conversation (by id, and by the inbox's conversation
/// number for storages that index by it), an idempotency key (from, clientMessageId), an inbox position (seq).
/// </summary>
public interface IInboxArchive
{
    /// <summary>The newest <paramref name="limit"/> messages of a conversation older than <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<InboxMessage>> HistoryBeforeAsync(
        string persistenceId, string conversationId, int conversationNumber, string? before, int limit);

    /// <summary>This user's stored copy of the message with idempotency key (<paramref name="from"/>, <paramref name="clientMessageId"/>),
    /// if any: the newest row under the key (a retraction outranks its original). Only <paramref name="conversationId"/>
    /// is searched, or every conversation of the inbox when it is null.</summary>
    Task<InboxMessage?> FindByKeyAsync(string persistenceId, string from, Guid clientMessageId, string? conversationId);

    /// <summary>Up to <paramref name="limit"/> inbox messages with seq after <paramref name="afterSeq"/>, in inbox order.
    /// <paramref name="journalHint"/> is a journal sequence number at or before the first one wanted (1 when unknown).</summary>
    Task<IReadOnlyList<InboxMessage>> InboxAfterAsync(string persistenceId, long journalHint, long afterSeq, int limit);
}
