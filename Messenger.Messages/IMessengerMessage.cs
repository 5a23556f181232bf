namespace Messenger.Messages;

/// <summary>Marker for every message that crosses the cluster or is persisted: bound to the protobuf serializer.</summary>
public interface IMessengerMessage;
