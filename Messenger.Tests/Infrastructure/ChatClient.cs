using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Tests.Infrastructure;

/// <summary>A real HTTP client of the contract (API.md) for one signed-in user.</summary>
public sealed class ChatClient : IDisposable
{
    private readonly HttpClient _http;

    private ChatClient(Uri baseUrl, string userId, string token)
    {
        BaseUrl = baseUrl;
        UserId = userId;
        Token = token;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri BaseUrl { get; }
    public string UserId { get; }
    public string Token { get; }

    public static string NewName(string prefix = "u") => $"{prefix}{Guid.NewGuid():N}"[..20];

    public static async Task<ChatClient> SignUpAsync(Uri baseUrl, string? username = null, string password = "correct horse")
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        var response = await http.PostAsJsonAsync("/api/auth/signup", new { username = username ?? NewName(), password });
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"sign-up failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new ChatClient(baseUrl, (string)body!["userId"]!, (string)body["token"]!);
    }

    public static async Task<ChatClient> SignInAsync(Uri baseUrl, string username, string password = "correct horse")
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        var response = await http.PostAsJsonAsync("/api/auth/signin", new { username, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new ChatClient(baseUrl, (string)body!["userId"]!, (string)body["token"]!);
    }

    /// <summary>The same user with the same token against another node (tokens are valid on every node).</summary>
    public ChatClient On(Uri otherNode) => new(otherNode, UserId, Token);

    public Task<HttpResponseMessage> SendRawAsync(Guid clientMessageId, string to, string body) =>
        _http.PostAsJsonAsync("/api/messages", new { clientMessageId, to, body });

    public async Task<JsonObject> SendAsync(string to, string body, Guid? clientMessageId = null)
    {
        var response = await SendRawAsync(clientMessageId ?? Guid.NewGuid(), to, body);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"send failed: {(int)response.StatusCode} {json}");
        return json!;
    }

    /// <summary>
    /// Sends as a well-behaved client under load does: a refusal (503 <c>unavailable</c>, 429) is retried with the same
    /// clientMessageId after the Retry-After the server gave.
    /// </summary>
    public async Task<JsonObject> SendPatientlyAsync(string to, string body, Guid? clientMessageId = null)
    {
        var key = clientMessageId ?? Guid.NewGuid();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var response = await SendRawAsync(key, to, body);
            if (response.StatusCode == HttpStatusCode.OK) return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests) || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"send failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    public async Task<(HttpStatusCode Status, JsonObject? Body)> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    public async Task<(HttpStatusCode Status, JsonObject? Body)> PostJsonAsync(string path, object body)
    {
        var response = await _http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    public async Task<JsonArray> ConversationsAsync(int offset = 0, int limit = 20)
    {
        var (status, body) = await GetAsync($"/api/conversations?offset={offset}&limit={limit}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["conversations"]!.AsArray();
    }

    public async Task<(JsonArray Messages, string? NextBefore)> HistoryAsync(string conversationId, string? before = null, int limit = 50)
    {
        var query = before is null ? $"?limit={limit}" : $"?before={before}&limit={limit}";
        var (status, body) = await GetAsync($"/api/conversations/{conversationId}/messages{query}");
        Assert.Equal(HttpStatusCode.OK, status);
        return (body!["messages"]!.AsArray(), (string?)body["nextBefore"]);
    }

    /// <summary>Every message of a conversation, paging back to the start; oldest first.</summary>
    public async Task<List<JsonObject>> FullHistoryAsync(string conversationId, int pageSize = 50)
    {
        var pages = new List<List<JsonObject>>();
        string? before = null;
        do
        {
            var (messages, next) = await HistoryAsync(conversationId, before, pageSize);
            pages.Add(messages.Select(m => m!.AsObject()).ToList());
            before = next;
        } while (before is not null);
        pages.Reverse();
        return pages.SelectMany(p => p).ToList();
    }

    public async Task<(JsonArray Events, long NextAfter)> SyncAsync(long after = 0, int limit = 500)
    {
        var (status, body) = await GetAsync($"/api/sync?after={after}&limit={limit}");
        Assert.Equal(HttpStatusCode.OK, status);
        return (body!["events"]!.AsArray(), (long)body["nextAfter"]!);
    }

    public static string Dm(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"dm:{a}:{b}" : $"dm:{b}:{a}";

    public static string Json(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";

    public void Dispose() => _http.Dispose();
}
