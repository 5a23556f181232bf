using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Messenger.Tests.Serialization;

/// <summary>
/// A full JSON rendering of a message, for comparing two messages field by field: records compare their list
/// fields by reference, so record equality cannot tell a faithful round trip from a lossy one.
/// </summary>
internal static class DeepForm
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new ActorRefByPathConverter() },
    };

    public static string Of(object message) => JsonSerializer.Serialize(message, message.GetType(), Options);

    private sealed class ActorRefByPathConverter : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Path.ToStringWithUid());
    }
}
