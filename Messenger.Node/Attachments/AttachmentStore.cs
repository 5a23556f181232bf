using System.Buffers;
using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Messenger.Messages.Chat;
using Messenger.Node.Storage;
using Microsoft.Data.Sqlite;

namespace Messenger.Node.Attachments;

/// <summary>
/// Attachments in the journal's database (SQLite file or PostgreSQL), through connections of its own (never the
/// journal's writer). An upload streams: the body is read <see cref="ChunkSize"/> bytes at a time into one pooled
/// buffer, hashed (SHA-256) and written as one chunk row per read, each in its own short statement (see
/// <see cref="UploadWriter"/>), so a 25 MiB file never sits in memory and a slow upload never holds SQLite's write
/// lock between chunks. Downloads read one chunk
/// row per statement the same way.
/// </summary>
public sealed class AttachmentStore(JournalDatabase database)
{
    public const int ChunkSize = 256 * 1024;

    /// <summary>Stores <paramref name="body"/> as a new attachment of <paramref name="uploader"/>. More than
    /// <paramref name="maxBytes"/> bytes (a lying Content-Length or a chunked body) stops reading and removes what was written.</summary>
    public async Task<UploadResult> SaveAsync(
        string uploader, string name, string contentType, Stream body, long maxBytes, DateTime now, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var key = Key(id);
        await ExecuteAsync(
            "INSERT INTO attachments (attachment_id, uploader, name, content_type, size, sha256, created_at, carried, complete) " +
            "VALUES (@id, @uploader, @name, @type, 0, '', @created, 0, 0)", ct,
            ("id", key), ("uploader", uploader), ("name", name), ("type", contentType), ("created", ToMillis(now)));
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var completed = false;
        try
        {
            await using var writer = await UploadWriter.OpenAsync(database, ct);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            for (var index = 0; ; index++)
            {
                var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, ct);
                if (read == 0) break;
                size += read;
                if (size > maxBytes) return new UploadResult(UploadOutcome.TooLarge, null);
                hash.AppendData(buffer, 0, read);
                // A full chunk is written straight from the pooled buffer; only the last, shorter one needs its own array.
                var data = read == ChunkSize && buffer.Length == ChunkSize ? buffer : buffer.AsSpan(0, read).ToArray();
                await writer.ChunkAsync(key, index, data, ct);
                if (read < ChunkSize) break;
            }
            if (size == 0) return new UploadResult(UploadOutcome.Empty, null);
            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            await writer.CompleteAsync(key, size, sha256, ct);
            completed = true;
            return new UploadResult(UploadOutcome.Stored, new Attachment(id, name, contentType, size, sha256));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            // Refused, aborted or failed: nothing of it stays (a crash in between is swept as an uncarried upload).
            if (!completed) await TryDeleteAsync(key);
        }
    }

    /// <summary>A complete upload, or null (unknown, still uploading, or removed).</summary>
    public async Task<StoredAttachment?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "SELECT uploader, name, content_type, size, sha256, carried, created_at FROM attachments " +
            "WHERE attachment_id = @id AND complete = 1", ("id", Key(id)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new StoredAttachment(
            new Attachment(id, reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)),
            reader.GetString(0), Convert.ToInt64(reader.GetValue(5)) != 0, FromMillis(reader.GetInt64(6)));
    }

    /// <summary>Marks a complete upload as carried by a message, so the sweep never removes it. False when it is gone.</summary>
    public async Task<bool> MarkCarriedAsync(Guid id, CancellationToken ct) =>
        await ExecuteAsync("UPDATE attachments SET carried = 1 WHERE attachment_id = @id AND complete = 1", ct, ("id", Key(id))) == 1;

    /// <summary>
    /// Writes bytes [<paramref name="offset"/>, offset + <paramref name="count"/>) of the attachment to
    /// <paramref name="output"/>, one chunk row at a time. False when a chunk is missing (removed meanwhile).
    /// </summary>
    public async Task<bool> CopyToAsync(Guid id, long offset, long count, Stream output, CancellationToken ct)
    {
        var key = Key(id);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (count > 0)
            {
                var index = (int)(offset / ChunkSize);
                var within = (int)(offset % ChunkSize);
                var wanted = (int)Math.Min(count, ChunkSize - within);
                var read = await ReadChunkAsync(key, index, within, buffer, wanted, ct);
                if (read <= 0) return false;
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
                offset += read;
                count -= read;
            }
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<int> ReadChunkAsync(string key, int index, int within, byte[] buffer, int wanted, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (connection is SqliteConnection sqlite) return await ReadSqliteChunkAsync(sqlite, key, index, within, buffer, wanted, ct);
        await using var command = Command(connection,
            "SELECT data FROM attachment_chunks WHERE attachment_id = @id AND chunk_index = @index", ("id", key), ("index", index));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        if (!await reader.ReadAsync(ct)) return -1;
        return (int)reader.GetBytes(0, within, buffer, 0, wanted);
    }

    /// <summary>
    /// SQLite's reader copies a whole blob into a new array on any read of it; incremental blob I/O reads just the
    /// part asked for, straight into the pooled buffer.
    /// </summary>
    private static async Task<int> ReadSqliteChunkAsync(
        SqliteConnection connection, string key, int index, int within, byte[] buffer, int wanted, CancellationToken ct)
    {
        await using var command = Command(connection,
            "SELECT rowid FROM attachment_chunks WHERE attachment_id = @id AND chunk_index = @index", ("id", key), ("index", index));
        if (await command.ExecuteScalarAsync(ct) is not long rowid) return -1;
        await using var blob = new SqliteBlob(connection, "attachment_chunks", "data", rowid, readOnly: true);
        if (within >= blob.Length) return -1;
        blob.Position = within;
        return blob.Read(buffer, 0, (int)Math.Min(wanted, blob.Length - within));
    }

    /// <summary>The cached thumbnail: (type, bytes); an empty type means no thumbnail can be made; null: not made yet.</summary>
    public async Task<(string ContentType, byte[] Data)?> FindThumbnailAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "SELECT content_type, data FROM attachment_thumbnails WHERE attachment_id = @id", ("id", Key(id)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return (reader.GetString(0), (byte[])reader.GetValue(1));
    }

    public async Task SaveThumbnailAsync(Guid id, string contentType, byte[] data, CancellationToken ct)
    {
        // Two nodes may make the same thumbnail at once: the first row stays (both are the same picture).
        await ExecuteAsync(
            "INSERT INTO attachment_thumbnails (attachment_id, content_type, data) VALUES (@id, @type, @data) " +
            "ON CONFLICT (attachment_id) DO NOTHING", ct, ("id", Key(id)), ("type", contentType), ("data", data));
    }

    /// <summary>Removes uploads no message carries that were made before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> SweepAsync(DateTime cutoff, CancellationToken ct)
    {
        var keys = new List<string>();
        await using (var connection = await database.OpenAsync(ct))
        await using (var command = Command(connection,
            "SELECT attachment_id FROM attachments WHERE carried = 0 AND created_at < @cutoff", ("cutoff", ToMillis(cutoff))))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) keys.Add(reader.GetString(0));

        var removed = 0;
        foreach (var key in keys)
        {
            // The row goes first and only while still uncarried: a send marking it carried at the same moment either
            // wins (nothing is removed) or finds it gone (and answers not_found), never a message with missing bytes.
            if (await ExecuteAsync("DELETE FROM attachments WHERE attachment_id = @id AND carried = 0", ct, ("id", key)) == 0) continue;
            await DeleteBytesAsync(key, ct);
            removed++;
        }
        return removed;
    }

    private async Task TryDeleteAsync(string key)
    {
        try
        {
            await ExecuteAsync("DELETE FROM attachments WHERE attachment_id = @id", CancellationToken.None, ("id", key));
            await DeleteBytesAsync(key, CancellationToken.None);
        }
        catch (DbException)
        {
            // The row (complete = 0, never carried) is swept later with whatever chunks made it.
        }
    }

    private async Task DeleteBytesAsync(string key, CancellationToken ct)
    {
        await ExecuteAsync("DELETE FROM attachment_chunks WHERE attachment_id = @id", ct, ("id", key));
        await ExecuteAsync("DELETE FROM attachment_thumbnails WHERE attachment_id = @id", ct, ("id", key));
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    internal static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static string Key(Guid id) => id.ToString("N");

    private static long ToMillis(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    private static DateTime FromMillis(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime;
}
