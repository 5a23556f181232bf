using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Groups.Api;

/// <summary>The group requests of API.md v2 for a signed-in <see cref="ChatClient"/>, over real HTTP.</summary>
internal static class GroupCalls
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> CallAsync(this ChatClient user, HttpMethod method, string path,
        object? body = null, bool withToken = true)
    {
        using var request = new HttpRequestMessage(method, new Uri(user.BaseUrl, path));
        if (withToken) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        if (body is not null) request.Content = body as HttpContent ?? JsonContent.Create(body);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    public static Task<(HttpStatusCode Status, JsonObject? Body)> CreateGroupRawAsync(this ChatClient user, object body) =>
        user.CallAsync(HttpMethod.Post, "/api/groups", body);

    /// <summary>Creates a group (201) and returns it.</summary>
    public static async Task<JsonObject> CreateGroupAsync(this ChatClient user, string name, params ChatClient[] others)
    {
        var (status, group) = await user.CreateGroupRawAsync(new { name, members = others.Select(o => o.UserId).ToArray() });
        Assert.True(status == HttpStatusCode.Created, $"create: {(int)status} {group}");
        return group!;
    }

    public static Task<(HttpStatusCode Status, JsonObject? Body)> GetGroupAsync(this ChatClient user, string groupId) =>
        user.CallAsync(HttpMethod.Get, $"/api/groups/{groupId}");

    public static Task<(HttpStatusCode Status, JsonObject? Body)> RenameGroupAsync(this ChatClient user, string groupId, object body) =>
        user.CallAsync(HttpMethod.Patch, $"/api/groups/{groupId}", body);

    public static Task<(HttpStatusCode Status, JsonObject? Body)> AddMemberAsync(this ChatClient user, string groupId, string userId) =>
        user.CallAsync(HttpMethod.Post, $"/api/groups/{groupId}/members", new { userId });

    public static Task<(HttpStatusCode Status, JsonObject? Body)> RemoveMemberAsync(this ChatClient user, string groupId, string userId) =>
        user.CallAsync(HttpMethod.Delete, $"/api/groups/{groupId}/members/{userId}");

    public static Task<(HttpStatusCode Status, JsonObject? Body)> MakeAdminAsync(this ChatClient user, string groupId, string userId) =>
        user.CallAsync(HttpMethod.Post, $"/api/groups/{groupId}/admins", new { userId });

    /// <summary>Asserts a 200 answer and returns its Group.</summary>
    public static JsonObject Ok((HttpStatusCode Status, JsonObject? Body) answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"expected 200: {(int)answer.Status} {answer.Body}");
        return answer.Body!;
    }

    /// <summary>Asserts a contract error: its status and code.</summary>
    public static void Refused((HttpStatusCode Status, JsonObject? Body) answer, HttpStatusCode status, string code)
    {
        Assert.True(answer.Status == status, $"expected {(int)status} {code}: {(int)answer.Status} {answer.Body}");
        Assert.Equal(code, (string?)answer.Body?["code"]);
        Assert.False(string.IsNullOrEmpty((string?)answer.Body?["message"]));
    }

    /// <summary>userId → role of a Group answer.</summary>
    public static Dictionary<string, string> Roles(JsonObject group) =>
        group["members"]!.AsArray().ToDictionary(m => (string)m!["userId"]!, m => (string)m!["role"]!);

    public static string IdOf(JsonObject group) => (string)group["conversationId"]!;

    /// <summary>Signs up <paramref name="count"/> fresh users.</summary>
    public static async Task<ChatClient[]> UsersAsync(Uri url, int count)
    {
        var users = new ChatClient[count];
        for (var i = 0; i < count; i++) users[i] = await ChatClient.SignUpAsync(url);
        return users;
    }

    /// <summary>Runs <paramref name="check"/> until it passes (re-throwing its last failure after a generous bound).</summary>
    public static async Task EventuallyAsync(Func<Task> check)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            try
            {
                await check();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>What every member's copy of a message must agree on (API.md: all but <c>seq</c>).</summary>
    public static string Shared(JsonNode? message)
    {
        var copy = message!.DeepClone().AsObject();
        copy.Remove("seq");
        return copy.ToJsonString();
    }

    public static Task<JsonObject> WaitKindAsync(this ChatSocket socket, string groupId, string kind) =>
        socket.WaitForAsync(f => (string?)f["type"] == "message" && (string?)f["message"]!["conversationId"] == groupId
                                 && (string?)f["message"]!["kind"] == kind);

    public static Task<JsonObject> WaitBodyAsync(this ChatSocket socket, string groupId, string body) =>
        socket.WaitForAsync(f => (string?)f["type"] == "message" && (string?)f["message"]!["conversationId"] == groupId
                                 && (string?)f["message"]!["body"] == body && f["message"]!["kind"] is null);
}
