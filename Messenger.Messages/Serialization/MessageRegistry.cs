using System.Collections.Frozen;
using Akka.Actor;
using Google.Protobuf;
using Messenger.Messages.Serialization.Formats;

namespace Messenger.Messages.Serialization;

// Adding a message type (cluster message, event or snapshot) touches its record and this table:
//  1. Add the proto message to Proto/messenger.proto (never renumber or retype an existing field).
//  2. Add one line to its group's file in Formats/ (a new group also goes into Messenger below):
//       r.Add<UserEvents.X, P.UserX>("u-x", m => new() { ... }, p => new(...));
//     The manifest is a new short string, stored with every event: never change or reuse one.
//  3. Add a round-trip sample (Messenger.Tests/Serialization/MessengerSamples.cs) and a golden sample of the newest
//     version (Golden/GoldenSamples.cs); run the Serialization specs and append the line that
//     Every_golden_sample_has_stored_bytes prints to that version's Golden/v*.txt (append only, never edit a line).
// Changing a type: add an optional proto field (fresh number) and map it in the registration; the golden specs say
// what old bytes must still mean (GoldenSamples.cs) and how to record a deliberate change of today's bytes.

/// <summary>
/// Every message type <see cref="MessengerSerializer"/> knows, by CLR type and by manifest: built once, then
/// read-only, so a lookup is one frozen-dictionary probe.
/// </summary>
public sealed class MessageRegistry
{
    public static MessageRegistry Messenger { get; } = new MessageRegistryBuilder()
        .Add(ChatFormats.Register)
        .Add(DeviceFormats.Register)
        .Add(AccountFormats.Register)
        .Add(SessionFormats.Register)
        .Add(UserCommandFormats.Register)
        .Add(UserEventFormats.Register)
        .Add(UserQueryFormats.Register)
        .Add(UserReplyFormats.Register)
        .Add(UserSnapshotFormats.Register)
        .Add(PresenceFormats.Register)
        .Add(AttachmentFormats.Register)
        .Add(ReceiptFormats.Register)
        .Add(GroupFormats.Register)
        .Add(GroupInboxFormats.Register)
        .Build();

    private readonly FrozenDictionary<Type, MessageFormat> _byType;
    private readonly FrozenDictionary<string, MessageFormat> _byManifest;

    internal MessageRegistry(IEnumerable<MessageFormat> formats)
    {
        var list = formats.ToList();
        _byType = list.ToFrozenDictionary(f => f.MessageType);
        _byManifest = list.ToFrozenDictionary(f => f.Manifest, StringComparer.Ordinal);
        Formats = list;
    }

    public IReadOnlyList<MessageFormat> Formats { get; }

    public bool TryGet(Type messageType, out MessageFormat format) =>
        _byType.TryGetValue(messageType, out format!);

    public bool TryGet(string manifest, out MessageFormat format) =>
        _byManifest.TryGetValue(manifest, out format!);
}

/// <summary>Collects the registrations; a type or manifest registered twice fails at startup, not in a journal.</summary>
public sealed class MessageRegistryBuilder
{
    private readonly List<MessageFormat> _formats = [];
    private readonly HashSet<Type> _types = [];
    private readonly HashSet<string> _manifests = new(StringComparer.Ordinal);

    public MessageRegistryBuilder Add(Action<MessageRegistryBuilder> group)
    {
        group(this);
        return this;
    }

    public MessageRegistryBuilder Add<TMessage, TProto>(
        string manifest, Func<TMessage, TProto> toProto, Func<TProto, TMessage> fromProto)
        where TMessage : IMessengerMessage
        where TProto : class, IMessage<TProto>, new() =>
        Add<TMessage, TProto>(manifest, toProto, (p, _) => fromProto(p));

    /// <summary>For messages holding actor refs, which resolve against the deserializing system.</summary>
    public MessageRegistryBuilder Add<TMessage, TProto>(
        string manifest, Func<TMessage, TProto> toProto, Func<TProto, ExtendedActorSystem, TMessage> fromProto)
        where TMessage : IMessengerMessage
        where TProto : class, IMessage<TProto>, new()
    {
        if (string.IsNullOrEmpty(manifest))
            throw new ArgumentException($"{typeof(TMessage).FullName}: the manifest is empty", nameof(manifest));
        if (!_types.Add(typeof(TMessage)))
            throw new InvalidOperationException($"{typeof(TMessage).FullName} is registered twice");
        if (!_manifests.Add(manifest))
            throw new InvalidOperationException(
                $"Manifest [{manifest}] of {typeof(TMessage).FullName} is already taken by another message type");

        _formats.Add(new ProtoFormat<TMessage, TProto>(manifest, toProto, fromProto));
        return this;
    }

    public MessageRegistry Build() => new(_formats);
}
