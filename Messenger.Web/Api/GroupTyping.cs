using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>
/// Typing in a group (API.md "Typing"): the edge fans the hint out itself, to the inbox of every other member (which
/// pushes it to that member's devices), from this node's <see cref="GroupRosters"/>. A caller who is not a member gets
/// the same refusal as for a 1:1 conversation they are not in, on their device.
/// </summary>
public sealed class GroupTyping(GroupRosters rosters, InboxRegion inboxes)
{
    public async Task RelayAsync(string me, string groupId, IActorRef device)
    {
        var (standing, members) = await rosters.MembersAsync(me, groupId);
        if (standing == GroupRosters.Standing.NotMember)
        {
            device.Tell(new PresenceReplies.TypingRefused(groupId, ErrorCodes.NotFound, "no such conversation"));
            return;
        }
        if (standing != GroupRosters.Standing.Member) return;
        var region = await inboxes.GetAsync(CancellationToken.None);
        foreach (var member in members)
            if (member != me) region.Tell(new PresenceCommands.TypingTo(member, groupId, me), ActorRefs.NoSender);
    }
}
