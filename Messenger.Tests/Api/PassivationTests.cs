using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Api;

/// <summary>
/// Live pushes across inbox incarnations, over the public API only: with a very short idle time, a user's inbox
/// passivates between a device's disconnect and the next device's connect, so connects race passivation again and
/// again. A device counts as connected from the moment its upgrade is accepted (API.md): whichever incarnation
/// answers, every message stored afterwards must reach it live, without the client sending <c>sync</c>.
/// </summary>
public sealed class PassivationTests(ITestOutputHelper output)
{
    private const int Pairs = 8;
    private const int Rounds = 60;

    /// <summary>Longer than the bridge's periodic re-attach (10 s): a message that misses it was never pushed.</summary>
    private static readonly TimeSpan LiveBound = TimeSpan.FromSeconds(15);

    private const string ShortIdle = "--Messenger:Inbox:PassivateAfterSeconds=0.01";

    /// <summary>An inbox that goes idle while its own write is in flight must not stop before that write answers.</summary>
    [Fact]
    public async Task Sign_up_answers_once_the_inbox_is_open_even_when_idle_inboxes_passivate_within_10_ms()
    {
        await using var server = await MessengerServer.StartAsync(null, ShortIdle);
        // 4 clients × 25 sign-ups: each opens a new inbox with one journal write that races the 10 ms idle time.
        var failures = (await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var failed = new List<string>();
            for (var i = 0; i < 25; i++)
            {
                try
                {
                    using var user = await ChatClient.SignUpAsync(server.BaseUrl);
                }
                catch (InvalidOperationException e)
                {
                    failed.Add(e.Message);
                }
            }
            return failed;
        }))).SelectMany(f => f).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of 100 sign-ups failed:\n" + string.Join("\n", failures.Distinct()));
    }

    [Fact]
    public async Task A_device_that_connects_while_the_inbox_passivates_receives_every_later_message_live()
    {
        // Accounts are made with the default idle time, then the node restarts on the same data dir with a 10 ms one.
        var dataDir = TempDirs.Create("messenger-passivation");
        try
        {
            var pairs = new List<(string Sender, string Peer)>();
            await using (var first = await MessengerServer.StartAsync(dataDir))
            {
                for (var i = 0; i < Pairs; i++)
                {
                    using var sender = await ChatClient.SignUpAsync(first.BaseUrl);
                    using var peer = await ChatClient.SignUpAsync(first.BaseUrl);
                    pairs.Add((sender.UserId, peer.UserId));
                }
                await first.StopAsync();
            }
            await using var server = await MessengerServer.StartAsync(dataDir, ShortIdle);
            // Signed in one after another: concurrent sign-ins from one address queue for the hashing lanes (429 past 4).
            var senders = new List<ChatClient>();
            foreach (var pair in pairs) senders.Add(await ChatClient.SignInAsync(server.BaseUrl, pair.Sender));
            var missed = await Task.WhenAll(pairs.Select((pair, i) => RaceAsync(senders[i], pair.Peer)));
            foreach (var sender in senders) sender.Dispose();
            var problems = missed.OfType<string>().ToList();
            output.WriteLine($"{Pairs} users × {Rounds} connects racing passivation: {problems.Count} users missed a live message");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempDirs.TryDelete(dataDir);
        }
    }

    /// <summary>Connect a device, send, expect the sender's own message live on it, disconnect; again. Null when nothing was missed.</summary>
    private static async Task<string?> RaceAsync(ChatClient sender, string peer)
    {
        for (var round = 1; round <= Rounds; round++)
        {
            // The sender's inbox owes nothing after its own send (the peer confirms its copy), so it goes idle and
            // passivates ~10 ms after this device leaves; the next round's device connects about then.
            await using var device = await ChatSocket.ConnectAsync(sender);
            var key = Guid.NewGuid();
            await sender.SendAsync(peer, $"round {round}", key);
            try
            {
                await device.WaitForAsync(
                    f => (string?)f["type"] == "message" && (string?)f["message"]!["clientMessageId"] == key.ToString(), LiveBound);
            }
            catch (TimeoutException)
            {
                var (events, _) = await sender.SyncAsync(0, 1000);
                var stored = events.FirstOrDefault(e => (string?)e!["clientMessageId"] == key.ToString());
                return $"{sender.UserId}, round {round}: its own message {key} never reached its connected device " +
                       (stored is null ? "(and is not in its inbox)" : $"(stored in its inbox at seq {stored["seq"]})");
            }
        }
        return null;
    }
}
