using System.Net;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Journal;

/// <summary>
/// Messenger.Tests/Fixtures/legacy-sqlite: a data dir written by the server as of commit f0ccbf7 (Akka.Persistence.Sql
/// journal: tables journal, tags, snapshot; run with RecentWindow 4, SnapshotEvery 7 and 100-year tokens): users alice,
/// bob, carol (password "password-{name}"), 25 messages sent one after the other (sent.jsonl: sender, recipient,
/// clientMessageId and the server's answer), users.json with each user's id and token.
/// </summary>
public sealed class LegacyFixture
{
    public static string Root => Path.Combine(InboxConfigs.RepoRoot, "Messenger.Tests", "Fixtures", "legacy-sqlite");

    public static string DataDir => Path.Combine(Root, "datadir");

    public IReadOnlyList<(string Name, string UserId, string Token)> Users { get; } =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "users.json")))!.AsObject()
            .Select(u => (u.Key, (string)u.Value!["userId"]!, (string)u.Value!["token"]!)).ToList();

    public IReadOnlyList<(string From, string To, Guid Key, string MessageId, string ConversationId, string Body)> Sent { get; } =
        File.ReadAllLines(Path.Combine(Root, "sent.jsonl")).Select(line => JsonNode.Parse(line)!)
            .Select(j => ((string)j["from"]!, (string)j["to"]!, Guid.Parse((string)j["clientMessageId"]!),
                (string)j["sent"]!["messageId"]!, (string)j["sent"]!["conversationId"]!, (string)j["body"]!))
            .ToList();

    /// <summary>A copy of the fixture's data dir to run a server on.</summary>
    public static string CopyDataDir()
    {
        var dir = TempDirs.Create("legacy");
        foreach (var file in Directory.GetFiles(DataDir)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        return dir;
    }

    /// <summary>Everything the old server stored is there as a client meets it: tokens, passwords, history, sync,
    /// conversations, and old idempotency keys (answered with the original message).</summary>
    public async Task AssertEverythingKeptAsync(Uri baseUrl)
    {
        foreach (var (_, _, token) in Users)
        {
            using var http = new HttpClient { BaseAddress = baseUrl };
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/conversations")).StatusCode);
        }
        var clients = new Dictionary<string, ChatClient>();
        foreach (var (name, userId, _) in Users)
        {
            clients[name] = await ChatClient.SignInAsync(baseUrl, name, "password-" + name);
            Assert.Equal(userId, clients[name].UserId);
        }
        try
        {
            foreach (var (name, client) in clients)
            {
                var mine = Sent.Where(s => s.From == name || s.To == name).ToList();
                var (events, next) = await client.SyncAsync();
                Assert.Equal(mine.Select(s => s.MessageId), events.Select(e => (string)e!["messageId"]!));
                Assert.Equal(Enumerable.Range(1, mine.Count).Select(i => (long)i), events.Select(e => (long)e!["seq"]!));
                Assert.Equal(mine.Count, next);
                var conversations = await client.ConversationsAsync();
                Assert.Equal(mine.Select(s => s.ConversationId).Distinct().Order(),
                    conversations.Select(c => (string)c!["conversationId"]!).Order());
                foreach (var conversation in mine.Select(s => s.ConversationId).Distinct())
                {
                    var expected = mine.Where(s => s.ConversationId == conversation).Select(s => s.MessageId).ToList();
                    foreach (var pageSize in new[] { 1, 5, 50 })
                        Assert.Equal(expected, (await client.FullHistoryAsync(conversation, pageSize)).Select(m => (string)m["messageId"]!));
                }
            }
            // The oldest keys are far out of the 4-message window: storage answers each retry with the original message.
            foreach (var first in Sent.GroupBy(s => s.From).Select(g => g.First()))
            {
                var again = await clients[first.From].SendAsync(first.To, first.Body, first.Key);
                Assert.Equal(first.MessageId, (string)again["messageId"]!);
            }
            var alice = clients["alice"];
            var fresh = await alice.SendAsync(clients["bob"].UserId, "after the migration");
            var (tail, _) = await alice.SyncAsync(Sent.Count(s => s.From == "alice" || s.To == "alice"));
            Assert.Equal((string)fresh["messageId"]!, (string)tail.Single()!["messageId"]!);
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
        }
    }
}
