using Google.Protobuf.Collections;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Attachments (issue 11): the value nested in messages and sends, and the inbox's access check.</summary>
internal static class AttachmentFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<Attachment, P.Attachment>("att", ToProto, FromProto)
        .Add<AttachmentQueries.HoldsAttachment, P.UserHoldsAttachment>("u-holds-att",
            m => new() { UserId = m.UserId, AttachmentId = ToBytes(m.AttachmentId) },
            p => new(p.UserId, ToGuid(p.AttachmentId, "HoldsAttachment.AttachmentId")))
        .Add<AttachmentQueries.AttachmentHeld, P.UserAttachmentHeld>("u-att-held",
            m => new() { AttachmentId = ToBytes(m.AttachmentId), Held = m.Held },
            p => new(ToGuid(p.AttachmentId, "AttachmentHeld.AttachmentId"), p.Held));

    public static P.Attachment ToProto(Attachment m) => new()
    {
        AttachmentId = ToBytes(m.AttachmentId),
        Name = m.Name,
        ContentType = m.ContentType,
        Size = m.Size,
        Sha256 = m.Sha256,
    };

    public static Attachment FromProto(P.Attachment p) =>
        new(ToGuid(p.AttachmentId, "Attachment.AttachmentId"), p.Name, p.ContentType, p.Size, p.Sha256);

    public static void AddAttachments(RepeatedField<P.Attachment> target, AttachmentList attachments)
    {
        for (var i = 0; i < attachments.Count; i++) target.Add(ToProto(attachments[i]));
    }

    public static AttachmentList Attachments(RepeatedField<P.Attachment> items) =>
        items.Count == 0 ? AttachmentList.Empty : AttachmentList.Of(items.Select(FromProto));

    public static void AddCarried(RepeatedField<P.CarriedAttachment> target, IReadOnlyList<UserSnapshots.CarriedAttachment> carried)
    {
        for (var i = 0; i < carried.Count; i++)
            target.Add(new P.CarriedAttachment { AttachmentId = ToBytes(carried[i].AttachmentId), Messages = carried[i].Messages });
    }

    public static IReadOnlyList<UserSnapshots.CarriedAttachment> Carried(RepeatedField<P.CarriedAttachment> items) =>
        MapAll(items, p => new UserSnapshots.CarriedAttachment(ToGuid(p.AttachmentId, "CarriedAttachment.AttachmentId"), p.Messages));
}
