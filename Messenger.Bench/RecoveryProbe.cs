using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Hosting;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;

namespace Messenger.Bench;

/// <summary>
/// <c>--mode recovery</c>: how long a user with a long history takes to answer after passivation. Seeds one inbox
/// with N stored messages straight into a SQLite journal (the same events and snapshot cadence the inbox
/// writes), then starts and stops the real UserInbox repeatedly, timing "start → first answer".
/// Runs in-process against a temp data dir: it measures the node's recovery path, not the network.
/// </summary>
public static class RecoveryProbe
{
    public static bool Requested(string[] args) =>
        args.Select((a, i) => (a, i)).Any(x => x.a == "--mode" && x.i + 1 < args.Length && args[x.i + 1] == "recovery");

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = IntArg(args, "--messages", 100_000);
        var runs = IntArg(args, "--runs", 10);
        // --data-dir DIR --user NAME: seed that user's inbox in an existing data dir and keep it (to measure recovery
        // over HTTP after starting the server on it); otherwise a temp dir, deleted at the end.
        var keepDir = StringArg(args, "--data-dir");
        var user = StringArg(args, "--user") ?? "alice";
        var dir = keepDir ?? Path.Combine(Path.GetTempPath(), $"messenger-recovery-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var database = new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(dir));
        await database.PrepareAsync();
        var settings = new SendSettings();
        var hocon = Path.Combine(AppContext.BaseDirectory, "hocon");
        var config = ConfigurationFactory.ParseString("""
                akka.actor.provider = local
                akka.loglevel = WARNING
                """)
            .WithFallback(MessengerAkka.JournalConnection(database))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(hocon, "sqlite.conf"))))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(hocon, "serialization.conf"))));
        using var system = ActorSystem.Create("recovery", config);
        try
        {
            var seeding = Stopwatch.StartNew();
            var seeder = system.ActorOf(Props.Create(() => new Seeder(user, settings.SnapshotEvery, settings.RecentWindow)));
            await seeder.Ask<Seeded>(new Seed(messages), TimeSpan.FromMinutes(30));
            await seeder.GracefulStop(TimeSpan.FromSeconds(10));
            Console.Error.WriteLine($"seeded {messages:N0} messages in {seeding.Elapsed.TotalSeconds:F1}s");

            var archive = new InboxArchive(database, system);
            var timings = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var started = Stopwatch.StartNew();
                var inbox = system.ActorOf(UserInbox.Props(user, ActorRefs.Nobody, archive, settings));
                var page = await inbox.Ask<UserReplies.ConversationsPage>(new Messenger.Messages.Users.UserQueries.GetConversations(user, 0, 20), TimeSpan.FromMinutes(1));
                timings.Add(started.Elapsed.TotalMilliseconds);
                if (page.Conversations.Count == 0) throw new InvalidOperationException("recovered inbox is empty");
                await inbox.GracefulStop(TimeSpan.FromSeconds(10));
                Console.Error.WriteLine($"run {run + 1}: first answer after {timings[^1]:F1} ms");
            }
            timings.Sort();
            var summary = new
            {
                mode = "recovery",
                messages,
                runs,
                firstAnswerMs = new { p50 = timings[timings.Count / 2], max = timings[^1], min = timings[0] },
            };
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return 0;
        }
        finally
        {
            await system.Terminate();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keepDir is null) Directory.Delete(dir, recursive: true);
        }
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed record Seed(int Count);
    private sealed record Seeded;

    /// <summary>Writes what a real inbox would have written: InboxOpened, then messages with a few peers,
    /// with a snapshot every <c>snapshotEvery</c> events.</summary>
    private sealed class Seeder : ReceivePersistentActor
    {
        private readonly string _userId;
        private readonly int _snapshotEvery;
        private readonly InboxState _state;
        private IActorRef? _replyTo;
        private int _remaining;
        private long _clock = ConversationOrder.Next(0, DateTime.UtcNow);

        public Seeder(string userId, int snapshotEvery, int window)
        {
            _userId = userId;
            _snapshotEvery = snapshotEvery;
            _state = new InboxState(userId, window);
            Command<Seed>(seed =>
            {
                _replyTo = Sender;
                _remaining = seed.Count;
                Persist(new UserEvents.InboxOpened(_userId, DateTime.UtcNow), e => _state.Apply(e, LastSequenceNr));
                WriteBatch();
            });
            Command<SaveSnapshotSuccess>(_ => { });
        }

        public override string PersistenceId => "inbox-" + _userId;

        private void WriteBatch()
        {
            var batch = new List<UserEvents.MessageStored>();
            var count = Math.Min(_snapshotEvery - (int)(LastSequenceNr % _snapshotEvery) - 1, _remaining);
            count = Math.Max(count, 1);
            for (var i = 0; i < count; i++)
            {
                var n = _remaining - i;
                var peer = $"peer{n % 5}";
                var (from, to) = n % 2 == 0 ? (peer, _userId) : (_userId, peer);
                var id = Guid.NewGuid();
                var message = new ChatMessage(id, Guid.NewGuid(), ConversationId.Direct(_userId, peer), from, to,
                    new string('x', 100), DateTime.UtcNow, ConversationOrder.Format(++_clock, id));
                // No tags: the journal indexes a stored message by its own columns (README "Storage").
                batch.Add(new UserEvents.MessageStored(message, _state.Seq + i + 1, AwaitingSenderCopy: false));
            }
            _remaining -= count;
            var last = batch.Count;
            var done = 0;
            PersistAll(batch, stored =>
            {
                _state.Apply(stored, LastSequenceNr);
                if (++done < last) return;
                if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
                if (_remaining > 0) WriteBatch();
                else _replyTo!.Tell(new Seeded());
            });
        }
    }
}
