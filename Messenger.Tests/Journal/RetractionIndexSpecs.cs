using Akka.Actor;
using Akka.Persistence;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Storage;
using Messenger.Node.Storage.Journal;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Journal;

/// <summary>
/// A retracted recipient copy read from storage (past the inbox's in-memory window): the original is flagged in
/// history and sync, the retraction takes its own inbox position, and a key lookup finds the retraction. Keys are found
/// through the conversation index: in one conversation, or in all of them for the inbox owner's own keys.
/// </summary>
public abstract class RetractionIndexSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly JournalDatabases _databases;

    protected RetractionIndexSpecs(JournalDatabases databases, ITestOutputHelper output)
        : base(databases.TckConfig(), "RetractionIndex", output)
    {
        _databases = databases;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _databases.Dispose();
    }

    private static ChatMessage Message(int n, string order) => new(
        Guid.NewGuid(), Guid.NewGuid(), "dm:alice:bob", "alice", "bob", $"message {n}", DateTime.UtcNow, order);

    [Fact]
    public async Task A_retraction_flags_the_original_in_history_and_sync_and_answers_key_lookups()
    {
        var kept = Message(1, "000000000000000100000001");
        var withdrawn = Message(2, "000000000000000200000002");
        var later = Message(3, "000000000000000300000003");
        var writer = Sys.ActorOf(Props.Create(() => new EventWriter("inbox-bob")));
        await writer.Ask<Akka.Done>(new object[]
        {
            new UserEvents.MessageStored(kept, 1, AwaitingSenderCopy: false),
            new UserEvents.MessageStored(withdrawn, 2, AwaitingSenderCopy: true),
            new UserEvents.MessageStored(later, 3, AwaitingSenderCopy: false),
            new UserEvents.MessageRetracted(withdrawn, 4),
        }, Wait);
        var archive = new InboxArchive(_databases.Database, Sys);

        var history = await archive.HistoryBeforeAsync("inbox-bob", "dm:alice:bob", 1, before: null, limit: 10);
        Assert.Equal([kept.MessageId, withdrawn.MessageId, later.MessageId], history.Select(m => m.Message.MessageId));
        Assert.Equal([false, true, false], history.Select(m => m.Retracted));

        var sync = await archive.InboxAfterAsync("inbox-bob", 1, afterSeq: 0, limit: 10);
        Assert.Equal([1L, 2, 3, 4], sync.Select(m => m.Seq));
        Assert.Equal([false, true, false, true], sync.Select(m => m.Retracted));
        Assert.Equal(withdrawn.MessageId, sync[3].Message.MessageId);

        foreach (var scope in new[] { "dm:alice:bob", null })
        {
            var found = await archive.FindByKeyAsync("inbox-bob", "alice", withdrawn.ClientMessageId, scope);
            Assert.NotNull(found);
            Assert.True(found.Retracted);
            Assert.Equal(4, found.Seq);
            var foundKept = await archive.FindByKeyAsync("inbox-bob", "alice", kept.ClientMessageId, scope);
            Assert.False(foundKept!.Retracted);
            Assert.Equal(1, foundKept.Seq);
        }
    }

    [Fact]
    public async Task A_key_is_found_in_its_own_conversation_or_in_every_one_and_only_under_its_sender()
    {
        var toCarol = new ChatMessage(Guid.NewGuid(), Guid.NewGuid(), "dm:bob:carol", "bob", "carol", "hi carol", DateTime.UtcNow,
            "000000000000000100000001");
        var fromAlice = Message(2, "000000000000000200000002");
        var writer = Sys.ActorOf(Props.Create(() => new EventWriter("inbox-bob")));
        await writer.Ask<Akka.Done>(new object[]
        {
            new UserEvents.MessageStored(toCarol, 1, AwaitingSenderCopy: false),
            new UserEvents.MessageStored(fromAlice, 2, AwaitingSenderCopy: true),
        }, Wait);
        var archive = new InboxArchive(_databases.Database, Sys);

        // Bob's own key is found wherever it was used (a reuse towards alice must be refused).
        Assert.Equal(toCarol.MessageId, (await archive.FindByKeyAsync("inbox-bob", "bob", toCarol.ClientMessageId, null))!.Message.MessageId);
        Assert.Equal(toCarol.MessageId,
            (await archive.FindByKeyAsync("inbox-bob", "bob", toCarol.ClientMessageId, "dm:bob:carol"))!.Message.MessageId);
        Assert.Null(await archive.FindByKeyAsync("inbox-bob", "bob", toCarol.ClientMessageId, "dm:alice:bob"));
        // A key names a message of one sender: the same UUID under another sender is another key.
        Assert.Null(await archive.FindByKeyAsync("inbox-bob", "alice", toCarol.ClientMessageId, null));
        Assert.Null(await archive.FindByKeyAsync("inbox-bob", "bob", fromAlice.ClientMessageId, null));
        Assert.Null(await archive.FindByKeyAsync("inbox-bob", "alice", Guid.NewGuid(), "dm:alice:bob"));
        Assert.Equal(fromAlice.MessageId,
            (await archive.FindByKeyAsync("inbox-bob", "alice", fromAlice.ClientMessageId, "dm:alice:bob"))!.Message.MessageId);
    }

    [Fact]
    public async Task A_journal_written_with_the_key_index_opens_with_its_retractions_flagged_and_the_old_indexes_gone()
    {
        var withdrawn = Message(1, "000000000000000100000001");
        var kept = Message(2, "000000000000000200000002");
        var writer = Sys.ActorOf(Props.Create(() => new EventWriter("inbox-bob")));
        await writer.Ask<Akka.Done>(new object[]
        {
            new UserEvents.MessageStored(withdrawn, 1, AwaitingSenderCopy: true),
            new UserEvents.MessageStored(kept, 2, AwaitingSenderCopy: false),
            new UserEvents.MessageRetracted(withdrawn, 3),
        }, Wait);
        // The layout before perf session 5: a retraction row without conversation or order, found through a key index.
        await ExecuteAsync(
            "UPDATE event_journal SET conversation_id = NULL, message_order = NULL WHERE persistence_id = 'inbox-bob' AND sequence_nr = 3",
            "CREATE INDEX event_journal_keys ON event_journal (persistence_id, sender_id, client_message_id) WHERE sender_id IS NOT NULL",
            "CREATE INDEX event_journal_history ON event_journal (persistence_id, conversation_id, message_order) WHERE conversation_id IS NOT NULL");
        var archive = new InboxArchive(_databases.Database, Sys);
        Assert.False((await archive.InboxAfterAsync("inbox-bob", 1, 0, 10))[0].Retracted); // what the old layout reads as now

        await _databases.Database.PrepareAsync();

        var history = await archive.HistoryBeforeAsync("inbox-bob", "dm:alice:bob", 1, before: null, limit: 10);
        Assert.Equal([(withdrawn.MessageId, true), (kept.MessageId, false)], history.Select(m => (m.Message.MessageId, m.Retracted)));
        Assert.Equal([true, false, true], (await archive.InboxAfterAsync("inbox-bob", 1, 0, 10)).Select(m => m.Retracted));
        Assert.Equal(3, (await archive.FindByKeyAsync("inbox-bob", "alice", withdrawn.ClientMessageId, null))!.Seq);
        Assert.Equal(0, await IndexCountAsync("event_journal_keys"));
        Assert.Equal(0, await IndexCountAsync("event_journal_history"));
        Assert.Equal(1, await IndexCountAsync("event_journal_conversation"));
        await _databases.Database.PrepareAsync(); // done once: a second start finds nothing to move
        Assert.Equal(3, (await archive.FindByKeyAsync("inbox-bob", "alice", withdrawn.ClientMessageId, "dm:alice:bob"))!.Seq);
    }

    private async Task ExecuteAsync(params string[] statements)
    {
        await using var connection = await _databases.Database.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = StorageSql.Command(connection, sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<long> IndexCountAsync(string name)
    {
        await using var connection = await _databases.Database.OpenAsync();
        await using var command = StorageSql.Command(connection, _databases.Database.Kind == JournalKind.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @name"
            : "SELECT COUNT(*) FROM pg_indexes WHERE indexname = @name", ("name", name));
        return Convert.ToInt64(await command.ExecuteScalarAsync());
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

public sealed class SqliteRetractionIndexSpecs(ITestOutputHelper output) : RetractionIndexSpecs(JournalDatabases.Sqlite(), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRetractionIndexSpecs(PostgresServer postgres, ITestOutputHelper output)
    : RetractionIndexSpecs(JournalDatabases.Postgres(postgres), output);
