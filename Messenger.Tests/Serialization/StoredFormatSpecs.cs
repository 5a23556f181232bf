using Akka.Actor;
using Akka.Configuration;
using Messenger.Messages;
using Messenger.Tests.Serialization.Golden;
using Xunit;
using Xunit.Abstractions;

namespace Messenger.Tests.Serialization;

/// <summary>
/// Stored formats are forever: bytes written by any released version (Golden/&lt;version&gt;.txt) must still
/// deserialize to the record <see cref="GoldenSamples"/> expects, and today's serializer must still write the
/// samples marked <see cref="GoldenSample.StillWritten"/> byte for byte, so a format change is a deliberate act.
/// </summary>
public sealed class StoredFormatSpecs : Akka.TestKit.Xunit2.TestKit
{
    // The system name fixes the devices' path (dead letters) inside the golden bytes.
    private const string SystemName = "golden";

    private static readonly IReadOnlyList<GoldenBytes> Stored = GoldenFile.ReadAll();

    public StoredFormatSpecs(ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(File.ReadAllText(SourceTree.SerializationConf)), SystemName, output)
    {
    }

    public static TheoryData<string> StoredKeys => new(Stored.Select(s => s.Key));

    public static TheoryData<string> WrittenKeys =>
        new(GoldenSamples.All.Where(s => s.StillWritten && Stored.Any(b => b.Key == s.Key)).Select(s => s.Key));

    [Fact]
    public void Every_message_type_has_a_golden_sample()
    {
        var sampled = GoldenSamples.All.Select(s => s.Expected(ActorRefs.Nobody).GetType()).ToHashSet();
        var missing = typeof(IMessengerMessage).Assembly.GetTypes()
            .Where(t => typeof(IMessengerMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Where(t => !sampled.Contains(t))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(missing.Count == 0,
            "Message types without a golden sample (add one to Golden/GoldenSamples.cs, run this spec class and " +
            "append the line Every_golden_sample_has_stored_bytes prints): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_golden_sample_has_stored_bytes()
    {
        var stored = Stored.Select(b => b.Key).ToHashSet();
        var missing = GoldenSamples.All.Where(s => !stored.Contains(s.Key)).ToList();
        var lines = missing.Select(s =>
        {
            var message = s.Expected(Sys.DeadLetters);
            var serializer = Sys.Serialization.FindSerializerFor(message);
            return $"  {GoldenFile.PathOf(s.Version)}:\n" +
                   GoldenBytes.Line(s.Name, Akka.Serialization.Serialization.ManifestFor(serializer, message), serializer.ToBinary(message));
        });

        Assert.True(missing.Count == 0,
            "Golden samples without stored bytes. Check each record is the one you mean, then append these lines " +
            "(bytes captured from today's serializer):\n" + string.Join("\n", lines));
    }

    [Fact]
    public void Every_stored_sample_has_its_expected_record()
    {
        var samples = GoldenSamples.All.Select(s => s.Key).ToHashSet();
        var orphans = Stored.Where(b => !samples.Contains(b.Key)).Select(b => b.Key).ToList();

        Assert.True(orphans.Count == 0,
            "Stored golden bytes without a sample in GoldenSamples.cs (never delete a sample: old data still " +
            "holds these bytes): " + string.Join(", ", orphans));
        Assert.Equal(Stored.Count, Stored.Select(b => b.Key).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(StoredKeys))]
    public void Stored_bytes_still_deserialize_to_the_expected_record(string key)
    {
        var stored = Stored.Single(b => b.Key == key);
        var expected = GoldenSamples.All.Single(s => s.Key == key).Expected(Sys.DeadLetters);

        var back = Sys.Serialization.Deserialize(stored.Bytes, MessengerSerializerId, stored.Manifest);

        Assert.IsType(expected.GetType(), back);
        Assert.Equal(DeepForm.Of(expected), DeepForm.Of(back));
    }

    [Theory]
    [MemberData(nameof(WrittenKeys))]
    public void Today_writes_the_golden_bytes(string key)
    {
        var stored = Stored.Single(b => b.Key == key);
        var sample = GoldenSamples.All.Single(s => s.Key == key).Expected(Sys.DeadLetters);

        var serializer = Sys.Serialization.FindSerializerFor(sample);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
        var bytes = serializer.ToBinary(sample);

        Assert.True(serializer.Identifier == MessengerSerializerId && manifest == stored.Manifest && bytes.AsSpan().SequenceEqual(stored.Bytes),
            $"The stored format of {key} changed: serializer {serializer.Identifier} (golden {MessengerSerializerId}), " +
            $"manifest [{manifest}] (golden [{stored.Manifest}]), bytes\n  now    {Convert.ToBase64String(bytes)}\n" +
            $"  golden {Convert.ToBase64String(stored.Bytes)}\n" +
            "Journals and snapshots hold the golden bytes: never edit them. If the change is deliberate (e.g. a new " +
            "optional field), mark this sample StillWritten: false, add a sample of a new version for the new bytes " +
            "in GoldenSamples.cs, and keep the old sample deserializing.");
    }

    /// <summary>Part of every persisted envelope: the journal stores it next to the manifest.</summary>
    private const int MessengerSerializerId = 471100;
}
