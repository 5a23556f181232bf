using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// Writes event rows into <c>event_journal</c> on one connection with prepared statements: the rows of a whole batch
/// (many inboxes) go out without one round trip per row (PostgreSQL: one statement for the batch; SQLite: in-process).
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

/// <summary>
/// SQLite: one prepared single-row INSERT, stepped once per row and bound by position through SQLitePCL
/// (Microsoft.Data.Sqlite binds each parameter by name, a linear search per parameter). SQLite runs in-process: a
/// statement costs no round trip, so rows need no multi-row statements, and they must not use them: a statement that
/// inserts several rows has to undo its earlier rows when a later one fails, so SQLite keeps a statement journal of
/// every page it touches, spilled to a temporary file past 64 KiB. With 16-row statements that journal wrote each
/// dirty index page twice more (two write calls per page): two thirds of the writer's write calls (bench
/// <c>--mode journal</c>: 95 → 74 µs CPU per message). A single-row insert checks its constraints before it writes
/// and keeps no statement journal.
/// </summary>
internal sealed class SqliteEventRowInserter(SqliteConnection connection) : EventRowInserter
{
    private const int ColumnCount = 14;
    private sqlite3_stmt? _insert;

    public override Task InsertAsync(DbTransaction transaction, IReadOnlyList<EventRow> rows)
    {
        // The statement runs on the connection's handle, inside the transaction it has begun.
        var statement = Statement();
        foreach (var row in rows)
        {
            try
            {
                Bind(statement, row);
                var rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            }
            finally
            {
                raw.sqlite3_reset(statement);
                raw.sqlite3_clear_bindings(statement);
            }
        }
        return Task.CompletedTask;
    }

    private static void Bind(sqlite3_stmt statement, EventRow row)
    {
        // Parameter indexes are 1-based.
        BindText(statement, 1, row.PersistenceId);
        raw.sqlite3_bind_int64(statement, 2, row.SequenceNr);
        raw.sqlite3_bind_int(statement, 3, row.Deleted ? 1 : 0);
        raw.sqlite3_bind_int64(statement, 4, row.Created);
        if (row.WriterUuid is { } writer) BindText(statement, 5, writer);
        if (row.EventManifest is { } eventManifest) BindText(statement, 6, eventManifest);
        raw.sqlite3_bind_int(statement, 7, row.SerializerId);
        BindText(statement, 8, row.SerializerManifest);
        raw.sqlite3_bind_blob(statement, 9, row.Payload);
        if (row.Index is not { } index) return; // unbound parameters are NULL
        if (index.ConversationId is { } conversation) BindText(statement, 10, conversation);
        if (index.Order is { } order) BindText(statement, 11, order);
        BindText(statement, 12, index.From);
        // As Microsoft.Data.Sqlite binds a Guid (the archive's lookups): its 16 bytes in Guid.ToByteArray order.
        Span<byte> key = stackalloc byte[16];
        index.ClientMessageId.TryWriteBytes(key);
        raw.sqlite3_bind_blob(statement, 13, key);
        raw.sqlite3_bind_int64(statement, 14, index.Seq);
    }

    /// <summary>Binds text as UTF-8 encoded on the stack (SQLite copies it): the string overload allocates an array per
    /// value, five per row, on the one writer thread.</summary>
    private static void BindText(sqlite3_stmt statement, int index, string value)
    {
        if (value.Length is 0 or > 256)
        {
            raw.sqlite3_bind_text(statement, index, value);
            return;
        }
        Span<byte> utf8 = stackalloc byte[value.Length * 3];
        var length = System.Text.Encoding.UTF8.GetBytes(value, utf8);
        raw.sqlite3_bind_text(statement, index, (ReadOnlySpan<byte>)utf8[..length]);
    }

    private sqlite3_stmt Statement()
    {
        if (_insert is not null) return _insert;
        var sql = $"INSERT INTO event_journal ({Columns}) VALUES (" + string.Join(", ", Enumerable.Repeat("?", ColumnCount)) + ")";
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return _insert = statement;
    }

    public override ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        _insert = null;
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
