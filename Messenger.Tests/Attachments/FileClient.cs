using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Attachments;

/// <summary>A user's HTTP client for attachments: uploads, downloads with any headers, sends carrying attachments.</summary>
public sealed class FileClient : IDisposable
{
    private readonly HttpClient _http;

    public FileClient(ChatClient user)
    {
        User = user;
        _http = new HttpClient { BaseAddress = user.BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
    }

    public ChatClient User { get; }
    public string UserId => User.UserId;

    public Task<HttpResponseMessage> UploadRawAsync(HttpContent content, string? name = "file.bin", bool expectContinue = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, name is null ? "/api/attachments" : $"/api/attachments?name={Uri.EscapeDataString(name)}")
        {
            Content = content,
        };
        if (expectContinue) request.Headers.ExpectContinue = true;
        return _http.SendAsync(request);
    }

    public async Task<JsonObject> UploadAsync(byte[] bytes, string contentType, string name = "file.bin")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await UploadRawAsync(content, name);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<string> UploadIdAsync(byte[] bytes, string contentType = "application/octet-stream") =>
        (string)(await UploadAsync(bytes, contentType))["attachmentId"]!;

    public Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        return _http.SendAsync(request, completion);
    }

    /// <summary>Returns once the headers are in: the body is read as it streams.</summary>
    public Task<HttpResponseMessage> StreamAsync(string attachmentId) =>
        GetAsync($"/api/attachments/{attachmentId}", null, HttpCompletionOption.ResponseHeadersRead);

    public Task<HttpResponseMessage> DownloadAsync(string attachmentId, Action<HttpRequestMessage>? configure = null) =>
        GetAsync($"/api/attachments/{attachmentId}", configure);

    public async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(string to, string body, string[] attachments, Guid? clientMessageId = null)
    {
        using var response = await _http.PostAsJsonAsync("/api/messages",
            new { clientMessageId = clientMessageId ?? Guid.NewGuid(), to, body, attachments });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    public void Dispose() => _http.Dispose();

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Rows the store holds for <paramref name="uploader"/>: (attachments, chunks).</summary>
    public static async Task<(long Attachments, long Chunks)> StoredRowsAsync(JournalDatabase database, string uploader)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT (SELECT COUNT(*) FROM attachments WHERE uploader = @u), " +
            "(SELECT COUNT(*) FROM attachment_chunks c JOIN attachments a ON a.attachment_id = c.attachment_id WHERE a.uploader = @u)";
        var p = command.CreateParameter();
        p.ParameterName = "u";
        p.Value = uploader;
        command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Convert.ToInt64(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1)));
    }

    public static async Task<long> CountAsync(JournalDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
