using System.Diagnostics;
using System.Net;
using Messenger.Tests.Cluster;
using Messenger.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Messenger.Tests.Outages;

/// <summary>
/// SQLite's counterpart of a database outage: another process holds the journal file's write lock (BEGIN EXCLUSIVE
/// on its own connection). Sends are answered <c>unavailable</c> within the deadline, readiness says 503, nothing is
/// acknowledged; once the lock is released the same send (same clientMessageId) is acknowledged and stored once.
/// </summary>
public sealed class SqliteLockedSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_locked_journal_file_is_answered_unavailable_and_the_node_stores_again_once_the_lock_is_released()
    {
        await using var server = await MessengerServer.StartAsync();
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
        await alice.SendAsync(bob.UserId, "before the lock");
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

        var key = Guid.NewGuid();
        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder
                     { DataSource = Path.Combine(server.DataDir, "messenger.db"), Pooling = false }.ToString()))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }
            var took = Stopwatch.StartNew();
            using var locked = await alice.SendRawAsync(key, bob.UserId, "while locked");
            output.WriteLine($"send while locked: {(int)locked.StatusCode} after {took.Elapsed.TotalSeconds:F2} s: {await locked.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, locked.StatusCode);
            Assert.True(locked.Headers.RetryAfter is not null, "503 without Retry-After");
            Assert.True(took.Elapsed <= AnswerBound, $"answered after {took.Elapsed.TotalSeconds:F1} s");

            using var ready = await http.GetAsync("/health/ready");
            var why = await ready.Content.ReadAsStringAsync();
            output.WriteLine($"readiness while locked: {(int)ready.StatusCode} {why}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        var released = Stopwatch.StartNew();
        var sent = await Waits.SendUntilSentAsync(alice, bob.UserId, "while locked", key, TimeSpan.FromSeconds(30));
        output.WriteLine($"acknowledged {released.Elapsed.TotalSeconds:F2} s after the lock was released");
        Assert.True(released.Elapsed <= TimeSpan.FromSeconds(5), $"stored again only {released.Elapsed.TotalSeconds:F1} s after the release");
        using var readyAgain = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
        var history = await bob.FullHistoryAsync(ChatClient.Dm(alice.UserId, bob.UserId));
        Assert.Single(history, m => (string?)m["clientMessageId"] == key.ToString());
        Assert.Equal((string?)sent["messageId"], (string?)history.Single(m => (string?)m["clientMessageId"] == key.ToString())["messageId"]);
    }
}
