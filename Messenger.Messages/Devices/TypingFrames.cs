namespace Messenger.Messages.Devices;

/// <summary>What a user's inbox pushes to its connected devices about typing (never stored).</summary>
public static class TypingFrames
{
    /// <summary><see cref="UserId"/> is typing in <see cref="ConversationId"/>.</summary>
    public sealed record PeerTyping(string ConversationId, string UserId) : IMessengerMessage;
}
