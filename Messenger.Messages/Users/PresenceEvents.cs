namespace Messenger.Messages.Users;

/// <summary>What a user's inbox persists about presence, so <c>lastSeen</c> survives restarts.</summary>
public static class PresenceEvents
{
    /// <summary>The user came online (a first device attached) or went offline (the last one left) at <see cref="At"/>.
    /// The newest one is also the snapshot's presence field.</summary>
    public sealed record PresenceRecorded(bool Online, DateTime At) : IMessengerMessage;
}
