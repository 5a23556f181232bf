namespace Messenger.Messages.Chat;

/// <summary>
/// The shape of a conversation <c>order</c> as clients send it back (history's <c>before</c>, read's <c>upTo</c>):
/// 24 lower-case hex digits. The edge checks it here so it needs nothing of the inbox's internals.
/// </summary>
public static class OrderFormat
{
    public const int Length = 24;

    public static bool IsValid(string? order)
    {
        if (order is null || order.Length != Length) return false;
        foreach (var c in order)
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }
}
