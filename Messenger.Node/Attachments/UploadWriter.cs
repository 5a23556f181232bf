using System.Data.Common;
using Messenger.Node.Storage;

namespace Messenger.Node.Attachments;

/// <summary>
/// Writes one upload's chunk rows and then completes it. On SQLite it keeps one connection for the upload and commits
/// the chunks with <c>synchronous=NORMAL</c> (appended to the WAL, no fsync each), then completes the row at the
/// database's own level: that commit's fsync makes every earlier WAL frame durable too, so the upload is durable when
/// it is acknowledged at the cost of one fsync instead of one per chunk (and each chunk holds the write lock, which
/// the journal's writer shares, that much shorter). In autocommit mode the held connection holds no lock between
/// chunks. On PostgreSQL each statement takes a pooled connection only for itself (a slow upload holds none).
/// </summary>
internal sealed class UploadWriter : IAsyncDisposable
{
    private readonly JournalDatabase _database;
    private readonly DbConnection? _sqlite;
    private readonly long _synchronous;
    private bool _relaxed;

    private UploadWriter(JournalDatabase database, DbConnection? sqlite, long synchronous)
    {
        _database = database;
        _sqlite = sqlite;
        _synchronous = synchronous;
    }

    public static async Task<UploadWriter> OpenAsync(JournalDatabase database, CancellationToken ct)
    {
        if (database.Kind != JournalKind.Sqlite) return new UploadWriter(database, null, 0);
        var connection = await database.OpenAsync(ct);
        try
        {
            await using var read = AttachmentStore.Command(connection, "PRAGMA synchronous;");
            var level = Convert.ToInt64(await read.ExecuteScalarAsync(ct));
            return new UploadWriter(database, connection, level);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task ChunkAsync(string key, int index, byte[] data, CancellationToken ct)
    {
        if (_sqlite is not null && !_relaxed)
        {
            await SetSynchronousAsync(1, ct); // NORMAL
            _relaxed = true;
        }
        await ExecuteAsync("INSERT INTO attachment_chunks (attachment_id, chunk_index, data) VALUES (@id, @index, @data)", ct,
            ("id", key), ("index", index), ("data", data));
    }

    public async Task CompleteAsync(string key, long size, string sha256, CancellationToken ct)
    {
        await RestoreAsync(ct);
        await ExecuteAsync("UPDATE attachments SET size = @size, sha256 = @sha, complete = 1 WHERE attachment_id = @id", ct,
            ("size", size), ("sha", sha256), ("id", key));
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        if (_sqlite is not null)
        {
            await using var command = AttachmentStore.Command(_sqlite, sql, parameters);
            await command.ExecuteNonQueryAsync(ct);
            return;
        }
        await using var connection = await _database.OpenAsync(ct);
        await using var pooled = AttachmentStore.Command(connection, sql, parameters);
        await pooled.ExecuteNonQueryAsync(ct);
    }

    private async Task SetSynchronousAsync(long level, CancellationToken ct)
    {
        // The level is a number read from the database itself (0–3), never user input.
        await using var command = AttachmentStore.Command(_sqlite!, $"PRAGMA synchronous={level};");
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task RestoreAsync(CancellationToken ct)
    {
        if (!_relaxed) return;
        await SetSynchronousAsync(_synchronous, ct);
        _relaxed = false;
    }

    /// <summary>The pooled connection goes back at the level it came with, whatever happened.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sqlite is null) return;
        try
        {
            await RestoreAsync(CancellationToken.None);
        }
        catch (DbException)
        {
            // A connection whose level cannot be set back is not returned to the pool at all.
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool((Microsoft.Data.Sqlite.SqliteConnection)_sqlite);
        }
        await _sqlite.DisposeAsync();
    }
}
