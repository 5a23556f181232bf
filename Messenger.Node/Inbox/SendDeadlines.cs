namespace Messenger.Node.Inbox;

/// <summary>
/// The contract's send deadline (Messenger:Inbox:SendDeadlineSeconds) split between the edge and the inbox: the edge
/// answers every send by the deadline; the inbox's saga gives up a fifth earlier, so its own <c>unavailable</c> (and a
/// fast answer the edge asks again) reaches the client before the edge would have to give up on the inbox.
/// </summary>
public static class SendDeadlines
{
    public static TimeSpan ForInbox(TimeSpan contract) => contract * 0.8;
}
