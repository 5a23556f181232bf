using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Messenger.Node.Storage;
using Messenger.Node.Storage.Journal;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Journal;

/// <summary>
/// The journal's group commit: writes of many persistence ids pending at once share one transaction, and a write the
/// database refuses for one persistence id (a stale incarnation's sequence number) fails only that write.
/// </summary>
public abstract class GroupCommitSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly JournalDatabases _databases;

    protected GroupCommitSpecs(JournalDatabases databases, ITestOutputHelper output)
        : base(databases.TckConfig(), "GroupCommit", output)
    {
        _databases = databases;
    }

    private IActorRef Journal => Persistence.Instance.Apply(Sys).JournalFor(null);
    private JournalStore Store => JournalStorage.Get(Sys).For(_databases.Database);

    protected override void AfterAll()
    {
        base.AfterAll();
        _databases.Dispose();
    }

    private static AtomicWrite Write(string pid, params long[] seqNrs) =>
        new(seqNrs.Select(n => (IPersistentRepresentation)new Persistent($"{pid}-{n}", n, pid, string.Empty, false, ActorRefs.NoSender, "w"))
            .ToImmutableList());

    private List<string> Replay(string pid)
    {
        var probe = CreateTestProbe();
        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, pid, probe.Ref));
        var payloads = new List<string>();
        while (probe.ExpectMsg<object>(Wait) is ReplayedMessage replayed) payloads.Add((string)replayed.Persistent.Payload);
        return payloads;
    }

    [Fact]
    public void A_write_refused_for_one_persistence_id_fails_only_that_write_of_its_batch()
    {
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages(new[] { Write("stale", 1) }, probe.Ref, 1));
        probe.ExpectMsg<WriteMessagesSuccessful>(Wait);
        probe.ExpectMsg<WriteMessageSuccess>();

        // One WriteMessages is one request to the writer, so all three writes are in the same batch. The first takes a
        // sequence number that is already stored, as an old incarnation of a moved inbox would.
        Journal.Tell(new WriteMessages(new[] { Write("stale", 1), Write("fresh", 1), Write("pair", 1, 2) }, probe.Ref, 2));
        probe.ExpectMsg<WriteMessagesSuccessful>(Wait);
        probe.ExpectMsg<WriteMessageRejected>(m => m.Persistent.PersistenceId == "stale" && m.Cause != null);
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.PersistenceId == "fresh");
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.PersistenceId == "pair" && m.Persistent.SequenceNr == 1);
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.PersistenceId == "pair" && m.Persistent.SequenceNr == 2);

        Assert.Equal(["stale-1"], Replay("stale"));
        Assert.Equal(["fresh-1"], Replay("fresh"));
        Assert.Equal(["pair-1", "pair-2"], Replay("pair"));
    }

    [Fact]
    public async Task Writes_of_many_persistence_ids_pending_together_share_a_transaction()
    {
        await Store.ReadyAsync();
        var before = Store.Writer.Transactions;
        var items = Enumerable.Range(0, 300)
            .Select(i => new EventsItem([new EventRow($"inbox-{i}", 1, DateTime.UtcNow.Ticks, "w", null, 0, "", [1, 2, 3], null)]))
            .ToList();
        // Another connection holds the write lock, so the writer's first commit waits: meanwhile every other write is
        // submitted (WriteAsync queues before it returns) and must go out together with the next commit.
        List<Task> writes;
        await using (await HoldWriteLockAsync())
            writes = items.Select(item => Store.Writer.WriteAsync([item])).ToList();
        await Task.WhenAll(writes);

        Assert.All(items, item => Assert.Null(item.Error));
        Assert.InRange(Store.Writer.Transactions - before, 1, 2);
        Assert.Equal(300, await CountAsync("SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE 'inbox-%'"));
    }

    [Fact]
    public async Task Persistent_actors_writing_at_once_are_committed_in_fewer_transactions_than_writes()
    {
        await Store.ReadyAsync();
        var before = Store.Writer.Transactions;
        var actors = Enumerable.Range(0, 100).Select(i => Sys.ActorOf(Props.Create(() => new Writer($"writer-{i}")))).ToList();
        var acks = actors.Select(a => a.Ask<string>("event", Wait)).ToList();
        await Task.WhenAll(acks);

        Assert.InRange(Store.Writer.Transactions - before, 1, 99);
        Assert.Equal(100, await CountAsync("SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE 'writer-%'"));
    }

    /// <summary>A transaction of another connection that blocks the journal's writes until disposed.</summary>
    private async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = await _databases.Database.OpenAsync();
        var transaction = await connection.BeginTransactionAsync(); // SQLite: BEGIN IMMEDIATE, the database's write lock
        if (_databases.Database.Kind == JournalKind.PostgreSql)
        {
            await using var lockTable = StorageSql.Command(connection, "LOCK TABLE event_journal IN EXCLUSIVE MODE");
            lockTable.Transaction = transaction;
            await lockTable.ExecuteNonQueryAsync();
        }
        return new Held(connection, transaction);
    }

    private sealed class Held(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _databases.Database.OpenAsync();
        await using var command = StorageSql.Command(connection, sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private sealed class Writer : ReceivePersistentActor
    {
        public Writer(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<string>(e => Persist(e, _ => Sender.Tell("stored")));
        }

        public override string PersistenceId { get; }
    }
}

public sealed class SqliteGroupCommitSpecs(ITestOutputHelper output) : GroupCommitSpecs(JournalDatabases.Sqlite(), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresGroupCommitSpecs(PostgresServer postgres, ITestOutputHelper output)
    : GroupCommitSpecs(JournalDatabases.Postgres(postgres), output);
