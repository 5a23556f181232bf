using Messenger.Node.Accounts;
using Messenger.Node.Storage;

namespace Messenger.Node.Hosting;

/// <summary>The "Messenger" configuration section: appsettings.json, Messenger__* variables, --Messenger:* arguments.</summary>
public sealed class MessengerOptions
{
    public string DataDir { get; set; } = "./data";

    /// <summary><c>sqlite</c> (default, a file under <see cref="DataDir"/>) or <c>postgresql</c>.</summary>
    public string Journal { get; set; } = "sqlite";

    /// <summary>Required for postgresql; for sqlite defaults to <c>DataDir/messenger.db</c>.</summary>
    public string? ConnectionString { get; set; }

    public ClusterSettings Cluster { get; set; } = new();
    public AuthSettings Auth { get; set; } = new();
    public InboxSettings Inbox { get; set; } = new();
    public SendRateSettings SendRate { get; set; } = new();
    public SignInLimits SignIn { get; set; } = new();

    /// <summary>SQLite <c>synchronous</c>: FULL (default, survives power loss) or NORMAL (survives a process crash).</summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>Sends in flight on one web node; past it a send is answered <c>unavailable</c> at once (load shedding).</summary>
    public int MaxSendsInFlight { get; set; } = 5000;

    /// <summary>WebSocket connections one node accepts; past it upgrades get 503 (a process may open 20,000 files).</summary>
    public int MaxConnections { get; set; } = 15000;

    public sealed class ClusterSettings
    {
        public string Hostname { get; set; } = "127.0.0.1";

        /// <summary>Akka remoting port; 0 picks a free one (fine for a single node).</summary>
        public int Port { get; set; }

        /// <summary>Comma-separated host:port; empty means this node founds its own one-node cluster.</summary>
        public string SeedNodes { get; set; } = string.Empty;

        /// <summary><c>shard</c>, <c>web</c> or <c>shard,web</c>.</summary>
        public string Roles { get; set; } = "shard,web";

        public int Shards { get; set; } = 100;
    }

    public sealed class AuthSettings
    {
        /// <summary>Base64, at least 32 bytes. When absent the key is kept in the journal database (shared by all nodes).</summary>
        public string? SigningKey { get; set; }

        public double TokenLifetimeHours { get; set; } = 24 * 7;
    }

    /// <summary>Sends per user per web node: a token bucket, past it <c>rate_limited</c>.</summary>
    public sealed class SendRateSettings
    {
        public double PerSecond { get; set; } = 100;
        public double Burst { get; set; } = 200;
    }

    public sealed class InboxSettings
    {
        public double SendDeadlineSeconds { get; set; } = 5;
        public int RecentWindow { get; set; } = 200;
        public int SnapshotEvery { get; set; } = 1000;
        public double PassivateAfterSeconds { get; set; } = 120;
    }

    public bool HasRole(string role) =>
        Cluster.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(role, StringComparer.OrdinalIgnoreCase);

    public JournalKind JournalKind => Journal.Equals("postgresql", StringComparison.OrdinalIgnoreCase)
        ? JournalKind.PostgreSql
        : JournalKind.Sqlite;

    public string ResolvedConnectionString => JournalKind == JournalKind.Sqlite
        ? ConnectionString ?? Storage.JournalDatabase.SqliteConnectionString(DataDir)
        : ConnectionString ?? throw new InvalidOperationException("Messenger:ConnectionString is required for the postgresql journal");
}
