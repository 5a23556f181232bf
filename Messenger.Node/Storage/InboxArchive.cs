using System.Data.Common;
using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Node.Storage;

/// <summary>
/// Reads of a user's inbox that the in-memory window cannot answer, straight from the journal's tables:
/// each query touches one page of rows through an index, never the whole history.
/// </summary>
public sealed class InboxArchive : IInboxArchive
{
    private readonly JournalDatabase _db;
    private readonly Akka.Serialization.Serialization _serialization;
    private int _indexesReady;

    public InboxArchive(JournalDatabase db, ActorSystem system)
    {
        _db = db;
        _serialization = system.Serialization;
    }

    /// <summary>The newest <paramref name="limit"/> messages of a conversation older than <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<InboxMessage>> HistoryBeforeAsync(
        string persistenceId, string conversationId, int conversationIndex, string? before, int limit)
    {
        var lower = InboxTags.HistoryPrefix(conversationIndex);
        var upper = before is null ? InboxTags.HistoryEnd(conversationIndex) : InboxTags.History(conversationIndex, before);
        var c = _db.OrdinalCollation;
        var rows = await QueryAsync(
            $"""
             SELECT j.message, j.identifier, j.manifest FROM tags t JOIN journal j ON j.ordering = t.ordering_id
             WHERE t.persistence_id = @pid AND t.tag{c} >= @lower AND t.tag{c} < @upper
             ORDER BY t.tag{c} DESC LIMIT @limit
             """,
            ("pid", persistenceId), ("lower", lower), ("upper", upper), ("limit", limit));
        var messages = rows.OfType<UserEvents.MessageStored>().Select(s => new InboxMessage(s.Message, s.Seq)).ToList();
        messages.Reverse();
        return messages;
    }

    public Task<InboxMessage?> FindByKeyAsync(
        string persistenceId, string userId, string from, Guid clientMessageId, int conversationNumber) =>
        FindByTagAsync(persistenceId, from == userId
            ? InboxTags.Outgoing(clientMessageId)
            : InboxTags.Incoming(conversationNumber, clientMessageId));

    /// <summary>The stored message with this idempotency tag, if any.</summary>
    private async Task<InboxMessage?> FindByTagAsync(string persistenceId, string keyTag)
    {
        var rows = await QueryAsync(
            """
            SELECT j.message, j.identifier, j.manifest FROM tags t JOIN journal j ON j.ordering = t.ordering_id
            WHERE t.persistence_id = @pid AND t.tag = @tag LIMIT 1
            """,
            ("pid", persistenceId), ("tag", keyTag));
        return rows.OfType<UserEvents.MessageStored>().Select(s => new InboxMessage(s.Message, s.Seq)).FirstOrDefault();
    }

    /// <summary>Up to <paramref name="limit"/> inbox messages after inbox position <paramref name="after"/>, scanning the
    /// journal from <paramref name="fromJournalSequenceNr"/> (a checkpoint at or before the first one wanted).</summary>
    public async Task<IReadOnlyList<InboxMessage>> InboxAfterAsync(
        string persistenceId, long fromJournalSequenceNr, long after, int limit)
    {
        const int batch = 500;
        var result = new List<InboxMessage>(limit);
        var from = fromJournalSequenceNr;
        while (result.Count < limit)
        {
            var rows = await QueryAsync(
                """
                SELECT message, identifier, manifest, sequence_number FROM journal
                WHERE persistence_id = @pid AND sequence_number >= @from ORDER BY sequence_number LIMIT @limit
                """,
                ("pid", persistenceId), ("from", from), ("limit", batch));
            foreach (var stored in rows.OfType<UserEvents.MessageStored>())
            {
                if (stored.Seq <= after) continue;
                result.Add(new InboxMessage(stored.Message, stored.Seq));
                if (result.Count == limit) break;
            }
            if (rows.Count < batch) break;
            from += batch;
        }
        return result;
    }

    private async Task<List<object>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await _db.OpenAsync();
        if (Interlocked.Exchange(ref _indexesReady, 1) == 0) await _db.PrepareAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        var result = new List<object>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var bytes = (byte[])reader.GetValue(0);
            var identifier = Convert.ToInt32(reader.GetValue(1));
            var manifest = reader.GetString(2);
            result.Add(_serialization.Deserialize(bytes, identifier, manifest));
        }
        return result;
    }
}
