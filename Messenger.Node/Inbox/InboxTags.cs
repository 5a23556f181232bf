using Akka.Persistence.Journal;

namespace Messenger.Node.Inbox;

/// <summary>
/// Stored messages were once wrapped with tags for Akka.Persistence.Sql's tag table. Messenger's journal indexes events
/// by their own fields (see JournalSchema), so the inbox persists events as they are (no tag strings per message);
/// an event that arrives wrapped is unwrapped.
/// </summary>
public static class InboxTags
{
    public static object Unwrap(object evt) => evt is Tagged tagged ? tagged.Payload : evt;
}
