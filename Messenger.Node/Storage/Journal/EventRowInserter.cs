using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// Writes event rows into <c>event_journal</c> on one connection with prepared multi-row statements: the rows of a whole
/// batch (many inboxes) go out in a few statements, never one round trip per row.
/// </summary>
public abstract class EventRowInserter : IAsyncDisposable
{
    protected const string Columns =
        "persistence_id, sequence_nr, deleted, created, writer_uuid, event_manifest, serializer_id, serializer_manifest, " +
        "payload, conversation_id, message_order, sender_id, client_message_id, inbox_seq";

    public static EventRowInserter For(DbConnection connection) => connection switch
    {
        SqliteConnection sqlite => new SqliteEventRowInserter(sqlite),
        NpgsqlConnection npgsql => new PostgresEventRowInserter(npgsql),
        _ => throw new ArgumentException("unsupported connection " + connection.GetType()),
    };

    public abstract Task InsertAsync(DbTransaction transaction, IReadOnlyList<EventRow> rows);

    /// <summary>True when <paramref name="error"/> is the fault of the rows written (a unique key taken, a value the
    /// column refuses), not of the database or the connection: then only the write that carried them fails.</summary>
    public static bool IsCausedByRows(Exception error) => error switch
    {
        // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH
        SqliteException sqlite => sqlite.SqliteErrorCode is 18 or 19 or 20,
        // Class 22 data exception, class 23 integrity constraint violation.
        PostgresException pg => pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };

    public abstract ValueTask DisposeAsync();
}

/// <summary>SQLite: one cached INSERT ... VALUES (...),(...) statement per chunk size up to <see cref="ChunkRows"/> rows.</summary>
internal sealed class SqliteEventRowInserter(SqliteConnection connection) : EventRowInserter
{
    private const int ChunkRows = 32;
    private const int ColumnCount = 14;
    private readonly Dictionary<int, SqliteCommand> _commands = new();

    public override async Task InsertAsync(DbTransaction transaction, IReadOnlyList<EventRow> rows)
    {
        for (var offset = 0; offset < rows.Count; offset += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows.Count - offset);
            var command = Command(count);
            command.Transaction = (SqliteTransaction)transaction;
            var p = command.Parameters;
            for (var i = 0; i < count; i++)
            {
                var row = rows[offset + i];
                var at = i * ColumnCount;
                p[at].Value = row.PersistenceId;
                p[at + 1].Value = row.SequenceNr;
                p[at + 2].Value = row.Deleted ? 1 : 0;
                p[at + 3].Value = row.Created;
                p[at + 4].Value = (object?)row.WriterUuid ?? DBNull.Value;
                p[at + 5].Value = (object?)row.EventManifest ?? DBNull.Value;
                p[at + 6].Value = row.SerializerId;
                p[at + 7].Value = row.SerializerManifest;
                p[at + 8].Value = row.Payload;
                var index = row.Index;
                p[at + 9].Value = index is { } a ? a.ConversationId : DBNull.Value;
                p[at + 10].Value = index is { } b ? b.Order : DBNull.Value;
                p[at + 11].Value = index is { } c ? c.From : DBNull.Value;
                p[at + 12].Value = index is { } d ? d.ClientMessageId : DBNull.Value;
                p[at + 13].Value = index is { } e ? e.Seq : DBNull.Value;
            }
            await command.ExecuteNonQueryAsync();
        }
    }

    private SqliteCommand Command(int rows)
    {
        if (_commands.TryGetValue(rows, out var cached)) return cached;
        var command = connection.CreateCommand();
        var values = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var names = Enumerable.Range(0, ColumnCount).Select(c => $"@p{r * ColumnCount + c}").ToArray();
            values.Add("(" + string.Join(", ", names) + ")");
            foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.CommandText = $"INSERT INTO event_journal ({Columns}) VALUES " + string.Join(", ", values);
        _commands[rows] = command;
        return command;
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        return ValueTask.CompletedTask;
    }
}

/// <summary>PostgreSQL: one prepared INSERT ... SELECT FROM unnest(arrays) statement, whatever the number of rows.</summary>
internal sealed class PostgresEventRowInserter(NpgsqlConnection connection) : EventRowInserter
{
    private NpgsqlCommand? _command;

    public override async Task InsertAsync(DbTransaction transaction, IReadOnlyList<EventRow> rows)
    {
        var command = _command ??= await PrepareAsync();
        command.Transaction = (NpgsqlTransaction)transaction;
        var n = rows.Count;
        var pids = new string[n]; var seqs = new long[n]; var deleted = new short[n]; var created = new long[n];
        var writers = new string?[n]; var eventManifests = new string?[n]; var serializers = new int[n];
        var manifests = new string[n]; var payloads = new byte[n][]; var conversations = new string?[n];
        var orders = new string?[n]; var senders = new string?[n]; var keys = new Guid?[n]; var inboxSeqs = new long?[n];
        for (var i = 0; i < n; i++)
        {
            var row = rows[i];
            pids[i] = row.PersistenceId; seqs[i] = row.SequenceNr; deleted[i] = (short)(row.Deleted ? 1 : 0);
            created[i] = row.Created; writers[i] = row.WriterUuid; eventManifests[i] = row.EventManifest;
            serializers[i] = row.SerializerId; manifests[i] = row.SerializerManifest; payloads[i] = row.Payload;
            if (row.Index is { } index)
            {
                conversations[i] = index.ConversationId; orders[i] = index.Order; senders[i] = index.From;
                keys[i] = index.ClientMessageId; inboxSeqs[i] = index.Seq;
            }
        }
        object[] values = [pids, seqs, deleted, created, writers, eventManifests, serializers, manifests, payloads,
            conversations, orders, senders, keys, inboxSeqs];
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlCommand> PrepareAsync()
    {
        NpgsqlTypes.NpgsqlDbType[] types =
        [
            NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Smallint,
            NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text,
            NpgsqlTypes.NpgsqlDbType.Integer, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Bytea,
            NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text,
            NpgsqlTypes.NpgsqlDbType.Uuid, NpgsqlTypes.NpgsqlDbType.Bigint,
        ];
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO event_journal ({Columns}) SELECT * FROM unnest(" +
                              string.Join(", ", types.Select((_, i) => $"@a{i}")) + ")";
        for (var i = 0; i < types.Length; i++)
            command.Parameters.Add(new NpgsqlParameter($"a{i}", NpgsqlTypes.NpgsqlDbType.Array | types[i]));
        await command.PrepareAsync();
        return command;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_command is not null) await _command.DisposeAsync();
        _command = null;
    }
}
