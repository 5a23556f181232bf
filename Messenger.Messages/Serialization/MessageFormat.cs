using Akka.Actor;
using Google.Protobuf;

namespace Messenger.Messages.Serialization;

/// <summary>How one message type is stored: its manifest and its mapping to and from a proto message.</summary>
public abstract class MessageFormat
{
    private protected MessageFormat(Type messageType, string manifest)
    {
        MessageType = messageType;
        Manifest = manifest;
    }

    public Type MessageType { get; }

    /// <summary>Stored next to every persisted event and snapshot: never changed or reused.</summary>
    public string Manifest { get; }

    public abstract byte[] ToBinary(object message);

    public abstract object FromBinary(byte[] bytes, ExtendedActorSystem system);
}

/// <summary>
/// The mapping of <typeparamref name="TMessage"/> through <typeparamref name="TProto"/>. Typed delegates and a
/// parser made once, so a call costs one cast and the proto work: no reflection, no boxing.
/// </summary>
internal sealed class ProtoFormat<TMessage, TProto> : MessageFormat
    where TMessage : IMessengerMessage
    where TProto : class, IMessage<TProto>, new()
{
    private static readonly MessageParser<TProto> Parser = new(() => new TProto());

    private readonly Func<TMessage, TProto> _toProto;
    private readonly Func<TProto, ExtendedActorSystem, TMessage> _fromProto;

    public ProtoFormat(string manifest, Func<TMessage, TProto> toProto, Func<TProto, ExtendedActorSystem, TMessage> fromProto)
        : base(typeof(TMessage), manifest)
    {
        _toProto = toProto;
        _fromProto = fromProto;
    }

    public override byte[] ToBinary(object message) => _toProto((TMessage)message).ToByteArray();

    public override object FromBinary(byte[] bytes, ExtendedActorSystem system) =>
        _fromProto(Parser.ParseFrom(bytes), system);
}
