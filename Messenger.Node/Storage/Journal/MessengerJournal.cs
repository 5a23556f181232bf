using System.Collections.Immutable;
using System.Data.Common;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// Messenger's Akka.Persistence journal on SQLite or PostgreSQL (plugin config: hocon/sqlite.conf, hocon/postgresql.conf).
/// Writes are group-committed by the database's <see cref="JournalWriter"/> across every persistent actor of the node;
/// a write refused for one persistence id (serialization, a taken sequence number) is rejected alone.
/// Reads go straight to the database on pooled connections.
/// </summary>
public sealed class MessengerJournal : AsyncWriteJournal
{
    private readonly JournalStore _store;
    private readonly Akka.Serialization.Serialization _serialization;

    public MessengerJournal(Config config)
    {
        _store = JournalStorage.Get(Context.System).For(PluginDatabase.From(config));
        _serialization = Context.System.Serialization;
    }

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(
        IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        // Serialize here (on the journal's thread), so the writer loop only talks to the database.
        // Called once per inbox flush: plain loops, no LINQ, and nothing more than the rows when all serialize.
        var items = new List<EventsItem>();
        var refused = false;
        foreach (var write in messages)
        {
            EventsItem item;
            try
            {
                var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
                var rows = new EventRow[events.Count];
                for (var i = 0; i < rows.Length; i++) rows[i] = EventRow.From(_serialization, events[i]);
                item = new EventsItem(rows);
            }
            catch (Exception e)
            {
                item = new EventsItem([]) { Error = e };
                refused = true;
            }
            items.Add(item);
        }
        var ready = _store.ReadyAsync();
        if (!ready.IsCompletedSuccessfully) await ready;
        if (!refused) await _store.Writer.WriteAsync(items);
        else
        {
            var toWrite = items.Where(i => i.Error is null).ToList();
            if (toWrite.Count > 0) await _store.Writer.WriteAsync(toWrite);
        }
        // The writer sets Error on a unit whose rows the database refused.
        foreach (var item in items)
            if (item.Error is not null) return items.Select(i => i.Error).ToImmutableList();
        return null!;
    }

    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr,
        long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        if (max <= 0 || toSequenceNr < fromSequenceNr) return;
        await _store.ReadyAsync();
        await using var connection = await _store.Database.OpenAsync();
        await using var command = StorageSql.Command(connection,
            """
            SELECT sequence_nr, created, writer_uuid, event_manifest, serializer_id, serializer_manifest, payload
            FROM event_journal WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to AND deleted = 0
            ORDER BY sequence_nr LIMIT @max
            """,
            ("pid", persistenceId), ("from", fromSequenceNr), ("to", toSequenceNr), ("max", max));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var payload = EventRow.Deserialize(_serialization,
                (byte[])reader.GetValue(6), reader.GetInt32(4), reader.IsDBNull(5) ? string.Empty : reader.GetString(5));
            recoveryCallback(new Persistent(payload, reader.GetInt64(0), persistenceId,
                reader.IsDBNull(3) ? string.Empty : reader.GetString(3), false, ActorRefs.NoSender,
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(1)));
        }
    }

    public override async Task<long> ReadHighestSequenceNrAsync(
        string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        await _store.ReadyAsync();
        await using var connection = await _store.Database.OpenAsync(cancellationToken);
        await using var command = StorageSql.Command(connection,
            "SELECT MAX(sequence_nr) FROM event_journal WHERE persistence_id = @pid", ("pid", persistenceId));
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? 0 : Convert.ToInt64(result);
    }

    /// <summary>Deletes the events up to <paramref name="toSequenceNr"/>; the highest one stays as a deleted marker
    /// so the sequence number never goes back.</summary>
    protected override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        await _store.ReadyAsync();
        var item = new StatementsItem(0,
            ("UPDATE event_journal SET deleted = 1 WHERE persistence_id = @pid AND sequence_nr <= @to AND deleted = 0",
                [("pid", persistenceId), ("to", toSequenceNr)]),
            ("""
             DELETE FROM event_journal WHERE persistence_id = @pid AND sequence_nr <= @to
             AND sequence_nr < (SELECT MAX(sequence_nr) FROM event_journal WHERE persistence_id = @pid)
             """,
                [("pid", persistenceId), ("to", toSequenceNr)]));
        await _store.Writer.WriteAsync([item]);
        if (item.Error is not null) throw item.Error;
    }
}

/// <summary>The plugin settings naming the database: <c>database</c>, <c>connection-string</c>, <c>sqlite-synchronous</c>.</summary>
public static class PluginDatabase
{
    public static JournalDatabase From(Config config)
    {
        var kind = config.GetString("database", "sqlite").Equals("postgresql", StringComparison.OrdinalIgnoreCase)
            ? JournalKind.PostgreSql
            : JournalKind.Sqlite;
        var connectionString = config.GetString("connection-string", string.Empty);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ConfigurationException("the Messenger journal plugin needs a connection-string");
        return new JournalDatabase(kind, connectionString, config.GetString("sqlite-synchronous", "FULL"));
    }
}

/// <summary>Parameterised commands, the same for both databases.</summary>
public static class StorageSql
{
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }
}
