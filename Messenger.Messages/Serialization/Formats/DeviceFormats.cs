using Messenger.Messages.Devices;
using static Messenger.Messages.Serialization.Formats.ChatFormats;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>What an inbox pushes to connected devices (<see cref="DeviceFrames"/>).</summary>
internal static class DeviceFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<DeviceFrames.Deliver, P.DeviceDeliver>("d-deliver",
            m => new() { Message = ToProto(m.Message) },
            p => new(FromProto(Required(p.Message, "Deliver.Message"))))
        .Add<DeviceFrames.InboxStopped, P.DeviceInboxStopped>("d-inbox-stopped",
            m => new() { UserId = m.UserId },
            p => new(p.UserId));
}
