using System.Globalization;

namespace Messenger.Web.Attachments;

/// <summary>
/// One <c>Range: bytes=…</c> request against a file of known size (RFC 9110 §14): <c>a-b</c>, <c>a-</c> or <c>-n</c>.
/// A header that is not one such range (another unit, several ranges, bad syntax) is ignored: the whole file is sent.
/// </summary>
public readonly record struct ByteRange(long From, long Length)
{
    public enum Kind { Whole, Partial, Unsatisfiable }

    public static (Kind Kind, ByteRange Range) Parse(string? header, long size)
    {
        var whole = (Kind.Whole, new ByteRange(0, size));
        if (string.IsNullOrWhiteSpace(header)) return whole;
        var text = header.Trim();
        if (!text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return whole;
        var spec = text[6..].Trim();
        if (spec.Contains(',')) return whole;
        var dash = spec.IndexOf('-');
        if (dash < 0) return whole;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();

        if (first.Length == 0)
        {
            // -n: the last n bytes.
            if (!TryNumber(last, out var suffix)) return whole;
            if (suffix == 0 || size == 0) return (Kind.Unsatisfiable, default);
            var n = Math.Min(suffix, size);
            return (Kind.Partial, new ByteRange(size - n, n));
        }
        if (!TryNumber(first, out var from)) return whole;
        long to;
        if (last.Length == 0) to = size - 1;
        else if (!TryNumber(last, out to) || to < from) return whole;
        if (from >= size) return (Kind.Unsatisfiable, default);
        to = Math.Min(to, size - 1);
        return (Kind.Partial, new ByteRange(from, to - from + 1));
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
