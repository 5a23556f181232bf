using Akka.Actor;
using Messenger.Node.Storage;
using Messenger.Node.Storage.Migration;
using Messenger.Tests.Infrastructure;
using Npgsql;

namespace Messenger.Tests.Journal;

/// <summary>
/// Existing data keeps working: a data dir or PostgreSQL database written by the previous version (Akka.Persistence.Sql
/// tables) opens with this one, is migrated on first start, once, and keeps every account, message, key and token.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LegacyMigrationSpecs(PostgresServer postgres)
{
    private readonly LegacyFixture _fixture = new();

    private static readonly string[] SmallWindow = ["--Messenger:Inbox:RecentWindow", "4"];

    [Fact]
    public async Task A_data_dir_written_by_the_previous_version_keeps_accounts_messages_keys_and_tokens()
    {
        var dir = LegacyFixture.CopyDataDir();
        try
        {
            await using (var server = await MessengerServer.StartAsync(dir, SmallWindow))
                await _fixture.AssertEverythingKeptAsync(server.BaseUrl);

            var database = new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(dir));
            await using var connection = await database.OpenAsync();
            // Migrated once: every old event is in the new journal, plus what the test itself wrote (a message: 2 events).
            var legacyEvents = await ScalarAsync(connection, "SELECT COUNT(*) FROM journal");
            Assert.Equal(63, legacyEvents);
            Assert.True(await ScalarAsync(connection, "SELECT COUNT(*) FROM event_journal") >= legacyEvents + 2);
            Assert.Equal(1, await ScalarAsync(connection,
                $"SELECT COUNT(*) FROM messenger_settings WHERE name = '{LegacyJournalMigration.Marker}'"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempDirs.TryDelete(dir);
        }
    }

    [Fact]
    public async Task A_PostgreSQL_database_written_by_the_previous_version_keeps_accounts_messages_keys_and_tokens()
    {
        var connectionString = await postgres.CreateDatabaseAsync("legacy");
        await LegacyPostgresDatabase.FillAsync(connectionString);
        string[] args = ["--Messenger:Journal", "postgresql", "--Messenger:ConnectionString", connectionString, .. SmallWindow];

        await using (var server = await MessengerServer.StartAsync(null, args))
            await _fixture.AssertEverythingKeptAsync(server.BaseUrl);
    }

    [Fact]
    public async Task Nodes_starting_together_on_an_old_PostgreSQL_database_migrate_it_exactly_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync("legacy");
        await LegacyPostgresDatabase.FillAsync(connectionString);
        var database = new JournalDatabase(JournalKind.PostgreSql, connectionString);
        using var system = ActorSystem.Create("migration", InboxConfigs.Hocon("serialization.conf"));
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await database.PrepareAsync();
                await LegacyJournalMigration.RunAsync(database, system.Serialization);
            })));
            await LegacyJournalMigration.RunAsync(database, system.Serialization);

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            Assert.Equal(await ScalarAsync(connection, "SELECT COUNT(*) FROM journal"),
                await ScalarAsync(connection, "SELECT COUNT(*) FROM event_journal"));
            Assert.Equal(await ScalarAsync(connection, "SELECT COUNT(*) FROM snapshot"),
                await ScalarAsync(connection, "SELECT COUNT(*) FROM snapshot_store"));
            // Every stored message got its index columns from its event, not from the old tag rows.
            Assert.Equal(2 * 25, await ScalarAsync(connection, "SELECT COUNT(*) FROM event_journal WHERE conversation_id IS NOT NULL"));
            Assert.Equal(2 * 25, await ScalarAsync(connection,
                "SELECT COUNT(*) FROM event_journal WHERE sender_id IS NOT NULL AND client_message_id IS NOT NULL AND inbox_seq IS NOT NULL"));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
