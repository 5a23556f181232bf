using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Attachments;

/// <summary>
/// A running messenger on one kind of journal database, shared by one spec class, plus direct access to that database
/// (to count what the attachment store holds). <see cref="StartAnotherAsync"/> starts a further node on a fresh database,
/// for specs that need other settings.
/// </summary>
public abstract class AttachmentServer : IAsyncLifetime
{
    private readonly List<MessengerServer> _others = [];

    public MessengerServer Server { get; private set; } = null!;
    public JournalDatabase Database { get; private set; } = null!;
    public Uri BaseUrl => Server.BaseUrl;

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        (Server, Database) = await StartAnotherAsync();
    }

    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>A new node on a new, empty database of this kind.</summary>
    public abstract Task<(MessengerServer Server, JournalDatabase Database)> StartAnotherAsync(params string[] extraArgs);

    protected async Task<(MessengerServer, JournalDatabase)> Track(Task<(MessengerServer Server, JournalDatabase Database)> starting)
    {
        var started = await starting;
        lock (_others) _others.Add(started.Server);
        return started;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var server in _others) await server.DisposeAsync();
    }
}

public sealed class SqliteAttachmentServer : AttachmentServer
{
    public override Task<(MessengerServer Server, JournalDatabase Database)> StartAnotherAsync(params string[] extraArgs) =>
        Track(StartAsync(extraArgs));

    private static async Task<(MessengerServer, JournalDatabase)> StartAsync(string[] extraArgs)
    {
        var server = await MessengerServer.StartAsync(null, extraArgs);
        return (server, new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(server.DataDir)));
    }
}

/// <summary>A throwaway PostgreSQL server of its own (so these specs run beside the Postgres collection).</summary>
public sealed class PostgresAttachmentServer : AttachmentServer
{
    private readonly PostgresServer _postgres = new();

    protected override Task PrepareAsync() => _postgres.InitializeAsync();

    public override Task<(MessengerServer Server, JournalDatabase Database)> StartAnotherAsync(params string[] extraArgs) =>
        Track(StartAsync(extraArgs));

    private async Task<(MessengerServer, JournalDatabase)> StartAsync(string[] extraArgs)
    {
        var connectionString = await _postgres.CreateDatabaseAsync("att");
        var server = await MessengerServer.StartAsync(null,
            ["--Messenger:Journal", "postgresql", "--Messenger:ConnectionString", connectionString, .. extraArgs]);
        return (server, new JournalDatabase(JournalKind.PostgreSql, connectionString));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
