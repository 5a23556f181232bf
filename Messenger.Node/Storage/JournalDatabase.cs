using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Messenger.Node.Storage;

public enum JournalKind { Sqlite, PostgreSql }

/// <summary>
/// The database behind Messenger's journal and snapshot store (<see cref="Journal.MessengerJournal"/>,
/// <see cref="Snapshots.MessengerSnapshotStore"/>) and the inbox archive's reads. One per data dir or PostgreSQL database.
/// </summary>
public sealed class JournalDatabase
{
    public JournalDatabase(JournalKind kind, string connectionString, string sqliteSynchronous = "FULL")
    {
        if (kind == JournalKind.Sqlite && !SqliteDurability.IsValid(sqliteSynchronous))
            throw new InvalidOperationException("Messenger:SqliteSynchronous must be FULL, NORMAL or EXTRA");
        Kind = kind;
        ConnectionString = connectionString;
        SqliteSynchronous = sqliteSynchronous.ToUpperInvariant();
    }

    public JournalKind Kind { get; }
    public string ConnectionString { get; }

    /// <summary>SQLite's <c>synchronous</c> level for the connection that commits (see <see cref="SqliteDurability"/>).</summary>
    public string SqliteSynchronous { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Kind == JournalKind.Sqlite
            ? new SqliteConnection(ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// Drops the pool's idle connections to this database (and retires those in use when they come back): after a
    /// lost connection the others are dead too (the server restarted), and each would fail one more read or write.
    /// </summary>
    public void ClearPool()
    {
        if (Kind != JournalKind.PostgreSql) return;
        using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    /// <summary>Clears the pool when <paramref name="error"/> says the connection was lost; false for the caller's filter.</summary>
    public bool ClearPoolIfConnectionLost(Exception error)
    {
        if (StorageFailure.IsConnectionLost(error)) ClearPool();
        return false;
    }

    public static string SqliteConnectionString(string dataDir) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataDir), "messenger.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

    /// <summary>
    /// Creates the journal's tables and indexes (<see cref="JournalSchema"/>) and switches SQLite to WAL so readers never
    /// block the writer. On PostgreSQL it runs in one transaction under an advisory lock, so nodes starting together
    /// neither race on CREATE TABLE nor see half a schema. Idempotent. Data of the previous journal
    /// (Akka.Persistence.Sql's tables) is moved over by <see cref="Migration.LegacyJournalMigration"/>, which needs the
    /// actor system's serialization and runs when the journal first opens the database.
    /// </summary>
    public async Task PrepareAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = Kind == JournalKind.PostgreSql ? await connection.BeginTransactionAsync(ct) : null;
        if (Kind == JournalKind.PostgreSql) await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey})", ct);
        foreach (var sql in JournalSchema.For(Kind))
            await ExecuteAsync(connection, transaction, sql, ct);
        await Migration.KeyIndexMigration.RunAsync(Kind, connection, transaction, ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
    }

    /// <summary>Advisory lock key that serialises schema changes of all nodes (and the signing key's first write).</summary>
    public const long SchemaLockKey = 4711_00_0001;

    internal static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
