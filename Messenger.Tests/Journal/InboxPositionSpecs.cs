using Akka.Actor;
using Akka.Persistence;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Journal;

/// <summary>
/// Sync past the in-memory window reads the primary key from the inbox's checkpoint (no inbox position index): it
/// finds every position after the one asked for, in order, across other events; a database that still has the
/// index from an earlier version loses it when the schema is prepared.
/// </summary>
public abstract class InboxPositionSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly JournalDatabases _databases;

    protected InboxPositionSpecs(JournalDatabases databases, ITestOutputHelper output)
        : base(databases.TckConfig(), "InboxPosition", output)
    {
        _databases = databases;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _databases.Dispose();
    }

    private static ChatMessage Message(int n) => new(
        Guid.NewGuid(), Guid.NewGuid(), "dm:alice:bob", "alice", "bob", $"message {n}", DateTime.UtcNow, $"{n:x16}{n:x8}");

    [Fact]
    public async Task Sync_finds_the_positions_after_the_one_asked_for_from_the_checkpoint_hint_in_order()
    {
        var messages = Enumerable.Range(1, 6).Select(Message).ToList();
        // Journal sequence numbers 1..9: positions 1..6 with other events between them.
        var events = new object[]
        {
            new UserEvents.MessageStored(messages[0], 1, AwaitingSenderCopy: false),
            new UserEvents.SenderCopiesConfirmed([messages[0].MessageId]),
            new UserEvents.MessageStored(messages[1], 2, AwaitingSenderCopy: false),
            new UserEvents.MessageStored(messages[2], 3, AwaitingSenderCopy: false),
            new UserEvents.SenderCopiesConfirmed([messages[1].MessageId, messages[2].MessageId]),
            new UserEvents.MessageStored(messages[3], 4, AwaitingSenderCopy: false),
            new UserEvents.MessageRetracted(messages[3], 5),
            new UserEvents.SenderCopiesConfirmed([messages[3].MessageId]),
            new UserEvents.MessageStored(messages[4], 6, AwaitingSenderCopy: false),
        };
        var writer = Sys.ActorOf(Props.Create(() => new EventWriter("inbox-bob")));
        await writer.Ask<Akka.Done>(events, Wait);
        var archive = new InboxArchive(_databases.Database, Sys);

        var all = await archive.InboxAfterAsync("inbox-bob", journalHint: 1, afterSeq: 0, limit: 10);
        Assert.Equal([1L, 2, 3, 4, 5, 6], all.Select(m => m.Seq));

        // The hint is the journal position of position 3 (sequence number 4); positions after 3 from there.
        var fromHint = await archive.InboxAfterAsync("inbox-bob", journalHint: 4, afterSeq: 3, limit: 2);
        Assert.Equal([4L, 5], fromHint.Select(m => m.Seq));
        Assert.True(fromHint[1].Retracted);

        var rest = await archive.InboxAfterAsync("inbox-bob", journalHint: 4, afterSeq: 5, limit: 10);
        Assert.Equal([6L], rest.Select(m => m.Seq));
        Assert.Empty(await archive.InboxAfterAsync("inbox-bob", journalHint: 9, afterSeq: 6, limit: 10));
    }

    [Fact]
    public async Task A_database_with_the_old_inbox_position_index_loses_it_when_the_schema_is_prepared()
    {
        var database = _databases.Database;
        await database.PrepareAsync();
        await ExecuteAsync(database,
            "CREATE INDEX event_journal_inbox ON event_journal (persistence_id, inbox_seq) WHERE inbox_seq IS NOT NULL");
        Assert.Equal(1L, await IndexCountAsync(database));

        await database.PrepareAsync();

        Assert.Equal(0L, await IndexCountAsync(database));
    }

    private static async Task<long> IndexCountAsync(JournalDatabase database) => Convert.ToInt64(await ScalarAsync(database,
        database.Kind == JournalKind.Sqlite
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'event_journal_inbox'"
            : "SELECT count(*) FROM pg_indexes WHERE indexname = 'event_journal_inbox'"));

    private static async Task ExecuteAsync(JournalDatabase database, string sql) => await ScalarAsync(database, sql);

    private static async Task<object?> ScalarAsync(JournalDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private sealed class EventWriter : ReceivePersistentActor
    {
        public EventWriter(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<object[]>(events =>
            {
                var replyTo = Sender;
                PersistAll(events, e =>
                {
                    if (ReferenceEquals(e, events[^1])) replyTo.Tell(Akka.Done.Instance);
                });
            });
        }

        public override string PersistenceId { get; }
    }
}

public sealed class SqliteInboxPositionSpecs(ITestOutputHelper output) : InboxPositionSpecs(JournalDatabases.Sqlite(), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresInboxPositionSpecs(PostgresServer postgres, ITestOutputHelper output)
    : InboxPositionSpecs(JournalDatabases.Postgres(postgres), output);
