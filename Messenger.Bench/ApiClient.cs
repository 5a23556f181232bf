using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Messenger.Bench;

/// <summary>The few HTTP calls the bench makes: sign-up, health, sends, history and the server's /metrics.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public Uri BaseUrl { get; }

    public ApiClient(Uri baseUrl)
    {
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var handler = new SocketsHttpHandler
        {
            // Enough parallelism for bounded-concurrency sign-up without opening a socket per request.
            MaxConnectionsPerServer = 64,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        _http = new HttpClient(handler) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>WebSocket base URL (ws:// or wss://) with a trailing slash.</summary>
    public Uri WebSocketBase => new UriBuilder(BaseUrl) { Scheme = BaseUrl.Scheme == "https" ? "wss" : "ws" }.Uri;

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            using var r = await _http.GetAsync("health/ready", ct).ConfigureAwait(false);
            return r.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public enum SignUpStatus { Ok, Taken, Retryable, Failed }

    public readonly record struct SignUpResult(SignUpStatus Status, string? Token, string? UserId, string Detail);

    public async Task<SignUpResult> SignUpAsync(string username, string password, CancellationToken ct)
    {
        try
        {
            using var r = await _http.PostAsJsonAsync("api/auth/signup", new SignUpRequest(username, password), BenchJson.Default.SignUpRequest, ct).ConfigureAwait(false);
            if (r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.OK)
            {
                var body = await r.Content.ReadFromJsonAsync(BenchJson.Default.SignUpResponse, ct).ConfigureAwait(false);
                return body?.Token is { Length: > 0 } token
                    ? new SignUpResult(SignUpStatus.Ok, token, body.UserId, "")
                    : new SignUpResult(SignUpStatus.Failed, null, null, "no token in response");
            }
            if (r.StatusCode == HttpStatusCode.Conflict) return new SignUpResult(SignUpStatus.Taken, null, null, "username_taken");
            var status = (int)r.StatusCode is 429 or >= 500 ? SignUpStatus.Retryable : SignUpStatus.Failed;
            return new SignUpResult(status, null, null, "http_" + (int)r.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            if (ct.IsCancellationRequested) throw;
            return new SignUpResult(SignUpStatus.Retryable, null, null, e.GetType().Name);
        }
    }

    /// <summary>GET /metrics (Prometheus text); null when the endpoint is missing or unreachable.</summary>
    public async Task<PrometheusText?> GetMetricsAsync(CancellationToken ct)
    {
        try
        {
            using var r = await _http.GetAsync("metrics", ct).ConfigureAwait(false);
            if (!r.IsSuccessStatusCode) return null;
            var text = await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return PrometheusText.Parse(text, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            if (ct.IsCancellationRequested) throw;
            return null;
        }
    }

    /// <summary>POST /api/messages as the token's user; the HTTP status (0 when the request itself failed).</summary>
    public async Task<int> SendMessageAsync(string token, Guid clientMessageId, string to, string body, CancellationToken ct)
    {
        try
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, "api/messages")
            {
                Content = JsonContent.Create(new SendRequest(clientMessageId, to, body), BenchJson.Default.SendRequest),
            };
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var r = await _http.SendAsync(req, ct).ConfigureAwait(false);
            return (int)r.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            if (ct.IsCancellationRequested) throw;
            return 0;
        }
    }

    /// <summary>GET <paramref name="path"/> as the token's user: status and body, read to the end.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path, string token, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await _http.SendAsync(req, ct).ConfigureAwait(false);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }

    public void Dispose() => _http.Dispose();
}

public sealed record SignUpRequest(string Username, string Password);

public sealed record SignUpResponse(string? UserId, string? Token);

public sealed record SendRequest(Guid ClientMessageId, string To, string Body);
