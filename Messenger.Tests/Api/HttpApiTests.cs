using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>The HTTP half of the contract (API.md) over real HTTP against a running messenger.</summary>
public sealed class HttpApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    [Fact]
    public async Task Sign_up_normalises_the_username_and_rejects_taken_and_invalid_ones()
    {
        var name = ChatClient.NewName("Mixed");
        var client = await ChatClient.SignUpAsync(Url, name);
        Assert.Equal(name.ToLowerInvariant(), client.UserId);

        using var http = new HttpClient { BaseAddress = Url };
        await AssertError(await http.PostAsJsonAsync("/api/auth/signup", new { username = name.ToLowerInvariant(), password = "another one" }),
            HttpStatusCode.Conflict, "username_taken");
        await AssertError(await http.PostAsJsonAsync("/api/auth/signup", new { username = "no", password = "long enough" }),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertError(await http.PostAsJsonAsync("/api/auth/signup", new { username = "has space", password = "long enough" }),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertError(await http.PostAsJsonAsync("/api/auth/signup", new { username = ChatClient.NewName(), password = "short" }),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertError(await http.PostAsJsonAsync("/api/auth/signup", new { username = ChatClient.NewName(), password = new string('x', 257) }),
            HttpStatusCode.BadRequest, "invalid_request");
        await AssertError(await http.PostAsync("/api/auth/signup", new StringContent("{not json", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Sign_in_gives_a_working_token_and_wrong_credentials_are_unauthorized()
    {
        var name = ChatClient.NewName();
        await ChatClient.SignUpAsync(Url, name, "the password");
        var again = await ChatClient.SignInAsync(Url, name.ToUpperInvariant(), "the password");
        Assert.Equal(name, again.UserId);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/conversations")).Status);

        using var http = new HttpClient { BaseAddress = Url };
        await AssertError(await http.PostAsJsonAsync("/api/auth/signin", new { username = name, password = "wrong password" }),
            HttpStatusCode.Unauthorized, "unauthorized");
        await AssertError(await http.PostAsJsonAsync("/api/auth/signin", new { username = ChatClient.NewName(), password = "whatever1" }),
            HttpStatusCode.Unauthorized, "unauthorized");
        await AssertError(await http.GetAsync("/api/conversations"), HttpStatusCode.Unauthorized, "unauthorized");
        http.DefaultRequestHeaders.Authorization = new("Bearer", "not.a.token");
        await AssertError(await http.GetAsync("/api/sync"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Send_returns_sent_once_durable_and_both_sides_see_the_same_message()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        var key = Guid.NewGuid();
        var sent = await alice.SendAsync(bob.UserId, "hello bob ✓", key);
        Assert.Equal(key.ToString(), (string?)sent["clientMessageId"]);
        Assert.Equal(ChatClient.Dm(alice.UserId, bob.UserId), (string?)sent["conversationId"]);
        Assert.NotNull((string?)sent["messageId"]);
        Assert.NotNull((string?)sent["order"]);
        Assert.EndsWith("Z", (string?)sent["sentAt"]);

        var (aliceEvents, _) = await alice.SyncAsync();
        var (bobEvents, next) = await bob.SyncAsync();
        var a = aliceEvents.Single()!.AsObject();
        var b = bobEvents.Single()!.AsObject();
        foreach (var field in new[] { "messageId", "clientMessageId", "conversationId", "from", "to", "body", "sentAt", "order" })
            Assert.Equal(ChatClient.Json(a[field]), ChatClient.Json(b[field]));
        Assert.Equal("hello bob ✓", (string?)b["body"]);
        Assert.Equal(alice.UserId, (string?)b["from"]);
        Assert.Equal(1, (long)b["seq"]!);
        Assert.Equal(1, next);
    }

    [Fact]
    public async Task Sending_again_with_the_same_client_message_id_is_idempotent_and_a_changed_one_is_invalid()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        var key = Guid.NewGuid();
        var first = await alice.SendAsync(bob.UserId, "once", key);
        var second = await alice.SendAsync(bob.UserId, "once", key);
        Assert.Equal((string?)first["messageId"], (string?)second["messageId"]);
        Assert.Equal((string?)first["order"], (string?)second["order"]);

        // Another device of the same user (a second sign-in) gets the same answer.
        using var aliceOther = await ChatClient.SignInAsync(Url, alice.UserId);
        Assert.Equal((string?)first["messageId"], (string?)(await aliceOther.SendAsync(bob.UserId, "once", key))["messageId"]);

        await AssertError(await alice.SendRawAsync(key, bob.UserId, "changed"), HttpStatusCode.BadRequest, "invalid_request");
        using var carol = await ChatClient.SignUpAsync(Url);
        await AssertError(await alice.SendRawAsync(key, carol.UserId, "once"), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Single((await bob.SyncAsync()).Events);
        Assert.Empty((await carol.SyncAsync()).Events);
    }

    [Fact]
    public async Task Bad_sends_get_their_documented_codes_and_no_500()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        await AssertError(await alice.SendRawAsync(Guid.NewGuid(), ChatClient.NewName("ghost"), "hi"), HttpStatusCode.NotFound, "not_found");
        await AssertError(await alice.SendRawAsync(Guid.NewGuid(), alice.UserId, "me"), HttpStatusCode.BadRequest, "invalid_request");
        await AssertError(await alice.SendRawAsync(Guid.NewGuid(), bob.UserId, ""), HttpStatusCode.BadRequest, "invalid_request");
        await AssertError(await alice.SendRawAsync(Guid.NewGuid(), bob.UserId, new string('é', 2049)), HttpStatusCode.RequestEntityTooLarge, "too_large");
        Assert.Equal(HttpStatusCode.OK, (await alice.SendRawAsync(Guid.NewGuid(), bob.UserId, new string('é', 2048))).StatusCode);
        AssertError(await alice.PostJsonAsync("/api/messages", new { clientMessageId = "not-a-uuid", to = bob.UserId, body = "x" }), HttpStatusCode.BadRequest, "invalid_request");
        AssertError(await alice.PostJsonAsync("/api/messages", new { clientMessageId = Guid.NewGuid(), body = "x" }), HttpStatusCode.BadRequest, "invalid_request");
        AssertError(await alice.PostJsonAsync("/api/messages", new { clientMessageId = Guid.NewGuid(), to = 42, body = "x" }), HttpStatusCode.BadRequest, "invalid_request");
        AssertError(await alice.PostJsonAsync("/api/messages", new[] { 1, 2 }), HttpStatusCode.BadRequest, "invalid_request");

        using var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", alice.Token);
        await AssertError(await http.PostAsync("/api/messages", new StringContent("{\"to\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "invalid_request");
        await AssertError(await http.PostAsync("/api/messages", new StringContent(new string(' ', 70_000), Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge, "too_large");
        Assert.Single((await bob.SyncAsync()).Events);
    }

    [Fact]
    public async Task Conversations_list_most_recent_first_with_unread_counts_and_the_read_marker()
    {
        using var me = await ChatClient.SignUpAsync(Url);
        using var x = await ChatClient.SignUpAsync(Url);
        using var y = await ChatClient.SignUpAsync(Url);
        await x.SendAsync(me.UserId, "x1");
        await x.SendAsync(me.UserId, "x2");
        await y.SendAsync(me.UserId, "y1");

        var list = await me.ConversationsAsync();
        Assert.Equal(new[] { y.UserId, x.UserId }, list.Select(c => (string?)c!["peer"]));
        Assert.Equal(new[] { 1, 2 }, list.Select(c => (int)c!["unreadCount"]!));
        var top = list[0]!;
        Assert.Equal(ChatClient.Dm(me.UserId, y.UserId), (string?)top["conversationId"]);
        Assert.Equal("y1", (string?)top["lastMessage"]!["body"]);
        Assert.Equal((string?)top["lastMessage"]!["sentAt"], (string?)top["updatedAt"]);

        var xConversation = ChatClient.Dm(me.UserId, x.UserId);
        var (xMessages, _) = await me.HistoryAsync(xConversation);
        var (status, _) = await me.PostJsonAsync($"/api/conversations/{xConversation}/read", new { upTo = (string?)xMessages[0]!["order"] });
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(1, (int)(await me.ConversationsAsync()).Single(c => (string?)c!["peer"] == x.UserId)!["unreadCount"]!);
        // Never back: an older marker changes nothing.
        await me.PostJsonAsync($"/api/conversations/{xConversation}/read", new { upTo = new string('0', 24) });
        Assert.Equal(1, (int)(await me.ConversationsAsync()).Single(c => (string?)c!["peer"] == x.UserId)!["unreadCount"]!);

        await me.SendAsync(x.UserId, "reply");
        list = await me.ConversationsAsync();
        Assert.Equal(x.UserId, (string?)list[0]!["peer"]);
        Assert.Equal(0, (int)list[0]!["unreadCount"]!);
        Assert.Single(await me.ConversationsAsync(offset: 1, limit: 1));
        Assert.Equal(HttpStatusCode.BadRequest, (await me.GetAsync("/api/conversations?limit=0")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await me.GetAsync("/api/conversations?limit=101")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await me.GetAsync("/api/conversations?offset=-1")).Status);
    }

    [Fact]
    public async Task History_pages_back_to_the_start_and_guards_other_peoples_conversations()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        using var eve = await ChatClient.SignUpAsync(Url);
        var sent = new List<string>();
        var sentOrders = new List<string>();
        for (var i = 0; i < 260; i++)
        {
            var from = i % 3 == 0 ? bob : alice;
            var to = i % 3 == 0 ? alice : bob;
            var answer = await from.SendAsync(to.UserId, $"message {i}");
            sent.Add((string)answer["messageId"]!);
            sentOrders.Add((string)answer["order"]!);
        }
        var conversation = ChatClient.Dm(alice.UserId, bob.UserId);
        var fromAlice = await alice.FullHistoryAsync(conversation, 50);
        var fromBob = await bob.FullHistoryAsync(conversation, 200);
        Assert.Equal(sent, fromAlice.Select(m => (string)m["messageId"]!));
        Assert.Equal(sent, fromBob.Select(m => (string)m["messageId"]!));
        // Both copies hold the same orders, the ones the senders were acknowledged, strictly ascending in sending order.
        var orders = fromAlice.Select(m => (string)m["order"]!).ToList();
        Assert.Equal(sentOrders, orders);
        Assert.Equal(sentOrders, fromBob.Select(m => (string)m["order"]!));
        Assert.All(orders.Zip(orders.Skip(1)), pair => Assert.True(string.CompareOrdinal(pair.Item1, pair.Item2) < 0, $"{pair.Item2} does not sort after {pair.Item1}"));

        var (first, next) = await alice.HistoryAsync(conversation, limit: 10);
        Assert.Equal(sent.TakeLast(10), first.Select(m => (string)m!["messageId"]!));
        Assert.Equal((string?)first[0]!["order"], next);

        Assert.Equal(HttpStatusCode.Forbidden, (await eve.GetAsync($"/api/conversations/{conversation}/messages")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await eve.PostJsonAsync($"/api/conversations/{conversation}/read", new { upTo = orders[0] })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync("/api/conversations/nonsense/messages")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync($"/api/conversations/{conversation}/messages?limit=201")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync($"/api/conversations/{conversation}/messages?before=xyz")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PostJsonAsync($"/api/conversations/{conversation}/read", new { upTo = "nope" })).Status);
    }

    [Fact]
    public async Task Sync_pages_the_inbox_in_seq_order_without_gaps()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        for (var i = 0; i < 30; i++) await alice.SendAsync(bob.UserId, $"m{i}");

        var seqs = new List<long>();
        long after = 0;
        while (true)
        {
            var (events, next) = await bob.SyncAsync(after, 7);
            if (events.Count == 0)
            {
                Assert.Equal(after, next);
                break;
            }
            seqs.AddRange(events.Select(e => (long)e!["seq"]!));
            Assert.Equal((long)events[^1]!["seq"]!, next);
            after = next;
        }
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), seqs);
        Assert.Equal(HttpStatusCode.BadRequest, (await bob.GetAsync("/api/sync?after=-1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await bob.GetAsync("/api/sync?limit=1001")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await bob.GetAsync("/api/sync?after=abc")).Status);
    }

    [Fact]
    public async Task Health_and_user_lookup_answer()
    {
        using var http = new HttpClient { BaseAddress = Url };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        using var alice = await ChatClient.SignUpAsync(Url);
        var (status, body) = await alice.GetAsync($"/api/users/{alice.UserId.ToUpperInvariant()}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(alice.UserId, (string?)body!["userId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/users/{ChatClient.NewName("nobody")}")).Status);
    }

    private static void AssertError((HttpStatusCode Status, JsonObject? Body) answer, HttpStatusCode status, string code)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, (string?)answer.Body?["code"]);
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)body["code"]);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
    }
}
