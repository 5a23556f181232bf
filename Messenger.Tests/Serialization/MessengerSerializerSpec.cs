using System.Reflection;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Messenger.Messages;
using Messenger.Messages.Accounts;
using Messenger.Messages.Serialization;
using Messenger.Messages.Users;
using Xunit;
using Xunit.Abstractions;

namespace Messenger.Tests.Serialization;

/// <summary>
/// Every <see cref="IMessengerMessage"/> round-trips through <see cref="MessengerSerializer"/> under the
/// production binding (hocon/serialization.conf). Samples live in <see cref="MessengerSamples"/>.
/// </summary>
public sealed class MessengerSerializerSpec : Akka.TestKit.Xunit2.TestKit
{
    public MessengerSerializerSpec(ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(File.ReadAllText(SourceTree.SerializationConf)), output: output)
    {
    }

    public static TheoryData<string> SampleNames => new(MessengerSamples.All.Select(s => s.Name));

    [Fact]
    public void Samples_cover_every_message_type()
    {
        var expected = MessageTypes().Select(t => t.FullName!).Order().ToList();
        var covered = MessengerSamples.All.Select(s => s.Build(ActorRefs.Nobody).GetType().FullName!)
            .Distinct().Order().ToList();

        Assert.Empty(expected.Except(covered)); // a message type without a round-trip sample
        Assert.Equal(expected, covered);
    }

    [Fact]
    public void Samples_set_every_nullable_field_both_ways()
    {
        var context = new NullabilityInfoContext();
        var samples = MessengerSamples.All.Select(s => s.Build(ActorRefs.Nobody)).ToList();
        var missing = new List<string>();

        foreach (var type in MessageTypes())
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (context.Create(property).ReadState != NullabilityState.Nullable) continue;
            var values = samples.Where(s => s.GetType() == type).Select(property.GetValue).ToList();
            if (!values.Any(v => v is null)) missing.Add($"{type.Name}.{property.Name} = null");
            if (!values.Any(v => v is not null)) missing.Add($"{type.Name}.{property.Name} set");
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Manifests_are_distinct_per_type()
    {
        var serializer = MessengerSerializer();
        var manifestsByType = MessengerSamples.All
            .Select(s => s.Build(TestActor))
            .GroupBy(m => m.GetType())
            .Select(g => g.Select(serializer.Manifest).Distinct().Single())
            .ToList();

        Assert.Equal(manifestsByType.Count, manifestsByType.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Round_trips(string name)
    {
        var sample = MessengerSamples.All.Single(s => s.Name == name).Build(TestActor);

        var serializer = Assert.IsType<MessengerSerializer>(Sys.Serialization.FindSerializerFor(sample));
        Assert.Equal(471100, serializer.Identifier);

        var manifest = serializer.Manifest(sample);
        var bytes = serializer.ToBinary(sample);
        var back = serializer.FromBinary(bytes, manifest);

        Assert.IsType(sample.GetType(), back);
        Assert.Equal(DeepForm.Of(sample), DeepForm.Of(back));
    }

    [Fact]
    public void Round_trips_through_the_serialization_extension()
    {
        var sample = MessengerSamples.All.Single(s => s.Name == "InboxSnapshot").Build(TestActor);

        var bytes = Sys.Serialization.Serialize(sample);
        var serializer = Sys.Serialization.FindSerializerFor(sample);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.Equal(DeepForm.Of(sample), DeepForm.Of(back));
    }

    [Fact]
    public void Resolved_device_reaches_the_original_actor()
    {
        var serializer = MessengerSerializer();
        var sample = new UserCommands.AttachDevice("alice", TestActor);

        var back = (UserCommands.AttachDevice)serializer.FromBinary(serializer.ToBinary(sample), serializer.Manifest(sample));

        Assert.Equal(TestActor, back.Device);
        back.Device.Tell("ping");
        ExpectMsg("ping");
    }

    [Fact]
    public void Dates_come_back_as_the_same_instant_in_utc()
    {
        var serializer = MessengerSerializer();
        var utc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(6789);

        foreach (var at in new[] { utc, utc.ToLocalTime(), DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) })
        {
            var sample = new AccountEvents.AccountCreated("alice", "hash", at);
            var back = (AccountEvents.AccountCreated)serializer.FromBinary(serializer.ToBinary(sample), serializer.Manifest(sample));

            Assert.Equal(DateTimeKind.Utc, back.At.Kind);
            Assert.Equal(utc.Ticks, back.At.Ticks);
        }
    }

    [Fact]
    public void Unknown_manifest_throws_serialization_exception()
    {
        var serializer = MessengerSerializer();

        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary([1, 2, 3], "no-such-manifest"));

        Assert.Contains("no-such-manifest", error.Message);
    }

    [Fact]
    public void Unregistered_type_throws_argument_exception_naming_it()
    {
        var serializer = MessengerSerializer();

        var manifestError = Assert.Throws<ArgumentException>(() => serializer.Manifest(new Uri("http://not-a-message")));
        var bytesError = Assert.Throws<ArgumentException>(() => serializer.ToBinary(new Uri("http://not-a-message")));

        Assert.Contains("System.Uri", manifestError.Message);
        Assert.Contains("System.Uri", bytesError.Message);
    }

    private MessengerSerializer MessengerSerializer() =>
        Assert.IsType<MessengerSerializer>(Sys.Serialization.FindSerializerFor(new UserCommands.OpenInbox("alice")));

    private static IReadOnlyList<Type> MessageTypes() =>
        typeof(IMessengerMessage).Assembly.GetTypes()
            .Where(t => typeof(IMessengerMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
}
