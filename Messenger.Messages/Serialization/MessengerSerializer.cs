using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Messenger.Messages.Serialization;

/// <summary>
/// Protobuf serializer for every <see cref="IMessengerMessage"/> (bound in hocon/serialization.conf).
/// The manifests and the proto schema (Proto/messenger.proto) are the persisted format: both must stay stable.
/// The per-type mappings are registrations in <see cref="MessageRegistry"/> (Formats/).
/// </summary>
public sealed class MessengerSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 471100;

    private static readonly MessageRegistry Registry = MessageRegistry.Messenger;

    private readonly ExtendedActorSystem _system;

    public MessengerSerializer(ExtendedActorSystem system) : base(system)
    {
        _system = system;
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => FormatOf(o).Manifest;

    public override byte[] ToBinary(object obj) => FormatOf(obj).ToBinary(obj);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Registry.TryGet(manifest, out var format)
            ? format.FromBinary(bytes, _system)
            : throw new SerializationException(
                $"{nameof(MessengerSerializer)} cannot deserialize unknown manifest [{manifest}]");

    private static MessageFormat FormatOf(object o) =>
        o is not null && Registry.TryGet(o.GetType(), out var format)
            ? format
            : throw new ArgumentException(
                $"{nameof(MessengerSerializer)} cannot serialize [{o?.GetType().FullName ?? "null"}]", nameof(o));
}
