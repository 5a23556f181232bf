using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>
/// The recipient's half of the saga's guarantee: every message stored as recipient is owed a sender copy until
/// the sender confirms it. Owed copies not confirmed in time are driven (asked of the sender's inbox directly),
/// with backoff, never given up. Confirmations are batched into one event (two writes per message, not three).
/// </summary>
public sealed class SenderCopyDriver
{
    public const int ConfirmationBatch = 256;

    private readonly Dictionary<Guid, (DateTime Due, int Attempts)> _owed = new();
    private readonly List<Guid> _confirmed = new();
    private readonly SendSettings _settings;
    private DateTime _nextFlush = DateTime.MinValue;

    public SenderCopyDriver(SendSettings settings) => _settings = settings;

    public int OwedCount => _owed.Count;
    public int ConfirmedCount => _confirmed.Count;

    public void Owe(Guid messageId, DateTime now) => _owed[messageId] = (now + _settings.DriveSenderCopyAfter, 0);

    /// <summary>After recovery every unconfirmed copy is owed again, driven soon.</summary>
    public void Recovered(IEnumerable<Guid> awaiting, DateTime now)
    {
        foreach (var id in awaiting) _owed[id] = (now + _settings.FirstRetry, 0);
    }

    public void Forget(Guid messageId) => _owed.Remove(messageId);

    /// <summary>The sender's copy is durable: true when this confirmation is new and now waits to be written.</summary>
    public bool Confirm(Guid messageId, IReadOnlyDictionary<Guid, ChatMessage> awaiting)
    {
        if (!_owed.Remove(messageId) || !awaiting.ContainsKey(messageId)) return false;
        _confirmed.Add(messageId);
        return true;
    }

    /// <summary>True when the confirmations collected are to be written now (the tick's question): at most once per
    /// <see cref="SendSettings.ConfirmationFlushInterval"/>, so a busy inbox writes one row a second, not one per tick.</summary>
    public bool ConfirmationsDue(DateTime now)
    {
        if (_confirmed.Count == 0 || now < _nextFlush) return false;
        _nextFlush = now + _settings.ConfirmationFlushInterval;
        return true;
    }

    public IReadOnlyList<Guid> TakeConfirmed()
    {
        var ids = _confirmed.ToArray();
        _confirmed.Clear();
        return ids;
    }

    /// <summary>A confirmation write was refused: those copies are still unconfirmed in the journal, owed again.</summary>
    public void ConfirmationsLost(IEnumerable<Guid> ids, DateTime now)
    {
        foreach (var id in ids) _owed[id] = (now + _settings.FirstRetry, 0);
    }

    /// <summary>Owed copies due now, rescheduled with backoff.</summary>
    public IReadOnlyList<ChatMessage> Due(DateTime now, IReadOnlyDictionary<Guid, ChatMessage> awaiting)
    {
        // Ticks run ten times a second per busy inbox: nothing is copied or allocated when nothing is due.
        List<Guid>? dueIds = null;
        foreach (var (id, (at, _)) in _owed)
            if (at <= now) (dueIds ??= new()).Add(id);
        if (dueIds is null) return [];
        var due = new List<ChatMessage>();
        foreach (var id in dueIds)
        {
            var (_, attempts) = _owed[id];
            if (!awaiting.TryGetValue(id, out var message))
            {
                _owed.Remove(id);
                continue;
            }
            due.Add(message);
            _owed[id] = (now + _settings.Backoff(attempts + 2), attempts + 1);
        }
        return due;
    }
}
