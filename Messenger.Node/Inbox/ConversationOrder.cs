using System.Globalization;

namespace Messenger.Node.Inbox;

/// <summary>
/// Conversation order: a hybrid logical clock (48 bits of Unix milliseconds, 16 bits of counter) written as
/// 16 hex digits, then 8 hex digits of the message id as a tie-break. Fixed width, so ordinal string order
/// is clock order, and both copies carry the same string because the sender stamps it once.
/// </summary>
public static class ConversationOrder
{
    public const int Length = 24;

    public static string Format(long clock, Guid messageId)
    {
        Span<byte> id = stackalloc byte[16];
        messageId.TryWriteBytes(id);
        var tie = BitConverter.ToUInt32(id[..4]);
        return clock.ToString("x16", CultureInfo.InvariantCulture) + tie.ToString("x8", CultureInfo.InvariantCulture);
    }

    public static long ClockOf(string order) =>
        long.Parse(order.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    public static bool IsValid(string? order)
    {
        if (order is null || order.Length != Length) return false;
        foreach (var c in order)
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    /// <summary>The next clock value: past everything this user has seen, and not behind wall time.</summary>
    public static long Next(long seen, DateTime utcNow)
    {
        var wall = new DateTimeOffset(utcNow).ToUnixTimeMilliseconds() << 16;
        return Math.Max(wall, seen + 1);
    }
}
