namespace Messenger.Node.Inbox;

/// <summary>An idempotency key: the sender and the id its client chose. Names exactly one message in both copies.</summary>
public readonly record struct MessageKey(string From, Guid ClientMessageId);
