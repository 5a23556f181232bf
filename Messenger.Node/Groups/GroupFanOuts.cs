using Messenger.Messages.Chat;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Messages.Users.UserCommands;

namespace Messenger.Node.Groups;

/// <summary>
/// The fan-out saga as data: per stamped message, the members whose copies are still owed, each with its own retry
/// schedule. A text message's copies go to every other member in parallel and to its sender last (the sender's copy
/// answers the sender's waiters: <c>sent</c> once every copy is durable); a membership event's to everyone concerned in
/// parallel. Each message is its own entry, so a slow member delays only the messages it owes, never the group.
/// </summary>
public sealed class GroupFanOuts(GroupSettings settings, Func<double>? jitter = null)
{
    private readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;
    private readonly Dictionary<Guid, FanOut> _open = new();

    private sealed class FanOut(ChatMessage message, string? lastCopy)
    {
        public ChatMessage Message { get; } = message;

        /// <summary>The sender of a text message, whose copy waits for all others (null for membership events).</summary>
        public string? LastCopy { get; } = lastCopy;

        public Dictionary<string, Attempt> Owed { get; } = new();
    }

    private sealed class Attempt(DateTime due)
    {
        public int Count { get; set; }
        public DateTime Due { get; set; } = due;
    }

    public int Count => _open.Count;

    public bool Contains(Guid messageId) => _open.ContainsKey(messageId);

    /// <summary>Who still owes a copy of this message (the held-back sender included).</summary>
    public IReadOnlyCollection<string> OwedBy(Guid messageId)
    {
        if (!_open.TryGetValue(messageId, out var f)) return [];
        var owed = f.Owed.Keys.ToList();
        if (f.LastCopy is { } last && !f.Owed.ContainsKey(last)) owed.Add(last);
        return owed;
    }

    /// <summary>Starts (or, after a restart, resumes) a message's fan-out; returns the copies to ask for now.</summary>
    public List<StoreGroupCopy> Start(MessageStamped stamped, DateTime now)
    {
        var message = stamped.Message;
        if (_open.ContainsKey(message.MessageId)) return [];
        var lastCopy = MessageKinds.IsText(message.Kind) && stamped.Recipients.Contains(message.From) ? message.From : null;
        var fanOut = new FanOut(message, lastCopy);
        foreach (var member in stamped.Recipients.Distinct())
            if (member != lastCopy) fanOut.Owed[member] = new Attempt(now);
        if (fanOut.Owed.Count == 0 && lastCopy is not null) fanOut.Owed[lastCopy] = new Attempt(now);
        if (fanOut.Owed.Count == 0) return [];
        _open[message.MessageId] = fanOut;
        return Due(fanOut, now);
    }

    /// <summary>
    /// A member's copy is durable (or the member can hold none: its inbox does not exist). Returns the copies to ask
    /// for next (the sender's, once the others are done) and whether the message's fan-out is complete.
    /// </summary>
    public (List<StoreGroupCopy> Next, bool Complete) Stored(Guid messageId, string userId, DateTime now)
    {
        if (!_open.TryGetValue(messageId, out var fanOut) || !fanOut.Owed.Remove(userId)) return ([], false);
        if (fanOut.Owed.Count > 0) return ([], false);
        if (fanOut.LastCopy is { } sender && userId != sender)
        {
            fanOut.Owed[sender] = new Attempt(now);
            return (Due(fanOut, now), false);
        }
        _open.Remove(messageId);
        return ([], true);
    }

    /// <summary>The messages with this client message id (a member's refusal names the message by it).</summary>
    public IEnumerable<Guid> WithClientMessageId(Guid clientMessageId) =>
        _open.Values.Where(f => f.Message.ClientMessageId == clientMessageId).Select(f => f.Message.MessageId).ToList();

    /// <summary>The tick: every copy whose retry is due is asked for again, and its next retry is backed off.</summary>
    public List<StoreGroupCopy> Due(DateTime now)
    {
        var due = new List<StoreGroupCopy>();
        foreach (var fanOut in _open.Values) due.AddRange(Due(fanOut, now));
        return due;
    }

    private List<StoreGroupCopy> Due(FanOut fanOut, DateTime now)
    {
        var due = new List<StoreGroupCopy>();
        foreach (var (member, attempt) in fanOut.Owed)
        {
            if (attempt.Due > now) continue;
            due.Add(new StoreGroupCopy(member, fanOut.Message));
            attempt.Due = now + settings.Backoff(attempt.Count, _jitter());
            attempt.Count++;
        }
        return due;
    }
}
