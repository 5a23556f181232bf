using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Attachments;

/// <summary>
/// Sends carrying attachments (HTTP and WebSocket) and the download's access rule, on each journal database.
/// </summary>
public abstract class AttachmentSendSpecs(AttachmentServer fixture)
{
    private async Task<FileClient> UserAsync() => new(await ChatClient.SignUpAsync(fixture.BaseUrl));

    [Fact]
    public async Task The_uploader_and_the_recipient_after_the_send_may_download_and_anyone_else_gets_404()
    {
        using var alice = await UserAsync();
        using var bob = await UserAsync();
        using var carol = await UserAsync();
        var bytes = FileClient.RandomBytes(3000, seed: 7);
        var id = await alice.UploadIdAsync(bytes, "image/png");

        Assert.Equal(HttpStatusCode.OK, (await alice.DownloadAsync(id)).StatusCode);
        await AssertNotFoundAsync(await bob.DownloadAsync(id));

        var (status, sent) = await alice.SendAsync(bob.UserId, "the picture", [id]);
        Assert.Equal(HttpStatusCode.OK, status);

        using (var download = await bob.DownloadAsync(id))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        }
        // <img src>: the token in the query, no header.
        using (var http = new HttpClient { BaseAddress = fixture.BaseUrl })
        {
            using var byQuery = await http.GetAsync($"/api/attachments/{id}?access_token={Uri.EscapeDataString(bob.User.Token)}");
            Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
            using var badQuery = await http.GetAsync($"/api/attachments/{id}?access_token=nonsense");
            Assert.Equal(HttpStatusCode.Unauthorized, badQuery.StatusCode);
        }
        await AssertNotFoundAsync(await carol.DownloadAsync(id));
        await AssertNotFoundAsync(await carol.DownloadAsync(Guid.NewGuid().ToString()));
        await AssertNotFoundAsync(await carol.DownloadAsync("not-an-id"));
        Assert.NotNull(sent);
    }

    [Fact]
    public async Task A_send_with_only_attachments_carries_them_in_every_view_of_the_message()
    {
        using var alice = await UserAsync();
        using var bob = await UserAsync();
        var first = await alice.UploadAsync(FileClient.RandomBytes(100, 1), "application/pdf", "a.pdf");
        var second = await alice.UploadAsync(FileClient.RandomBytes(200, 2), "image/jpeg", "b.jpg");
        string[] ids = [(string)first["attachmentId"]!, (string)second["attachmentId"]!];

        var (status, sent) = await alice.SendAsync(bob.UserId, "", ids);
        Assert.True(status == HttpStatusCode.OK, ChatClient.Json(sent));

        var expected = new JsonArray(first.DeepClone(), second.DeepClone()).ToJsonString();
        var (events, _) = await bob.User.SyncAsync();
        var message = events.Single()!.AsObject();
        Assert.Equal("", (string?)message["body"]);
        Assert.Equal(expected, message["attachments"]!.ToJsonString());
        var (own, _) = await alice.User.SyncAsync();
        Assert.Equal(expected, own.Single()!["attachments"]!.ToJsonString());

        var (history, _) = await bob.User.HistoryAsync((string)sent!["conversationId"]!);
        Assert.Equal(expected, history.Single()!["attachments"]!.ToJsonString());
        var conversation = (await bob.User.ConversationsAsync()).Single()!;
        Assert.Equal(expected, conversation["lastMessage"]!["attachments"]!.ToJsonString());

        // A message without attachments has no such field (a v0 client sees v0 messages).
        await alice.User.SendAsync(bob.UserId, "plain");
        var (after, _) = await bob.User.SyncAsync(1);
        Assert.Null(after.Single()!["attachments"]);
    }

    [Fact]
    public async Task A_WebSocket_send_carries_attachments_to_the_recipients_device()
    {
        using var alice = await UserAsync();
        using var bob = await UserAsync();
        var id = await alice.UploadIdAsync(FileClient.RandomBytes(1234, 3), "audio/ogg");
        await using var aliceSocket = await ChatSocket.ConnectAsync(alice.User);
        await using var bobSocket = await ChatSocket.ConnectAsync(bob.User);
        await bobSocket.SendJsonAsync(new { type = "ping" });
        await bobSocket.WaitForTypeAsync("pong");

        var key = Guid.NewGuid();
        await aliceSocket.SendJsonAsync(new { type = "send", clientMessageId = key, to = bob.UserId, body = "", attachments = new[] { id } });

        Assert.Equal("sent", (string?)(await aliceSocket.WaitForSentAsync(key))["type"]);
        var delivered = (await bobSocket.WaitForMessageAsync(key))["message"]!;
        Assert.Equal(id, (string?)delivered["attachments"]![0]!["attachmentId"]);
        Assert.Equal(1234, (long)delivered["attachments"]![0]!["size"]!);
        Assert.Equal(HttpStatusCode.OK, (await bob.DownloadAsync(id)).StatusCode);

        // A malformed list is invalid_request and the socket stays open.
        var bad = Guid.NewGuid();
        await aliceSocket.SendJsonAsync(new { type = "send", clientMessageId = bad, to = bob.UserId, body = "x", attachments = new object[] { 5 } });
        var error = await aliceSocket.WaitForSentAsync(bad);
        Assert.Equal("invalid_request", (string?)error["code"]);
        await aliceSocket.SendJsonAsync(new { type = "ping" });
        await aliceSocket.WaitForTypeAsync("pong");
    }

    [Fact]
    public async Task More_than_10_ids_an_unknown_id_or_someone_elses_upload_is_refused_and_nothing_is_sent()
    {
        using var alice = await UserAsync();
        using var bob = await UserAsync();
        var mine = await alice.UploadIdAsync([1]);
        var bobs = await bob.UploadIdAsync([2]);

        var (tooMany, tooManyBody) = await alice.SendAsync(bob.UserId, "x", Enumerable.Repeat(mine, 11).ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        Assert.Equal("invalid_request", (string?)tooManyBody!["code"]);

        var (unknown, unknownBody) = await alice.SendAsync(bob.UserId, "x", [Guid.NewGuid().ToString()]);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("not_found", (string?)unknownBody!["code"]);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.SendAsync(bob.UserId, "x", ["garbage"])).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.SendAsync(bob.UserId, "x", [mine, bobs])).Status);

        // Empty body and no attachments is still invalid; so is a list that is not of ids.
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.SendAsync(bob.UserId, "", [])).Status);
        var (notIds, _) = await bob.User.PostJsonAsync("/api/messages",
            new { clientMessageId = Guid.NewGuid(), to = alice.UserId, body = "x", attachments = new object[] { 1, true } });
        Assert.Equal(HttpStatusCode.BadRequest, notIds);
        var (notList, _) = await bob.User.PostJsonAsync("/api/messages",
            new { clientMessageId = Guid.NewGuid(), to = alice.UserId, body = "x", attachments = "id" });
        Assert.Equal(HttpStatusCode.BadRequest, notList);

        var (events, _) = await bob.User.SyncAsync();
        Assert.Empty(events);
        // Ten are fine.
        var ten = new List<string>();
        for (var i = 0; i < 10; i++) ten.Add(await alice.UploadIdAsync([(byte)i]));
        Assert.Equal(HttpStatusCode.OK, (await alice.SendAsync(bob.UserId, "", ten.ToArray())).Status);
    }

    [Fact]
    public async Task Idempotency_compares_attachments()
    {
        using var alice = await UserAsync();
        using var bob = await UserAsync();
        var a = await alice.UploadIdAsync([1]);
        var b = await alice.UploadIdAsync([2]);
        var key = Guid.NewGuid();

        var (_, first) = await alice.SendAsync(bob.UserId, "files", [a, b], key);
        var (againStatus, again) = await alice.SendAsync(bob.UserId, "files", [a, b], key);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal((string?)first!["messageId"], (string?)again!["messageId"]);

        Assert.Equal(HttpStatusCode.BadRequest, (await alice.SendAsync(bob.UserId, "files", [a], key)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.SendAsync(bob.UserId, "files", [b, a], key)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.SendAsync(bob.UserId, "files", [], key)).Status);
        var (events, _) = await bob.User.SyncAsync();
        Assert.Single(events);
    }

    private static async Task AssertNotFoundAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not_found", (string?)(await response.Content.JsonAsync())["code"]);
        }
    }
}

public sealed class SqliteAttachmentSendSpecs(SqliteAttachmentServer fixture)
    : AttachmentSendSpecs(fixture), IClassFixture<SqliteAttachmentServer>;

public sealed class PostgresAttachmentSendSpecs(PostgresAttachmentServer fixture)
    : AttachmentSendSpecs(fixture), IClassFixture<PostgresAttachmentServer>;
