namespace Messenger.Messages.Devices;

/// <summary>
/// Pushed to a device: the markers of <see cref="UserId"/> in the conversation moved (the device's own user or the
/// peer). Orders; "" when none.
/// </summary>
public sealed record DeviceReceipt(string ConversationId, string UserId, string Delivered, string Read) : IMessengerMessage;
