using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>
/// The first half of the send saga, held by the sender's inbox: stamped messages whose recipient copy is not
/// confirmed yet, with the clients waiting for them. One periodic tick of the inbox retries them with backoff
/// until the deadline (no actor and no timer per send).
/// </summary>
public sealed class PendingSends
{
    public sealed class PendingSend(ChatMessage message, DateTime deadline)
    {
        public ChatMessage Message { get; } = message;
        public DateTime Deadline { get; } = deadline;
        public List<object> Waiters { get; } = new();
        public int Attempts { get; set; }
        public DateTime NextTry { get; set; }
    }

    private readonly Dictionary<Guid, PendingSend> _byKey = new();
    private readonly SendSettings _settings;

    public PendingSends(SendSettings settings) => _settings = settings;

    public int Count => _byKey.Count;
    public IEnumerable<PendingSend> All => _byKey.Values;

    public PendingSend Start(ChatMessage message, object waiter, DateTime now)
    {
        var pending = new PendingSend(message, now + _settings.Deadline) { NextTry = now + _settings.Backoff(0), Attempts = 1 };
        pending.Waiters.Add(waiter);
        _byKey[message.ClientMessageId] = pending;
        return pending;
    }

    public PendingSend? Find(Guid clientMessageId) => _byKey.GetValueOrDefault(clientMessageId);

    public PendingSend? Take(Guid clientMessageId) => _byKey.Remove(clientMessageId, out var p) ? p : null;

    /// <summary>Sends past their deadline, removed: their clients hear <c>unavailable</c> and retry with the same key.</summary>
    public IReadOnlyList<PendingSend> TakeExpired(DateTime now)
    {
        // Ticks run ten times a second per busy inbox: nothing is allocated when nothing is due.
        List<PendingSend>? expired = null;
        foreach (var p in _byKey.Values)
            if (now >= p.Deadline) (expired ??= new()).Add(p);
        if (expired is null) return [];
        foreach (var p in expired) _byKey.Remove(p.Message.ClientMessageId);
        return expired;
    }

    /// <summary>Messages whose next attempt is due; each is rescheduled with backoff.</summary>
    public IReadOnlyList<ChatMessage> DueRetries(DateTime now)
    {
        List<ChatMessage>? due = null;
        foreach (var p in _byKey.Values)
        {
            if (now < p.NextTry) continue;
            (due ??= new()).Add(p.Message);
            p.NextTry = now + _settings.Backoff(p.Attempts++);
        }
        return due ?? (IReadOnlyList<ChatMessage>)[];
    }
}
