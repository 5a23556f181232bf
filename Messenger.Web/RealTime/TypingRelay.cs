using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary>
/// A connection's <c>typing</c> frames: checked here as far as the id alone tells (a missing id is
/// <c>invalid_request</c>, an id that does not name the caller <c>not_found</c>), throttled, then handed to the
/// caller's inbox, which checks the conversation and relays it to the peer's inbox (a group's: to every other member's
/// inbox, from the roster its copy of the group holds). Only a refusal comes back.
/// </summary>
public sealed class TypingRelay(string me, InboxGateway gateway, IActorRef device)
{
    private readonly TypingThrottle _throttle = new();

    /// <summary>The error frame to answer with, or null (relayed or dropped by the throttle).</summary>
    public ServerFrame? Accept(ClientFrame frame, long nowMs)
    {
        if (string.IsNullOrEmpty(frame.ConversationId))
            return new ErrorFrame(ErrorCodes.InvalidRequest, "typing needs a conversationId");
        if (!ConversationId.IsGroup(frame.ConversationId) && ConversationId.PeerOf(frame.ConversationId, me) is null)
            return new ErrorFrame(ErrorCodes.NotFound, "no such conversation");
        if (_throttle.TryTake(nowMs)) _ = gateway.TellAsync(new PresenceCommands.Typing(me, frame.ConversationId), device);
        return null;
    }
}
