using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Messenger.Tests.Auth;

/// <summary>
/// Raw calls to the auth endpoints, optionally as if relayed by a local reverse proxy for another client
/// (<c>X-Forwarded-For</c>: the test connects from loopback, which the server trusts as a proxy by default).
/// </summary>
public sealed class AuthRequests(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Task<HttpResponseMessage> SignInAsync(string username, string password, string? forwardedFor = null) =>
        PostAsync("/api/auth/signin", new { username, password }, null, forwardedFor);

    public Task<HttpResponseMessage> SignUpAsync(string username, string password, string? forwardedFor = null) =>
        PostAsync("/api/auth/signup", new { username, password }, null, forwardedFor);

    public Task<HttpResponseMessage> PostAsync(string path, object? body, string? token, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return _http.SendAsync(request);
    }

    public async Task<HttpStatusCode> GetStatusAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Signs in and returns the new token (asserting success).</summary>
    public async Task<string> TokenAsync(string username, string password, string? forwardedFor = null)
    {
        using var response = await SignInAsync(username, password, forwardedFor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
    }

    public static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 0 ? (string?)JsonNode.Parse(text)?["code"] : null;
    }

    public static int? RetryAfterSeconds(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null;

    public void Dispose() => _http.Dispose();
}
