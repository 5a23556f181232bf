using System.Net;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Npgsql;

namespace Messenger.Tests.Cluster;

/// <summary>
/// The PostgreSQL journal end to end: a whole node (in-process, as <c>dotnet Messenger.Web.dll
/// --Messenger:Journal=postgresql</c>) creates its schema on first start, persists, restarts on the same database,
/// recovers, pages history from storage, dedups old keys from storage, and keeps tokens valid (the signing key lives
/// in the database).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalSpecs(PostgresServer postgres)
{
    private static string[] Args(string connectionString) =>
    [
        "--Messenger:Journal", "postgresql",
        "--Messenger:ConnectionString", connectionString,
        // A tiny window and frequent snapshots: history, sync and old keys come from the tables, recovery from snapshots.
        "--Messenger:Inbox:RecentWindow", "4",
        "--Messenger:Inbox:SnapshotEvery", "7",
    ];

    [Fact]
    public async Task A_node_on_PostgreSQL_creates_its_schema_persists_and_recovers_everything_after_a_restart()
    {
        var connectionString = await postgres.CreateDatabaseAsync("e2e");
        var sent = new List<(string From, Guid Key, string MessageId)>();
        string aliceName, bobName, aliceToken;
        string conversation;
        List<string> historyBefore;

        await using (var server = await MessengerServer.StartAsync(null, Args(connectionString)))
        {
            using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
            using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
            (aliceName, bobName, aliceToken) = (alice.UserId, bob.UserId, alice.Token);
            conversation = ChatClient.Dm(alice.UserId, bob.UserId);
            for (var i = 0; i < 23; i++)
            {
                var (from, to) = i % 3 == 0 ? (bob, alice) : (alice, bob);
                var key = Guid.NewGuid();
                var ack = await from.SendAsync(to.UserId, $"message {i}", key);
                sent.Add((from.UserId, key, (string)ack["messageId"]!));
            }
            historyBefore = (await alice.FullHistoryAsync(conversation, pageSize: 5)).Select(m => (string)m["messageId"]!).ToList();
            Assert.Equal(sent.Select(s => s.MessageId), historyBefore);
        }

        // The events, the snapshots taken on the way and the signing key are in PostgreSQL.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            Assert.True(await ScalarAsync(connection, "SELECT COUNT(*) FROM event_journal") >= 46);
            Assert.True(await ScalarAsync(connection, "SELECT COUNT(*) FROM snapshot_store") >= 1);
            Assert.Equal(1, await ScalarAsync(connection, "SELECT COUNT(*) FROM messenger_settings WHERE name = 'signing-key'"));
        }

        await using (var restarted = await MessengerServer.StartAsync(null, Args(connectionString)))
        {
            // The token from before the restart is still valid: the key came from the database.
            using var alice = await ChatClient.SignInAsync(restarted.BaseUrl, aliceName);
            var (status, _) = await new ChatClientWithToken(restarted.BaseUrl, aliceToken).GetAsync("/api/conversations");
            Assert.Equal(HttpStatusCode.OK, status);
            using var bob = await ChatClient.SignInAsync(restarted.BaseUrl, bobName);

            foreach (var pageSize in new[] { 1, 4, 50 })
                Assert.Equal(historyBefore, (await bob.FullHistoryAsync(conversation, pageSize)).Select(m => (string)m["messageId"]!));

            var (events, next) = await alice.SyncAsync(after: 0);
            Assert.Equal(Enumerable.Range(1, 23).Select(i => (long)i), events.Select(e => (long)e!["seq"]!));
            Assert.Equal(23, next);

            // The first key is long out of the 4-message window: storage answers the retry with the same message.
            var first = sent[0];
            var sender = first.From == alice.UserId ? alice : bob;
            var again = await sender.SendAsync(first.From == alice.UserId ? bob.UserId : alice.UserId, "message 0", first.Key);
            Assert.Equal(first.MessageId, (string)again["messageId"]!);

            await alice.SendAsync(bob.UserId, "after the restart");
            Assert.Equal(24, (await alice.SyncAsync(after: 23)).NextAfter);
            Assert.Equal(24, (await bob.FullHistoryAsync(conversation)).Count);
        }
    }

    [Fact]
    public async Task Schema_preparation_is_idempotent_and_safe_when_nodes_start_together()
    {
        var connectionString = await postgres.CreateDatabaseAsync("schema");
        var database = new JournalDatabase(JournalKind.PostgreSql, connectionString);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => database.PrepareAsync())));
        await database.PrepareAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var index in new[] { "event_journal_pk", "event_journal_conversation", "snapshot_store_pk" })
            Assert.Equal(1, await ScalarAsync(connection, $"SELECT COUNT(*) FROM pg_class WHERE relname = '{index}'"));
        // Sync reads the primary key from the inbox's checkpoint (InboxPositionSpecs), and keys are found through the
        // conversation index (RetractionIndexSpecs): no inbox position index, no key index, one index per message.
        foreach (var index in new[] { "event_journal_inbox", "event_journal_keys", "event_journal_history" })
            Assert.Equal(0, await ScalarAsync(connection, $"SELECT COUNT(*) FROM pg_class WHERE relname = '{index}'"));

        // The history query (InboxArchive) walks the conversation index backwards instead of sorting a user's messages.
        await using var explain = connection.CreateCommand();
        explain.CommandText = """
            SET enable_seqscan = off; SET enable_bitmapscan = off;
            EXPLAIN SELECT payload FROM event_journal
            WHERE persistence_id = 'inbox-x' AND conversation_id = 'dm:x:y' AND message_order < '01ff' AND deleted = 0
            ORDER BY message_order DESC LIMIT 50
            """;
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        Assert.Contains(plan, line => line.Contains("event_journal_conversation"));
        Assert.DoesNotContain(plan, line => line.TrimStart().StartsWith("Sort", StringComparison.Ordinal));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Raw GET with a given bearer token (a token issued before a restart).</summary>
    private sealed class ChatClientWithToken(Uri baseUrl, string token)
    {
        public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
        {
            using var http = new HttpClient { BaseAddress = baseUrl };
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var response = await http.GetAsync(path);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
