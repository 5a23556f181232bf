using Akka.Configuration;
using Messenger.Node.Hosting;
using Messenger.Node.Storage;

namespace Messenger.Tests.Infrastructure;

/// <summary>Actor-system configs for entity specs: the production HOCON files, without the cluster.</summary>
public static class InboxConfigs
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static Config Hocon(string file) =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(RepoRoot, "hocon", file)));

    /// <summary>The real journal and snapshot store (SQLite or PostgreSQL profile) against <paramref name="database"/>.</summary>
    public static Config SqlJournal(JournalDatabase database)
    {
        var profile = database.Kind == JournalKind.Sqlite ? "sqlite.conf" : "postgresql.conf";
        return ConfigurationFactory.ParseString("""
                akka.actor.provider = local
                akka.loglevel = WARNING
                """)
            .WithFallback(MessengerAkka.JournalConnection(database))
            .WithFallback(Hocon(profile))
            .WithFallback(Hocon("serialization.conf"));
    }

    /// <summary>Akka.Persistence.TestKit's in-memory journal, whose writes can be made to fail.</summary>
    public static Config FaultyJournal() => ConfigurationFactory.ParseString("""
            akka.actor.provider = local
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "akka.persistence.journal.test"
            akka.persistence.journal.test.class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
            akka.persistence.journal.test.plugin-dispatcher = "akka.actor.default-dispatcher"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.test"
            akka.persistence.snapshot-store.test.class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
            akka.persistence.snapshot-store.test.plugin-dispatcher = "akka.actor.default-dispatcher"
            """).WithFallback(Hocon("serialization.conf"));

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Messenger.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Messenger.sln not found above " + AppContext.BaseDirectory);
    }
}
