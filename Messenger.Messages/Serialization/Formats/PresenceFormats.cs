using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Presence and typing: the presence event (kept forever), cluster messages and the typing push.</summary>
internal static class PresenceFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<PresenceEvents.PresenceRecorded, P.PresenceRecorded>("p-recorded", RecordedToProto, RecordedFromProto)
        .Add<PresenceCommands.GetPresence, P.PresenceGetPresence>("p-get",
            m => new() { UserId = m.UserId, Of = m.Of },
            p => new(p.UserId, p.Of))
        .Add<PresenceCommands.WatchPresence, P.PresenceWatch>("p-watch",
            m =>
            {
                var p = new P.PresenceWatch { UserId = m.UserId, Generation = m.Generation };
                p.Of.AddRange(m.Of);
                return p;
            },
            p => new(p.UserId, p.Of.ToArray(), p.Generation))
        .Add<PresenceCommands.ReadPresence, P.PresenceRead>("p-read",
            m => new() { UserId = m.UserId },
            p => new(p.UserId))
        .Add<PresenceCommands.Typing, P.PresenceTyping>("p-typing",
            m => new() { UserId = m.UserId, ConversationId = m.ConversationId },
            p => new(p.UserId, p.ConversationId))
        .Add<PresenceCommands.TypingTo, P.PresenceTypingTo>("p-typing-to",
            m => new() { UserId = m.UserId, ConversationId = m.ConversationId, From = m.From },
            p => new(p.UserId, p.ConversationId, p.From))
        .Add<PresenceReplies.UserPresence, P.PresenceUserPresence>("p-presence",
            m =>
            {
                var p = new P.PresenceUserPresence { UserId = m.UserId, Online = m.Online, Version = m.Version };
                if (m.LastSeen is { } seen) p.LastSeenTicks = ToTicks(seen);
                return p;
            },
            p => new(p.UserId, p.Online, p.HasLastSeenTicks ? ToDateTime(p.LastSeenTicks) : null, p.Version))
        .Add<PresenceReplies.PresenceVisible, P.PresenceVisible>("p-visible",
            m =>
            {
                var p = new P.PresenceVisible { Generation = m.Generation };
                p.UserIds.AddRange(m.UserIds);
                return p;
            },
            p => new(p.Generation, p.UserIds.ToArray()))
        .Add<PresenceReplies.TypingRefused, P.PresenceTypingRefused>("p-typing-refused",
            m => new() { ConversationId = m.ConversationId, Code = m.Code, Reason = m.Reason },
            p => new(p.ConversationId, p.Code, p.Reason))
        .Add<TypingFrames.PeerTyping, P.DevicePeerTyping>("d-typing",
            m => new() { ConversationId = m.ConversationId, UserId = m.UserId },
            p => new(p.ConversationId, p.UserId));

    /// <summary>Also the snapshot's presence field.</summary>
    public static P.PresenceRecorded RecordedToProto(PresenceEvents.PresenceRecorded m) =>
        new() { Online = m.Online, AtTicks = ToTicks(m.At) };

    public static PresenceEvents.PresenceRecorded RecordedFromProto(P.PresenceRecorded p) => new(p.Online, ToDateTime(p.AtTicks));
}
