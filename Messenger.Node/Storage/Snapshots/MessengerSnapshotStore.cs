using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using Messenger.Node.Storage.Journal;

namespace Messenger.Node.Storage.Snapshots;

/// <summary>
/// Messenger's Akka.Persistence snapshot store, beside the journal in the same database (<c>snapshot_store</c>).
/// Saves and deletions go through the database's <see cref="JournalWriter"/>, so on SQLite they share the journal's
/// transactions instead of competing with it for the one write lock.
/// </summary>
public sealed class MessengerSnapshotStore : SnapshotStore
{
    private readonly JournalStore _store;
    private readonly Akka.Serialization.Serialization _serialization;

    public MessengerSnapshotStore(Config config)
    {
        _store = JournalStorage.Get(Context.System).For(PluginDatabase.From(config));
        _serialization = Context.System.Serialization;
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(
        string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        await _store.ReadyAsync();
        await using var connection = await _store.Database.OpenAsync(cancellationToken);
        await using var command = StorageSql.Command(connection,
            $"""
             SELECT sequence_nr, created, serializer_id, serializer_manifest, payload FROM snapshot_store
             WHERE persistence_id = @pid AND {Matching}
             ORDER BY sequence_nr DESC LIMIT 1
             """,
            Parameters(persistenceId, criteria));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var snapshot = EventRow.Deserialize(_serialization,
            (byte[])reader.GetValue(4), reader.GetInt32(2), reader.IsDBNull(3) ? string.Empty : reader.GetString(3));
        var metadata = new SnapshotMetadata(persistenceId, reader.GetInt64(0), new DateTime(reader.GetInt64(1), DateTimeKind.Utc));
        return new SelectedSnapshot(metadata, snapshot);
    }

    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        var (serializerId, manifest, bytes) = EventRow.Serialize(_serialization, snapshot);
        await WriteAsync(new StatementsItem(1, (
            """
            INSERT INTO snapshot_store (persistence_id, sequence_nr, created, serializer_id, serializer_manifest, payload)
            VALUES (@pid, @seq, @created, @serializer, @manifest, @payload)
            ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET created = excluded.created,
              serializer_id = excluded.serializer_id, serializer_manifest = excluded.serializer_manifest, payload = excluded.payload
            """,
            [("pid", metadata.PersistenceId), ("seq", metadata.SequenceNr), ("created", metadata.Timestamp.Ticks),
                ("serializer", serializerId), ("manifest", manifest), ("payload", bytes)])));
    }

    /// <summary>Deletes the snapshot at the metadata's sequence number, if it is not newer than the metadata's timestamp
    /// (a timestamp of <see cref="DateTime.MinValue"/> means any).</summary>
    protected override Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken) =>
        WriteAsync(new StatementsItem(0, (
            "DELETE FROM snapshot_store WHERE persistence_id = @pid AND sequence_nr = @seq AND created <= @created",
            [("pid", metadata.PersistenceId), ("seq", metadata.SequenceNr),
                ("created", metadata.Timestamp == DateTime.MinValue ? long.MaxValue : metadata.Timestamp.Ticks)])));

    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        WriteAsync(new StatementsItem(0, ($"DELETE FROM snapshot_store WHERE persistence_id = @pid AND {Matching}",
            Parameters(persistenceId, criteria))));

    private const string Matching =
        "sequence_nr <= @maxSeq AND sequence_nr >= @minSeq AND created <= @maxTime AND created >= @minTime";

    private static (string, object?)[] Parameters(string persistenceId, SnapshotSelectionCriteria criteria) =>
    [
        ("pid", persistenceId), ("maxSeq", criteria.MaxSequenceNr), ("minSeq", criteria.MinSequenceNr),
        ("maxTime", criteria.MaxTimeStamp.Ticks), ("minTime", (criteria.MinTimestamp ?? DateTime.MinValue).Ticks),
    ];

    private async Task WriteAsync(StatementsItem item)
    {
        await _store.ReadyAsync();
        await _store.Writer.WriteAsync([item]);
        if (item.Error is not null) throw item.Error;
    }
}
