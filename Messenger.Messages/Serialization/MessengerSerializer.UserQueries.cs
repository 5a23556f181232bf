using Messenger.Messages.Users;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>Reads served by a user's inbox (<see cref="UserQueries"/>).</summary>
public sealed partial class MessengerSerializer
{
    private static P.UserGetConversations ToProto(UserQueries.GetConversations m) =>
        new() { UserId = m.UserId, Offset = m.Offset, Limit = m.Limit };

    private static UserQueries.GetConversations FromProto(P.UserGetConversations p) =>
        new(p.UserId, p.Offset, p.Limit);

    private static P.UserGetHistory ToProto(UserQueries.GetHistory m)
    {
        var p = new P.UserGetHistory { UserId = m.UserId, ConversationId = m.ConversationId, Limit = m.Limit };
        if (m.Before is not null) p.Before = m.Before;
        return p;
    }

    private static UserQueries.GetHistory FromProto(P.UserGetHistory p) =>
        new(p.UserId, p.ConversationId, p.HasBefore ? p.Before : null, p.Limit);

    private static P.UserGetInboxAfter ToProto(UserQueries.GetInboxAfter m) =>
        new() { UserId = m.UserId, After = m.After, Limit = m.Limit };

    private static UserQueries.GetInboxAfter FromProto(P.UserGetInboxAfter p) => new(p.UserId, p.After, p.Limit);
}
