using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Storage.Journal;

namespace Messenger.Node.Storage;

/// <summary>
/// Reads of a user's inbox that the in-memory window cannot answer, straight from <c>event_journal</c>'s index columns
/// (see <see cref="JournalSchema"/>): each query is one index range scan over one page of rows, never the whole history.
/// </summary>
public sealed class InboxArchive : IInboxArchive
{
    // A retraction is stored under its original's conversation and order (see InboxIndex), so a later row at the same
    // place flags the original as retracted: one probe of the conversation index per row, on pages the scan just read.
    private const string Select =
        """
        SELECT e.serializer_id, e.serializer_manifest, e.payload,
          EXISTS (SELECT 1 FROM event_journal r WHERE r.persistence_id = e.persistence_id AND r.conversation_id = e.conversation_id
                  AND r.message_order = e.message_order AND r.sequence_nr > e.sequence_nr AND r.deleted = 0) AS retracted
        FROM event_journal e
        """;

    // History lists each message once, as its original row (its own inbox position), flagged when retracted.
    private const string NotARetraction =
        """
        NOT EXISTS (SELECT 1 FROM event_journal o WHERE o.persistence_id = e.persistence_id AND o.conversation_id = e.conversation_id
                    AND o.message_order = e.message_order AND o.sequence_nr < e.sequence_nr AND o.deleted = 0)
        """;

    private readonly JournalStore _store;
    private readonly Akka.Serialization.Serialization _serialization;

    public InboxArchive(JournalDatabase database, ActorSystem system)
    {
        _store = JournalStorage.Get(system).For(database);
        _serialization = system.Serialization;
    }

    public async Task<IReadOnlyList<InboxMessage>> HistoryBeforeAsync(
        string persistenceId, string conversationId, int conversationNumber, string? before, int limit)
    {
        var messages = await QueryAsync(
            $"""
             {Select} WHERE e.persistence_id = @pid AND e.conversation_id = @conversation
             {(before is null ? "" : "AND e.message_order < @before")} AND e.deleted = 0 AND {NotARetraction}
             ORDER BY e.message_order DESC LIMIT @limit
             """,
            ("pid", persistenceId), ("conversation", conversationId), ("before", before), ("limit", limit));
        messages.Reverse();
        return messages;
    }

    /// <summary>
    /// Scans the conversation index's entries (they carry sender and key) of one conversation, or of the whole inbox for
    /// the user's own keys: no row is read but the match, and no index by key has to be written with every message.
    /// The filter in front (<see cref="Inbox.KeyFilter"/>) sends only keys it cannot rule out here.
    /// </summary>
    public async Task<InboxMessage?> FindByKeyAsync(string persistenceId, string from, Guid clientMessageId, string? conversationId)
    {
        // SQLite would otherwise walk the primary key for the ORDER BY, reading every row of the inbox.
        var index = _store.Database.Kind == JournalKind.Sqlite ? "INDEXED BY event_journal_conversation" : "";
        var found = await QueryAsync(
            $"""
             {Select} {index}
             WHERE e.persistence_id = @pid AND e.conversation_id {(conversationId is null ? "IS NOT NULL" : "= @conversation")}
               AND e.sender_id = @from AND e.client_message_id = @key AND e.deleted = 0
             ORDER BY e.sequence_nr DESC LIMIT 1
             """,
            ("pid", persistenceId), ("conversation", conversationId), ("from", from),
            // SQLite keeps the key as the 16 bytes the journal's inserter binds; PostgreSQL as a uuid.
            ("key", _store.Database.Kind == JournalKind.Sqlite ? clientMessageId.ToByteArray() : clientMessageId));
        return found.Count > 0 ? found[0] : null;
    }

    // Inbox positions grow with the journal's sequence numbers, so the primary key serves the range from the hint (the
    // inbox's checkpoint at or before the first position wanted): no index of its own to write with every message.
    public async Task<IReadOnlyList<InboxMessage>> InboxAfterAsync(string persistenceId, long journalHint, long afterSeq, int limit) =>
        await QueryAsync(
            $"""
             {Select} WHERE e.persistence_id = @pid AND e.sequence_nr >= @hint AND e.inbox_seq > @after AND e.deleted = 0
             ORDER BY e.sequence_nr LIMIT @limit
             """,
            ("pid", persistenceId), ("hint", journalHint), ("after", afterSeq), ("limit", limit));

    private async Task<List<InboxMessage>> QueryAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var ready = _store.ReadyAsync();
        if (!ready.IsCompletedSuccessfully) await ready;
        await using var connection = await _store.Database.OpenAsync();
        await using var command = StorageSql.Command(connection, sql, parameters.Where(p => sql.Contains("@" + p.Name)).ToArray());
        var result = new List<InboxMessage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var stored = EventRow.Deserialize(_serialization, (byte[])reader.GetValue(2), reader.GetInt32(0),
                reader.IsDBNull(1) ? string.Empty : reader.GetString(1));
            var retracted = Convert.ToBoolean(reader.GetValue(3));
            switch (stored)
            {
                case UserEvents.MessageStored message:
                    result.Add(new InboxMessage(message.Message, message.Seq, retracted));
                    break;
                case UserEvents.MessageRetracted retraction:
                    result.Add(new InboxMessage(retraction.Message, retraction.Seq, Retracted: true));
                    break;
            }
        }
        return result;
    }
}
