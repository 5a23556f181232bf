using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Messenger.Web.Api;

/// <summary>
/// Kestrel answers requests it cannot parse (a request target with an encoded NUL, a bad Content-Length, headers
/// over the limit, a target too long) itself, before any middleware runs, with an empty body and no hook to change it.
/// This connection middleware sees each chunk Kestrel commits to the connection and replaces exactly those answers —
/// an HTTP/1.1 head with an error status, <c>Content-Length: 0</c> and no <c>Content-Type</c>, which the app never
/// writes since every app error carries a body — with the same answer carrying the contract's {"code","message"}.
/// No copy and no extra hop: other bytes pass straight through, and after a 101 upgrade nothing is inspected.
/// </summary>
public static class RejectedRequestBodies
{
    public static void UseErrorBodiesForRejectedRequests(this ListenOptions listen) => listen.Use(next => connection =>
    {
        var original = connection.Transport;
        connection.Transport = new Duplex(original.Input, new InspectingWriter(original.Output));
        return next(connection);
    });

    /// <summary>The rejection with the contract body, or null when these bytes are anything else.</summary>
    public static byte[]? TryRewrite(ReadOnlySpan<byte> written)
    {
        if (written.Length is < 16 or > 4096 || !written.StartsWith("HTTP/1.1 "u8) || written[9] is < (byte)'4' or > (byte)'5') return null;
        var text = Encoding.Latin1.GetString(written);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || !int.TryParse(text.AsSpan(9, 3), out var status)) return null;
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
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body, .. written[(end + 4)..]];
    }

    private sealed class InspectingWriter(PipeWriter inner) : PipeWriter
    {
        private Memory<byte> _handedOut;
        private bool _upgraded;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _handedOut = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (!_upgraded && bytes >= 12 && _handedOut.Length >= bytes)
            {
                var written = _handedOut.Span[..bytes];
                if (written.StartsWith("HTTP/1.1 101 "u8)) _upgraded = true;
                else if (TryRewrite(written) is { } rewritten)
                {
                    _handedOut = default;
                    inner.Write(rewritten);
                    return;
                }
            }
            _handedOut = default;
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
