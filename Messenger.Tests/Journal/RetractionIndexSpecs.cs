using Akka.Actor;
using Akka.Persistence;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Journal;

/// <summary>
/// A retracted recipient copy read from storage (past the inbox's in-memory window): the original is flagged in
/// history and sync, the retraction takes its own inbox position, and a key lookup finds the retraction.
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

        var found = await archive.FindByKeyAsync("inbox-bob", "bob", "alice", withdrawn.ClientMessageId, 1);
        Assert.NotNull(found);
        Assert.True(found.Retracted);
        Assert.Equal(4, found.Seq);
        var foundKept = await archive.FindByKeyAsync("inbox-bob", "bob", "alice", kept.ClientMessageId, 1);
        Assert.False(foundKept!.Retracted);
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
