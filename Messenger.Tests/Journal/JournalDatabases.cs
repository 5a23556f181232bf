using Akka.Configuration;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Journal;

/// <summary>A fresh database for a journal spec (a temp SQLite data dir, or a database on the test run's PostgreSQL)
/// and the actor-system config that puts Messenger's journal and snapshot store on it.</summary>
public sealed class JournalDatabases : IDisposable
{
    private readonly string? _dir;

    private JournalDatabases(JournalDatabase database, string? dir)
    {
        Database = database;
        _dir = dir;
    }

    public JournalDatabase Database { get; }

    public static JournalDatabases Sqlite()
    {
        var dir = TempDirs.Create("journal-spec");
        return new JournalDatabases(new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(dir)), dir);
    }

    public static JournalDatabases Postgres(PostgresServer postgres) =>
        new(new JournalDatabase(JournalKind.PostgreSql, postgres.CreateDatabaseAsync("journal").GetAwaiter().GetResult()), null);

    /// <summary>The production plugin config plus what the TCK cases need: plugin commands published on the event
    /// stream, and the TCK's serializer for events that carry actor refs.</summary>
    public Config TckConfig() => ConfigurationFactory.ParseString($$"""
            akka.persistence.publish-plugin-commands = on
            akka.actor {
              serializers { persistence-tck-test = "{{typeof(TckSerializer).AssemblyQualifiedName}}" }
              serialization-bindings { "{{typeof(TckPayload).AssemblyQualifiedName}}" = persistence-tck-test }
            }
            """)
        .WithFallback(InboxConfigs.SqlJournal(Database));

    public void Dispose()
    {
        if (_dir is null) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirs.TryDelete(_dir);
    }
}
