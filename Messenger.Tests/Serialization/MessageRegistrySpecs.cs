using Messenger.Messages;
using Messenger.Messages.Serialization;
using Messenger.Messages.Users;
using Xunit;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Tests.Serialization;

/// <summary>
/// The registry behind <see cref="MessengerSerializer"/>: a message type without a registration, or a manifest
/// used twice, fails here (or when the registry is built), never first in production.
/// </summary>
public sealed class MessageRegistrySpecs
{
    private static readonly MessageRegistry Registry = MessageRegistry.Messenger;

    [Fact]
    public void Every_message_type_has_a_registration()
    {
        var missing = typeof(IMessengerMessage).Assembly.GetTypes()
            .Where(t => typeof(IMessengerMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Where(t => !Registry.TryGet(t, out _))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(missing.Count == 0,
            "Message types without a registration (add one line to their group's file in " +
            "Messenger.Messages/Serialization/Formats/, see MessageRegistry.cs): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_registration_is_found_by_its_type_and_by_its_manifest()
    {
        Assert.NotEmpty(Registry.Formats);
        foreach (var format in Registry.Formats)
        {
            Assert.True(Registry.TryGet(format.MessageType, out var byType), format.MessageType.FullName);
            Assert.True(Registry.TryGet(format.Manifest, out var byManifest), format.Manifest);
            Assert.Same(format, byType);
            Assert.Same(format, byManifest);
        }

        Assert.Equal(Registry.Formats.Count, Registry.Formats.Select(f => f.Manifest).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Registering_a_type_twice_fails_when_the_registry_is_built()
    {
        var builder = new MessageRegistryBuilder().Add<UserCommands.OpenInbox, P.UserOpenInbox>(
            "open-1", m => new() { UserId = m.UserId }, p => new(p.UserId));

        var error = Assert.Throws<InvalidOperationException>(() => builder.Add<UserCommands.OpenInbox, P.UserOpenInbox>(
            "open-2", m => new() { UserId = m.UserId }, p => new(p.UserId)));

        Assert.Contains(typeof(UserCommands.OpenInbox).FullName!, error.Message);
    }

    [Fact]
    public void Reusing_a_manifest_fails_when_the_registry_is_built()
    {
        var builder = new MessageRegistryBuilder().Add<UserCommands.OpenInbox, P.UserOpenInbox>(
            "u-open", m => new() { UserId = m.UserId }, p => new(p.UserId));

        var error = Assert.Throws<InvalidOperationException>(() => builder.Add<UserReplies.InboxReady, P.UserInboxReady>(
            "u-open", m => new() { UserId = m.UserId }, p => new(p.UserId)));

        Assert.Contains("[u-open]", error.Message);
    }

    [Fact]
    public void An_empty_manifest_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new MessageRegistryBuilder().Add<UserCommands.OpenInbox, P.UserOpenInbox>(
            "", m => new() { UserId = m.UserId }, p => new(p.UserId)));
    }

    [Fact]
    public void An_unregistered_type_or_manifest_is_not_found()
    {
        Assert.False(Registry.TryGet(typeof(string), out _));
        Assert.False(Registry.TryGet("no-such-manifest", out _));
    }
}
