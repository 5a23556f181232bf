using Messenger.Messages.Users;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Reads served by a user's inbox (<see cref="UserQueries"/>).</summary>
internal static class UserQueryFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<UserQueries.GetConversations, P.UserGetConversations>("u-get-convs",
            m => new() { UserId = m.UserId, Offset = m.Offset, Limit = m.Limit },
            p => new(p.UserId, p.Offset, p.Limit))
        .Add<UserQueries.GetHistory, P.UserGetHistory>("u-get-history",
            m =>
            {
                var p = new P.UserGetHistory { UserId = m.UserId, ConversationId = m.ConversationId, Limit = m.Limit };
                if (m.Before is not null) p.Before = m.Before;
                return p;
            },
            p => new(p.UserId, p.ConversationId, p.HasBefore ? p.Before : null, p.Limit))
        .Add<UserQueries.GetInboxAfter, P.UserGetInboxAfter>("u-get-inbox",
            m => new() { UserId = m.UserId, After = m.After, Limit = m.Limit },
            p => new(p.UserId, p.After, p.Limit));
}
