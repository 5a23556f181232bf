using Messenger.Messages.Chat;

namespace Messenger.Messages.Devices;

/// <summary>What a user's inbox pushes to each connected device (the WebSocket bridge).</summary>
public static class DeviceFrames
{
    /// <summary>A message is stored in this user's copy: deliver it to the device.</summary>
    public sealed record Deliver(InboxMessage Message) : IMessengerMessage;

    /// <summary>This inbox incarnation stopped (passivation, hand-over, restart): the device must attach again.</summary>
    public sealed record InboxStopped(string UserId) : IMessengerMessage;
}
