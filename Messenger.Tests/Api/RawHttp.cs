using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>
/// Sends exact request bytes over a plain TCP connection, as a hostile client would: no client library normalises the
/// path (HttpClient would unescape <c>%2e%2e</c> and drop dot segments) or refuses a malformed header.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, string Head, string Body)
    {
        public JsonObject? Json => Body.Length > 0 ? JsonNode.Parse(Body) as JsonObject : null;
    }

    public static Task<Response> GetAsync(Uri baseUrl, string rawTarget, string? token = null) =>
        SendAsync(baseUrl, $"GET {rawTarget} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\n"
                           + (token is null ? "" : $"Authorization: Bearer {token}\r\n") + "Connection: close\r\n\r\n");

    /// <summary>Sends <paramref name="request"/> verbatim and reads until the server closes or the body is complete.</summary>
    public static async Task<Response> SendAsync(Uri baseUrl, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(ChatSocket.DefaultWait);
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                break;
            }
            if (n == 0) break;
            received.Write(buffer, 0, n);
            if (IsComplete(received.ToArray())) break;
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) throw new InvalidOperationException($"no complete response: '{text}'");
        var head = text[..split];
        var status = int.Parse(head.Split(' ')[1]);
        return new Response(status, head, text[(split + 4)..]);
    }

    private static bool IsComplete(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0) return false;
        foreach (var line in text[..split].Split("\r\n"))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                return bytes.Length - split - 4 >= int.Parse(line["Content-Length:".Length..].Trim());
        return false;
    }
}
