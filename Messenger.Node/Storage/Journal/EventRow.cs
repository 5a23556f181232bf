using Akka.Persistence;
using Akka.Persistence.Journal;
using Messenger.Messages.Users;

namespace Messenger.Node.Storage.Journal;

/// <summary>Where a stored message sits in the inbox's conversation index (conversation, order, key) and inbox position.
/// A retraction is indexed under its original's conversation and order: a later row at the same place is the
/// original's retraction, so history and sync flag the original, and key lookups find the retraction (newest row wins).
/// It takes an inbox position of its own.</summary>
public readonly record struct InboxIndex(string? ConversationId, string? Order, string From, Guid ClientMessageId, long Seq)
{
    public static InboxIndex? Of(object payload) => payload switch
    {
        UserEvents.MessageStored s =>
            new InboxIndex(s.Message.ConversationId, s.Message.Order, s.Message.From, s.Message.ClientMessageId, s.Seq),
        UserEvents.MessageRetracted r =>
            new InboxIndex(r.Message.ConversationId, r.Message.Order, r.Message.From, r.Message.ClientMessageId, r.Seq),
        _ => null,
    };
}

/// <summary>One event as the journal stores it: Akka serialization's (serializer id, manifest, bytes) plus its index columns.</summary>
public sealed record EventRow(
    string PersistenceId, long SequenceNr, long Created, string? WriterUuid, string? EventManifest,
    int SerializerId, string SerializerManifest, byte[] Payload, InboxIndex? Index, bool Deleted = false)
{
    /// <summary>Serializes an event through Akka's serialization (any event type works); a Tagged wrapper is dropped,
    /// its tags are not stored (the inbox's indexes are columns, see <see cref="JournalSchema"/>).</summary>
    public static EventRow From(Akka.Serialization.Serialization serialization, IPersistentRepresentation persistent)
    {
        var payload = persistent.Payload is Tagged tagged ? tagged.Payload : persistent.Payload;
        var (id, manifest, bytes) = Serialize(serialization, payload);
        return new EventRow(persistent.PersistenceId, persistent.SequenceNr, DateTime.UtcNow.Ticks,
            persistent.WriterGuid, string.IsNullOrEmpty(persistent.Manifest) ? null : persistent.Manifest,
            id, manifest, bytes, InboxIndex.Of(payload));
    }

    public static (int SerializerId, string Manifest, byte[] Bytes) Serialize(
        Akka.Serialization.Serialization serialization, object payload)
    {
        var serializer = serialization.FindSerializerFor(payload);
        // With the transport set, serializers may write actor refs with full addresses (Akka's persistence plugins do the same).
        var bytes = Akka.Serialization.Serialization.WithTransport(serialization.System, (serializer, payload),
            s => s.serializer.ToBinary(s.payload));
        return (serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, payload), bytes);
    }

    public static object Deserialize(Akka.Serialization.Serialization serialization, byte[] bytes, int serializerId, string manifest) =>
        Akka.Serialization.Serialization.WithTransport(serialization.System, (serialization, bytes, serializerId, manifest),
            s => s.serialization.Deserialize(s.bytes, s.serializerId, s.manifest));
}
