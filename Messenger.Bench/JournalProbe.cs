using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Messenger.Node.Storage;
using Messenger.Node.Storage.Journal;

namespace Messenger.Bench;

/// <summary>
/// <c>--mode journal</c>: the SQLite journal's cost per message, in-process, without the network or the actors. 500
/// pairs of inboxes send to each other the way the saga writes: the recipient's copy, then the sender's copy (and every
/// second message a confirmation row), each write awaited like the inbox awaits its persist, all through the real
/// <see cref="JournalWriter"/> (group commit, synchronous=FULL). It reports process CPU per message over the second half
/// of the run (the indexes have grown by then): CPU time, unlike wall time, holds still on a box shared with builds.
/// </summary>
public static class JournalProbe
{
    private const int Inboxes = 1000;
    private const string WriterUuid = "92892d12-4cf3-492f-8c1c-bffa68a0f083";

    public static bool Requested(string[] args) =>
        args.Select((a, i) => (a, i)).Any(x => x.a == "--mode" && x.i + 1 < args.Length && args[x.i + 1] == "journal");

    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--messages");
        var messages = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 100_000;
        var dirAt = Array.IndexOf(args, "--data-dir");
        var keep = dirAt >= 0 && dirAt + 1 < args.Length;
        var dir = keep ? args[dirAt + 1] : Path.Combine(Path.GetTempPath(), $"messenger-journal-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var database = new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(dir));
        await database.PrepareAsync();
        var writer = new JournalWriter(database);
        var traffic = new Traffic();
        try
        {
            var half = messages / 2;
            var sent = 0;
            (TimeSpan Cpu, long Rows, long Transactions, double Seconds) mark = default;
            var clock = Stopwatch.StartNew();
            async Task SenderAsync(int user)
            {
                var peer = user % 2 == 0 ? user + 1 : user - 1;
                for (var n = Interlocked.Increment(ref sent); n <= messages; n = Interlocked.Increment(ref sent))
                {
                    if (n == half + 1)
                        mark = (Process.GetCurrentProcess().TotalProcessorTime, writer.Rows, writer.Transactions, clock.Elapsed.TotalSeconds);
                    await writer.WriteAsync([new EventsItem([traffic.Stored(peer, user)])]);
                    var senderCopy = new EventsItem([traffic.Stored(user, user)]);
                    await writer.WriteAsync(n % 2 == 0 ? [senderCopy, new EventsItem([traffic.Confirmation(peer)])] : [senderCopy]);
                }
            }
            await Task.WhenAll(Enumerable.Range(0, Inboxes).Select(u => Task.Run(() => SenderAsync(u))));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - mark.Cpu;
            var (rows, transactions) = (writer.Rows - mark.Rows, writer.Transactions - mark.Transactions);
            var seconds = clock.Elapsed.TotalSeconds - mark.Seconds;
            var measured = messages - half;
            Console.Error.WriteLine($"journal: {measured:N0} messages measured, {rows:N0} rows in {transactions:N0} transactions; " +
                                    $"{cpu.TotalMilliseconds * 1000 / measured:F1} µs CPU per message; {measured / seconds:F0} messages/s");
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                mode = "journal",
                messages = measured,
                rows,
                transactions,
                rowsPerMessage = Math.Round((double)rows / measured, 3),
                rowsPerTransaction = Math.Round((double)rows / Math.Max(1, transactions), 1),
                cpuMicrosecondsPerMessage = Math.Round(cpu.TotalMilliseconds * 1000 / measured, 1),
                messagesPerSecond = Math.Round(measured / seconds, 0),
            }));
            return 0;
        }
        finally
        {
            await writer.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (!keep) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Rows shaped like the inbox's: 227-byte payloads, the bench's user names, index columns on stored copies.</summary>
    private sealed class Traffic
    {
        private readonly long[] _sequenceNr = new long[Inboxes];
        private readonly long[] _inboxSeq = new long[Inboxes];
        private readonly byte[] _payload = RandomBytes(227);
        private long _clock = 0x01a22d4b89370000;

        public EventRow Stored(int inbox, int from)
        {
            var peer = inbox % 2 == 0 ? inbox + 1 : inbox - 1;
            var (a, b) = (Math.Min(inbox, peer), Math.Max(inbox, peer));
            var order = Interlocked.Increment(ref _clock).ToString("x16", CultureInfo.InvariantCulture) + "667f8a14";
            return new EventRow($"inbox-bj_{inbox}", Interlocked.Increment(ref _sequenceNr[inbox]), DateTime.UtcNow.Ticks, WriterUuid, null,
                9001, "u-stored", _payload,
                new InboxIndex($"dm:bj_{a}:bj_{b}", order, $"bj_{from}", Guid.NewGuid(), Interlocked.Increment(ref _inboxSeq[inbox])));
        }

        public EventRow Confirmation(int inbox) =>
            new($"inbox-bj_{inbox}", Interlocked.Increment(ref _sequenceNr[inbox]), DateTime.UtcNow.Ticks, WriterUuid, null,
                9001, "u-confirmed", _payload[..40], null);

        private static byte[] RandomBytes(int n)
        {
            var bytes = new byte[n];
            new Random(1).NextBytes(bytes);
            return bytes;
        }
    }
}
