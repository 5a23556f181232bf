using System.Collections.Concurrent;
using Akka.Actor;
using Messenger.Node.Storage.Migration;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// The databases an actor system writes to, one <see cref="JournalStore"/> each, shared by the journal, the snapshot
/// store and the inbox archive: one writer loop per database, one schema preparation and migration before first use.
/// </summary>
public sealed class JournalStorage : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<string, Lazy<JournalStore>> _stores = new();

    public JournalStorage(ExtendedActorSystem system)
    {
        _system = system;
        system.RegisterOnTermination(() =>
        {
            foreach (var store in _stores.Values.Where(s => s.IsValueCreated))
                _ = store.Value.Writer.DisposeAsync().AsTask();
        });
    }

    public static JournalStorage Get(ActorSystem system) => system.WithExtension<JournalStorage, JournalStorageProvider>();

    public JournalStore For(JournalDatabase database) =>
        _stores.GetOrAdd(database.ConnectionString, _ => new Lazy<JournalStore>(() => new JournalStore(database, _system))).Value;
}

public sealed class JournalStorageProvider : ExtensionIdProvider<JournalStorage>
{
    public override JournalStorage CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>One database: its writer and its readiness (schema prepared, old journal migrated).</summary>
public sealed class JournalStore
{
    private readonly ExtendedActorSystem _system;
    private readonly object _gate = new();
    private Task? _ready;

    internal JournalStore(JournalDatabase database, ExtendedActorSystem system)
    {
        Database = database;
        _system = system;
        Writer = new JournalWriter(database, Akka.Event.Logging.GetLogger(system, typeof(JournalWriter)));
    }

    public JournalDatabase Database { get; }
    public JournalWriter Writer { get; }

    /// <summary>Completes once the schema exists and the previous journal's data is migrated; retried after a failure.</summary>
    public Task ReadyAsync()
    {
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled) _ready = PrepareAsync();
            return _ready;
        }
    }

    /// <summary>
    /// Readiness: a real write, committed by the writer loop like every event (same connection, same durability), so
    /// it says whether the node can store, not merely reach the database. Throws with the cause when it cannot.
    /// </summary>
    public async Task ProbeWriteAsync(CancellationToken ct)
    {
        await ReadyAsync().WaitAsync(ct);
        var item = new StatementsItem(0, (
            "INSERT INTO messenger_settings (name, value) VALUES ('readiness-probe', @at) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [("at", DateTime.UtcNow.ToString("O"))]));
        try
        {
            await Writer.WriteAsync([item]).WaitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException(StorageFailure.Describe(StorageFailure.CauseOf(e)) + ": " + e.GetBaseException().Message, e);
        }
        if (item.Error is not null) throw item.Error;
    }

    private async Task PrepareAsync()
    {
        await Database.PrepareAsync();
        await LegacyJournalMigration.RunAsync(Database, _system.Serialization);
    }
}
