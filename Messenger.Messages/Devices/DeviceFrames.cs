using Messenger.Messages.Chat;

namespace Messenger.Messages.Devices;

/// <summary>What a user's inbox pushes to each connected device (the WebSocket bridge).</summary>
public static class DeviceFrames
{
    /// <summary>A message is stored in this user's copy: deliver it to the device.</summary>
    public sealed record Deliver(InboxMessage Message) : IMessengerMessage;

    /// <summary>The inbox incarnation this device was attached to stopped (passivation, hand-over, restart): attach
    /// again (the next incarnation answers <see cref="Users.UserReplies.DeviceAttached"/>) and sync from the last seq delivered.</summary>
    public sealed record InboxStopped(string UserId) : IMessengerMessage;
}
