namespace Messenger.Messages.Groups;

/// <summary>Addressed to one group's entity; the group shard region routes by <see cref="GroupId"/> (the group's
/// conversation id, <c>grp:&lt;id&gt;</c>).</summary>
public interface IWithGroupId : IMessengerMessage
{
    string GroupId { get; }
}
