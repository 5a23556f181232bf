using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>
/// Creates the bench's groups over HTTP (<c>POST /api/groups</c>, API.md v2). Creating is not idempotent, so a create
/// answered 503 (not durable in every member's copy in time: the group still drives the copies) or not answered at
/// all is first looked for in the creator's conversation list by its unique name, and only sent again when it never
/// shows up there.
/// </summary>
public sealed class GroupSetup : IDisposable
{
    private static readonly TimeSpan LookFor = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    public GroupSetup(Uri baseUrl)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The new group's conversation id, or null (with the reason written to stderr) when it could not be made.</summary>
    public async Task<string?> CreateAsync(BenchUser creator, string name, IEnumerable<string> others, CancellationToken ct)
    {
        var body = new JsonObject { ["name"] = name, ["members"] = new JsonArray(others.Select(o => (JsonNode)o).ToArray()) }.ToJsonString();
        string last = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var (status, text) = await SendAsync(HttpMethod.Post, "api/groups", creator.Token, body, ct).ConfigureAwait(false);
            if (status == 201 && ConversationIdOf(text) is { } created) return created;
            last = $"{status} {text}";
            if (status is not (0 or 429 or 503)) break;
            if (await FindAsync(creator, name, ct).ConfigureAwait(false) is { } found) return found;
        }
        Console.Error.WriteLine($"  group '{name}' not created: {last}");
        return null;
    }

    /// <summary>Polls the creator's conversations for a group named <paramref name="name"/> (bounded).</summary>
    private async Task<string?> FindAsync(BenchUser creator, string name, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < LookFor)
        {
            var (status, text) = await SendAsync(HttpMethod.Get, "api/conversations?offset=0&limit=100", creator.Token, null, ct).ConfigureAwait(false);
            if (status == 200 && Find(text, name) is { } id) return id;
            await Task.Delay(500, ct).ConfigureAwait(false); // polling interval of a bounded wait
        }
        return null;
    }

    private static string? ConversationIdOf(string json)
    {
        try
        {
            return (string?)JsonNode.Parse(json)?["conversationId"];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The conversation id of the group called <paramref name="name"/> in a conversation list, if there.</summary>
    public static string? Find(string conversationsJson, string name)
    {
        try
        {
            var list = JsonNode.Parse(conversationsJson)?["conversations"]?.AsArray() ?? [];
            return list.Where(c => c?["group"] is JsonObject g && (string?)g["name"] == name)
                .Select(c => (string?)c!["conversationId"]).FirstOrDefault();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string token, string? json, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            if (ct.IsCancellationRequested) throw;
            return (0, e.GetType().Name);
        }
    }

    public void Dispose() => _http.Dispose();
}
