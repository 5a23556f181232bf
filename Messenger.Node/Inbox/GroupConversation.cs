using Messenger.Messages.Chat;
using Messenger.Messages.Groups;

namespace Messenger.Node.Inbox;

/// <summary>
/// What one member's inbox knows about a group: the roster carried by the newest membership event it holds (by
/// order, since copies of concurrent fan-outs may arrive out of order). Before any membership event arrived (a text
/// copy can overtake the group_created one) the roster is unknown and the user counts as a member: the group only
/// sends copies to members.
/// </summary>
public sealed class GroupConversation
{
    public GroupRoster? Roster { get; private set; }

    /// <summary>Order of the membership event <see cref="Roster"/> came from ("" = none yet).</summary>
    public string RosterOrder { get; private set; } = "";

    public bool IsMember(string me) => Roster?.Contains(me) ?? true;

    /// <summary>The other members as this copy knows them (none while the roster is unknown).</summary>
    public IEnumerable<string> Others(string me) =>
        Roster is null ? [] : Roster.Members.Select(m => m.UserId).Where(id => id != me);

    /// <summary>A message of the group was stored: a membership event newer than the roster replaces it.</summary>
    public void Stored(ChatMessage message)
    {
        if (message.Roster is null || !MessageKinds.IsMembership(message.Kind)) return;
        if (string.CompareOrdinal(message.Order, RosterOrder) <= 0) return;
        Roster = message.Roster;
        RosterOrder = message.Order;
    }

    public void Restore(GroupRoster? roster, string rosterOrder)
    {
        Roster = roster;
        RosterOrder = rosterOrder;
    }
}
