using Messenger.Node.Storage;

namespace Messenger.Tests.Infrastructure;

/// <summary>Prepared journal databases for entity specs (their constructors cannot await).</summary>
public static class SpecDatabases
{
    public static JournalDatabase Prepared(JournalDatabase database)
    {
        database.PrepareAsync().GetAwaiter().GetResult();
        return database;
    }

    /// <summary>A real SQLite file in <paramref name="dir"/>.</summary>
    public static JournalDatabase Sqlite(string dir) =>
        Prepared(new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(dir)));

    /// <summary>A fresh database on the shared throwaway PostgreSQL server.</summary>
    public static JournalDatabase Postgres(PostgresServer postgres, string name) =>
        Prepared(new JournalDatabase(JournalKind.PostgreSql, postgres.CreateDatabaseAsync(name).GetAwaiter().GetResult()));
}
