using System.Runtime.Serialization;
using Akka.Actor;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Messenger.Messages.Serialization;

/// <summary>
/// Encoding of the values the proto schema has no native form for (see the conventions in messenger.proto),
/// and list mapping without LINQ: the serializer is on the hot path of every chat message.
/// </summary>
internal static class ProtoValues
{
    private const int GuidBytes = 16;

    public static ByteString ToBytes(Guid value)
    {
        Span<byte> bytes = stackalloc byte[GuidBytes];
        value.TryWriteBytes(bytes); // the layout of Guid.ToByteArray()
        return ByteString.CopyFrom(bytes);
    }

    public static Guid ToGuid(ByteString bytes, string field)
    {
        if (bytes.Length != GuidBytes)
            throw new SerializationException($"{field}: expected a {GuidBytes}-byte Guid, got {bytes.Length} bytes");
        return new Guid(bytes.Span);
    }

    /// <summary>Ticks in UTC; an unspecified kind is taken as UTC already.</summary>
    public static long ToTicks(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks;

    public static DateTime ToDateTime(long ticks) => new(ticks, DateTimeKind.Utc);

    public static string ToPath(IActorRef actorRef) =>
        global::Akka.Serialization.Serialization.SerializedActorPath(actorRef);

    public static IActorRef ToActorRef(string path, ExtendedActorSystem system) =>
        system.Provider.ResolveActorRef(path);

    public static T Required<T>(T? value, string field) where T : class =>
        value ?? throw new SerializationException($"{field}: required field is missing");

    public static void AddAll<T, TProto>(RepeatedField<TProto> target, IReadOnlyList<T> items, Func<T, TProto> toProto)
    {
        for (var i = 0; i < items.Count; i++) target.Add(toProto(items[i]));
    }

    public static T[] MapAll<TProto, T>(RepeatedField<TProto> items, Func<TProto, T> fromProto)
    {
        if (items.Count == 0) return [];
        var result = new T[items.Count];
        for (var i = 0; i < result.Length; i++) result[i] = fromProto(items[i]);
        return result;
    }
}
