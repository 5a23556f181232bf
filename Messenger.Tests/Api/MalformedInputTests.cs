using System.Net.WebSockets;
using System.Text;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>
/// Input a hostile client sends (wrong methods, encoded NULs and dot segments, broken framing, wrongly typed JSON,
/// invalid UTF-8) is answered inside the contract: every HTTP status carries {"code","message"} with a contract code,
/// every send error names its clientMessageId, and no socket is aborted.
/// </summary>
public sealed class MalformedInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] ContractCodes =
        ["invalid_request", "unauthorized", "forbidden", "not_found", "username_taken", "too_large", "rate_limited", "unavailable"];

    private Uri Url => fixture.BaseUrl;

    private static void AssertErrorBody(RawHttp.Response response, int status, string what)
    {
        Assert.True(status == response.Status, $"{what}: expected {status}, got {response.Status}\n{response.Head}\n{response.Body}");
        var json = response.Json;
        Assert.True(json is not null, $"{what}: {response.Status} without a JSON body\n{response.Head}");
        Assert.Contains((string?)json!["code"], ContractCodes);
        Assert.False(string.IsNullOrEmpty((string?)json["message"]), what);
    }

    [Fact]
    public async Task A_wrong_method_on_every_endpoint_is_405_with_an_error_body()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        var conversation = ChatClient.Dm(alice.UserId, "zzzpeer");
        var wrong = new (string Method, string Path)[]
        {
            ("GET", "/api/auth/signup"), ("PUT", "/api/auth/signin"), ("GET", "/api/messages"), ("DELETE", "/api/messages"),
            ("POST", "/api/conversations"), ("PATCH", $"/api/conversations/{conversation}/messages"),
            ("GET", $"/api/conversations/{conversation}/read"), ("POST", "/api/sync"), ("POST", "/health/live"),
            ("DELETE", "/health/ready"), ("PUT", $"/api/users/{alice.UserId}"),
        };
        foreach (var (method, path) in wrong)
        {
            var response = await RawHttp.SendAsync(Url,
                $"{method} {path} HTTP/1.1\r\nHost: {Url.Authority}\r\nAuthorization: Bearer {alice.Token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            AssertErrorBody(response, 405, $"{method} {path}");
        }
    }

    [Fact]
    public async Task Encoded_nuls_dot_segments_and_unknown_routes_get_an_error_body()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        foreach (var target in new[]
                 {
                     "/api/conversations/.%00x", "/api/conversations/.%00x/messages", "/api/conversations/%2e%2e/messages",
                     "/api/conversations/%2E%2E", "/api/conversations/..%2f..%2fx/messages", "/api/conversations/%ff%fe/messages",
                     "/api/nothing", "/nothing/here", "/api/conversations/dm:a:b/messages/extra",
                 })
        {
            var response = await RawHttp.GetAsync(Url, target, alice.Token);
            Assert.True(response.Status is >= 400 and < 500, $"{target}: {response.Status}");
            AssertErrorBody(response, response.Status, target);
        }
    }

    [Fact]
    public async Task Requests_the_server_rejects_before_routing_still_get_an_error_body()
    {
        var host = $"Host: {Url.Authority}\r\n";
        var cases = new (string Request, int Status)[]
        {
            ($"POST /api/auth/signin HTTP/1.1\r\n{host}Content-Length: abc\r\n\r\n", 400),
            ($"POST /api/auth/signin HTTP/1.1\r\n{host}Transfer-Encoding: identity\r\n\r\n", 400),
            ($"GET /health/live HTTP/1.1\r\n{host}X-Big: {new string('a', 40_000)}\r\n\r\n", 431),
            ($"GET /health/live?{new string('q', 20_000)} HTTP/1.1\r\n{host}\r\n", 414),
            ("GET /health/live HTTP/1.1\r\n\r\n", 400),
            ("NOT A REQUEST\r\n\r\n", 505),
            ("GET /health/live HTTP/1.1\r\nBad Header Line\r\n\r\n", 400),
            ($"POST /api/auth/signin HTTP/1.1\r\n{host}Content-Type: application/json\r\nContent-Length: 70000\r\n\r\n", 413),
        };
        foreach (var (request, status) in cases)
            AssertErrorBody(await RawHttp.SendAsync(Url, request), status, request[..Math.Min(60, request.Length)]);
    }

    [Fact]
    public async Task Send_frames_with_wrongly_typed_fields_are_answered_with_their_client_message_id()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        using var bob = await ChatClient.SignUpAsync(Url);
        await using var device = await ChatSocket.ConnectAsync(alice);
        foreach (var (to, body) in new[] { ("5", "\"x\""), ($"\"{bob.UserId}\"", "{}"), ("[1]", "\"x\""), ($"\"{bob.UserId}\"", "7"), ("true", "null") })
        {
            var key = Guid.NewGuid();
            await device.SendTextAsync($"{{\"type\":\"send\",\"clientMessageId\":\"{key}\",\"to\":{to},\"body\":{body}}}");
            var error = await device.WaitForSentAsync(key);
            Assert.Equal("error", (string?)error["type"]);
            Assert.Equal("invalid_request", (string?)error["code"]);
        }
        // Fields before the clientMessageId that fail do not lose it either.
        var late = Guid.NewGuid();
        await device.SendTextAsync($"{{\"type\":\"send\",\"to\":{{\"a\":1}},\"body\":[],\"clientMessageId\":\"{late}\"}}");
        Assert.Equal("invalid_request", (string?)(await device.WaitForSentAsync(late))["code"]);

        var ok = Guid.NewGuid();
        await device.SendMessageAsync(bob.UserId, "still fine", ok);
        Assert.Equal("sent", (string?)(await device.WaitForSentAsync(ok))["type"]);
    }

    [Fact]
    public async Task A_read_frame_without_a_conversation_id_is_invalid_request()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        await using var device = await ChatSocket.ConnectAsync(alice);
        foreach (var frame in new[] { "{\"type\":\"read\",\"upTo\":\"0000000000000000000000aa\"}", "{\"type\":\"read\"}",
                     "{\"type\":\"read\",\"conversationId\":null,\"upTo\":\"0000000000000000000000aa\"}" })
        {
            await device.SendTextAsync(frame);
            Assert.Equal("invalid_request", (string?)(await device.WaitForTypeAsync("error"))["code"]);
        }
    }

    [Fact]
    public async Task A_text_frame_with_invalid_utf8_is_answered_or_closed_cleanly_never_aborted()
    {
        using var alice = await ChatClient.SignUpAsync(Url);
        await using var bystander = await ChatSocket.ConnectAsync(alice);
        await using var device = await ChatSocket.ConnectAsync(alice);
        var invalid = Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"x\":\"").Concat(new byte[] { 0xff, 0xfe, 0xc3 }).Concat("\"}"u8.ToArray()).ToArray();
        await device.SendBytesAsync(invalid);

        System.Text.Json.Nodes.JsonObject? answer = null;
        try
        {
            answer = await device.WaitForTypeAsync("error");
        }
        catch (InvalidOperationException)
        {
            // Closed instead of answered: then with 1007, below.
        }
        if (answer is not null)
        {
            Assert.Equal("invalid_request", (string?)answer["code"]);
            await device.SendJsonAsync(new { type = "ping" });
            await device.WaitForTypeAsync("pong");
        }
        else
        {
            Assert.True(WebSocketCloseStatus.InvalidPayloadData == device.CloseStatus,
                $"closed with {device.CloseStatus?.ToString() ?? "no status (aborted)"}: {device.ReadFailure}");
        }
        await bystander.SendJsonAsync(new { type = "ping" });
        await bystander.WaitForTypeAsync("pong");
    }
}
