using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Messenger.Web.Api;

/// <summary>
/// Kestrel answers requests it cannot parse (a request target with an encoded NUL, a bad Content-Length, headers
/// over the limit, a target too long) itself, before any middleware runs, with an empty body and no hook to change it.
/// This connection middleware watches the HTTP/1.1 bytes leaving the connection and gives exactly those answers —
/// an error status, <c>Content-Length: 0</c>, no <c>Content-Type</c>, which the app never writes since every app error
/// carries a body — the contract's {"code","message"} body. After a 101 upgrade the bytes are only copied.
/// </summary>
public static class RejectedRequestBodies
{
    public static void UseErrorBodiesForRejectedRequests(this ListenOptions listen) => listen.Use(next => async connection =>
    {
        var original = connection.Transport;
        var outgoing = new Pipe(new PipeOptions(useSynchronizationContext: false));
        connection.Transport = new Duplex(original.Input, outgoing.Writer);
        var pump = PumpAsync(outgoing.Reader, original.Output);
        try
        {
            await next(connection);
        }
        finally
        {
            await outgoing.Writer.CompleteAsync();
            await pump;
            connection.Transport = original;
        }
    });

    private static async Task PumpAsync(PipeReader from, PipeWriter to)
    {
        var upgraded = false;
        try
        {
            while (true)
            {
                var read = await from.ReadAsync();
                var buffer = read.Buffer;
                if (!buffer.IsEmpty)
                {
                    if (!upgraded && StartsWith(buffer, "HTTP/1.1 101 "u8)) upgraded = true;
                    var rewritten = upgraded ? null : TryRewrite(buffer);
                    if (rewritten is not null) to.Write(rewritten);
                    else foreach (var segment in buffer) to.Write(segment.Span);
                    var flushed = await to.FlushAsync();
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        from.AdvanceTo(buffer.End);
                        break;
                    }
                }
                from.AdvanceTo(buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ConnectionAbortedException or OperationCanceledException)
        {
            // The peer is gone; nothing more to deliver.
        }
        await from.CompleteAsync();
        await to.CompleteAsync();
    }

    private static bool StartsWith(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> prefix)
    {
        if (buffer.Length < prefix.Length) return false;
        Span<byte> head = stackalloc byte[prefix.Length];
        buffer.Slice(0, prefix.Length).CopyTo(head);
        return head.SequenceEqual(prefix);
    }

    /// <summary>The rejection with the contract body, or null when these bytes are anything else.</summary>
    private static byte[]? TryRewrite(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length > 4096 || !StartsWith(buffer, "HTTP/1.1 "u8)) return null;
        var text = Encoding.Latin1.GetString(buffer.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || text.Length < 12 || !int.TryParse(text.AsSpan(9, 3), out var status) || status < 400) return null;
        var lines = text[..end].Split("\r\n");
        if (!lines.Contains("Content-Length: 0", StringComparer.OrdinalIgnoreCase)) return null;
        if (lines.Any(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))) return null;

        var body = Encoding.UTF8.GetBytes(
            $"{{\"code\":\"{ErrorBodies.CodeOf(status)}\",\"message\":\"{ErrorBodies.MessageOf(status)}\"}}");
        var head = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var line in lines.Skip(1).Where(l => !l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
            head.Append(line).Append("\r\n");
        head.Append("Content-Type: application/json; charset=utf-8\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body, .. Encoding.Latin1.GetBytes(text[(end + 4)..])];
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
