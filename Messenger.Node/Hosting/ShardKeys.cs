using Akka.Cluster.Sharding;
using Messenger.Messages.Accounts;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;

namespace Messenger.Node.Hosting;

/// <summary>Registry key of the user inbox shard region (or its proxy on a web-only node).</summary>
public sealed class UserInboxes;

/// <summary>Registry key of the group shard region (or its proxy): one entity per group conversation.</summary>
public sealed class GroupChats;

/// <summary>Registry key of the account shard region (or its proxy).</summary>
public sealed class UserAccounts;

/// <summary>
/// Routes inbox messages by user id. The base class hashes entity ids with MurmurHash, which is stable across
/// processes (string.GetHashCode is not, and would split a user over two shards in a cluster).
/// </summary>
public sealed class UserInboxExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => (message as IWithUserId)?.UserId;
}

public sealed class UserAccountExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => (message as IWithUsername)?.Username;
}

/// <summary>Routes group messages by the group's conversation id (<c>grp:&lt;id&gt;</c>), MurmurHash like the others.</summary>
public sealed class GroupExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => (message as IWithGroupId)?.GroupId;
}
