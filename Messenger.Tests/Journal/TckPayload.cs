using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace Messenger.Tests.Journal;

/// <summary>Port of Akka.Persistence.TCK's TestPayload: an event holding an actor ref, written by <see cref="TckSerializer"/>.</summary>
public sealed record TckPayload(IActorRef Ref);

/// <summary>Port of Akka.Persistence.TCK's TestSerializer: it fails unless the journal serializes with transport
/// information set (as Akka's own persistence plugins do), so actor refs in events keep their address.</summary>
public sealed class TckSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => 666;

    public override byte[] ToBinary(object obj)
    {
        VerifyTransportInfo();
        return obj is TckPayload p
            ? Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.SerializedActorPath(p.Ref))
            : throw new SerializationException($"Unsupported message type [{obj.GetType()}]");
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        VerifyTransportInfo();
        return manifest == "A"
            ? new TckPayload(system.Provider.ResolveActorRef(Encoding.UTF8.GetString(bytes)))
            : throw new SerializationException($"Unsupported manifest [{manifest}]");
    }

    public override string Manifest(object o) => o is TckPayload ? "A" : throw new SerializationException("unknown " + o.GetType());

    private void VerifyTransportInfo()
    {
        var info = Akka.Serialization.Serialization.GetCurrentTransportInformation(); // throws when not set
        if (!info.System.Equals(system)) throw new InvalidOperationException("wrong system in CurrentTransportInformation");
    }
}
