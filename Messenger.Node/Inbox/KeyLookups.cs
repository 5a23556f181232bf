using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>
/// Commands parked while storage says whether a key older than the window was used (the key filter said
/// "maybe"). Once storage answers, the answer is kept just long enough to decide the parked commands again.
/// </summary>
public sealed class KeyLookups
{
    private readonly Dictionary<MessageKey, List<(object Command, object ReplyTo)>> _parked = new();
    private readonly Dictionary<MessageKey, InboxMessage?> _answers = new();

    public int Count => _parked.Count;

    public IEnumerable<(MessageKey Key, object Command, object ReplyTo)> Parked =>
        _parked.SelectMany(p => p.Value.Select(c => (p.Key, c.Command, c.ReplyTo)));

    /// <summary>Storage's answer for a key being decided again: found (the stored copy), known absent, or not asked.</summary>
    public bool TryAnswer(MessageKey key, out InboxMessage? found) => _answers.TryGetValue(key, out found);

    /// <summary>Parks the command; true when a storage lookup must start (the first command for this key).</summary>
    public bool Park(MessageKey key, object command, object replyTo)
    {
        if (_parked.TryGetValue(key, out var list))
        {
            list.Add((command, replyTo));
            return false;
        }
        _parked[key] = [(command, replyTo)];
        return true;
    }

    public bool IsParked(MessageKey key) => _parked.ContainsKey(key);

    public List<(object Command, object ReplyTo)> Answered(MessageKey key, InboxMessage? found)
    {
        _answers[key] = found;
        return _parked.Remove(key, out var list) ? list : [];
    }

    public List<(object Command, object ReplyTo)> Failed(MessageKey key) =>
        _parked.Remove(key, out var list) ? list : [];

    public void Decided(MessageKey key) => _answers.Remove(key);
}
