using System.Runtime.Serialization;
using Akka.Actor;
using Google.Protobuf;

namespace Messenger.Messages.Serialization;

/// <summary>Encoding of the scalar types the proto schema has no native form for.</summary>
public sealed partial class MessengerSerializer
{
    private const int GuidBytes = 16;

    private static ByteString ToBytes(Guid value) => ByteString.CopyFrom(value.ToByteArray());

    private static Guid ToGuid(ByteString bytes, string field)
    {
        if (bytes.Length != GuidBytes)
            throw new SerializationException($"{field}: expected a {GuidBytes}-byte Guid, got {bytes.Length} bytes");
        return new Guid(bytes.Span);
    }

    /// <summary>Ticks in UTC; an unspecified kind is taken as UTC already.</summary>
    private static long ToTicks(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks;

    private static DateTime ToDateTime(long ticks) => new(ticks, DateTimeKind.Utc);

    private static string ToPath(IActorRef actorRef) =>
        global::Akka.Serialization.Serialization.SerializedActorPath(actorRef);

    private IActorRef ToActorRef(string path) => _system.Provider.ResolveActorRef(path);

    private static T Required<T>(T? value, string field) where T : class =>
        value ?? throw new SerializationException($"{field}: required field is missing");
}
