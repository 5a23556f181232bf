namespace Messenger.Messages.Users;

/// <summary>Addressed to one user's inbox entity; the shard region routes by <see cref="UserId"/>.</summary>
public interface IWithUserId : IMessengerMessage
{
    string UserId { get; }
}
