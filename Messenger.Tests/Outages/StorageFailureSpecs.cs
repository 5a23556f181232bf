using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Messenger.Tests.Outages;

/// <summary>What the outage log line names, from real errors of real databases (no server, a locked file, a read-only
/// connection, a refused row).</summary>
public sealed class StorageFailureSpecs : IDisposable
{
    private readonly string _dir = TempDirs.Create("messenger-failure");
    private string File => Path.Combine(_dir, "f.db");

    private static async Task<Exception> ErrorOf(Func<Task> action) => await Assert.ThrowsAnyAsync<Exception>(action);

    private async Task<SqliteConnection> OpenAsync(SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = File, Mode = mode, Pooling = false, DefaultTimeout = 1 }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task RunAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task No_PostgreSQL_server_listening_is_unreachable_and_a_lost_connection()
    {
        var error = await ErrorOf(async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={MessengerServer.FreePort()};Username=x;Timeout=5");
            await connection.OpenAsync();
        });
        Assert.Equal(StorageFailureCause.Unreachable, StorageFailure.CauseOf(error));
        Assert.True(StorageFailure.IsConnectionLost(error));
        Assert.Equal("database unreachable", StorageFailure.Describe(StorageFailure.CauseOf(error)));
    }

    [Fact]
    public async Task A_SQLite_file_another_connection_holds_the_write_lock_of_is_locked()
    {
        await using var holder = await OpenAsync();
        await RunAsync(holder, "PRAGMA journal_mode=WAL; CREATE TABLE t (k INTEGER PRIMARY KEY)");
        await RunAsync(holder, "BEGIN EXCLUSIVE");
        await using var writer = await OpenAsync();
        var error = await ErrorOf(() => RunAsync(writer, "INSERT INTO t VALUES (1)"));
        Assert.Equal(StorageFailureCause.Locked, StorageFailure.CauseOf(error));
        Assert.False(StorageFailure.IsConnectionLost(error));
    }

    [Fact]
    public async Task A_read_only_SQLite_file_is_read_only_and_a_refused_row_is_no_outage()
    {
        await using (var setup = await OpenAsync())
        {
            await RunAsync(setup, "CREATE TABLE t (k INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)");
            var duplicate = await ErrorOf(() => RunAsync(setup, "INSERT INTO t VALUES (1)"));
            Assert.Equal(StorageFailureCause.Other, StorageFailure.CauseOf(duplicate));
        }
        await using var readOnly = await OpenAsync(SqliteOpenMode.ReadOnly);
        var error = await ErrorOf(() => RunAsync(readOnly, "INSERT INTO t VALUES (2)"));
        Assert.Equal(StorageFailureCause.ReadOnly, StorageFailure.CauseOf(error));
    }

    public void Dispose() => TempDirs.TryDelete(_dir);
}
