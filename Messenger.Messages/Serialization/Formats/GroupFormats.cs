using Messenger.Messages.Groups;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>The group entity's commands and replies (cluster traffic), its events and its snapshot (persisted).</summary>
internal static class GroupFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        .Add<GroupCommands.CreateGroup, P.GroupCreate>("g-create",
            m =>
            {
                var p = new P.GroupCreate { GroupId = m.GroupId, By = m.By, Name = m.Name };
                p.Members.AddRange(m.Members);
                return p;
            },
            p => new(p.GroupId, p.By, p.Name, p.Members.ToArray()))
        .Add<GroupCommands.GetGroup, P.GroupGet>("g-get",
            m => new() { GroupId = m.GroupId, By = m.By },
            p => new(p.GroupId, p.By))
        .Add<GroupCommands.RenameGroup, P.GroupRename>("g-rename",
            m => new() { GroupId = m.GroupId, By = m.By, Name = m.Name },
            p => new(p.GroupId, p.By, p.Name))
        .Add<GroupCommands.AddMember, P.GroupAddMember>("g-add",
            m => new() { GroupId = m.GroupId, By = m.By, UserId = m.UserId },
            p => new(p.GroupId, p.By, p.UserId))
        .Add<GroupCommands.RemoveMember, P.GroupRemoveMember>("g-remove",
            m => new() { GroupId = m.GroupId, By = m.By, UserId = m.UserId },
            p => new(p.GroupId, p.By, p.UserId))
        .Add<GroupCommands.MakeAdmin, P.GroupMakeAdmin>("g-admin",
            m => new() { GroupId = m.GroupId, By = m.By, UserId = m.UserId },
            p => new(p.GroupId, p.By, p.UserId))
        .Add<GroupCommands.PostMessage, P.GroupPost>("g-post",
            m =>
            {
                var p = new P.GroupPost
                {
                    GroupId = m.GroupId, From = m.From, ClientMessageId = ToBytes(m.ClientMessageId), Body = m.Body,
                    SentAtTicks = ToTicks(m.SentAt), SenderClock = m.SenderClock,
                };
                AttachmentFormats.AddAttachments(p.Attachments, m.Attachments);
                return p;
            },
            p => new(p.GroupId, p.From, ToGuid(p.ClientMessageId, "PostMessage.ClientMessageId"), p.Body,
                ToDateTime(p.SentAtTicks), p.SenderClock) { Attachments = AttachmentFormats.Attachments(p.Attachments) })
        .Add<GroupCommands.GroupCopyStored, P.GroupCopyStored>("g-copy-stored",
            m => new() { GroupId = m.GroupId, UserId = m.UserId, MessageId = ToBytes(m.MessageId) },
            p => new(p.GroupId, p.UserId, ToGuid(p.MessageId, "GroupCopyStored.MessageId")))
        .Add<GroupReplies.GroupView, P.GroupView>("g-view",
            m =>
            {
                var p = new P.GroupView { ConversationId = m.ConversationId, Name = m.Name, CreatedAtTicks = ToTicks(m.CreatedAt) };
                AddAll(p.Members, m.Members, ChatFormats.ToProto);
                return p;
            },
            p => new(p.ConversationId, p.Name, ToDateTime(p.CreatedAtTicks), MapAll(p.Members, ChatFormats.FromProto)))
        .Add<GroupEvents.MessageStamped, P.GroupMessageStamped>("g-stamped", ToProto, FromProto)
        .Add<GroupEvents.FanOutsDone, P.GroupFanOutsDone>("g-fanouts-done",
            m =>
            {
                var p = new P.GroupFanOutsDone();
                AddAll(p.MessageIds, m.MessageIds, ToBytes);
                return p;
            },
            p => new(MapAll(p.MessageIds, b => ToGuid(b, "FanOutsDone.MessageIds"))))
        .Add<GroupSnapshots.GroupKey, P.GroupKey>("g-key", ToProto, FromProto)
        .Add<GroupSnapshots.GroupSnapshot, P.GroupSnapshot>("g-snapshot",
            m =>
            {
                var p = new P.GroupSnapshot
                {
                    GroupId = m.GroupId, Created = m.Created, Closed = m.Closed, Name = m.Name,
                    CreatedAtTicks = ToTicks(m.CreatedAt), CreatedBy = m.CreatedBy, NextJoined = m.NextJoined, Clock = m.Clock,
                };
                AddAll(p.Members, m.Members, ChatFormats.ToProto);
                AddAll(p.Unfinished, m.Unfinished, ToProto);
                AddAll(p.RecentKeys, m.RecentKeys, ToProto);
                return p;
            },
            p => new(p.GroupId, p.Created, p.Closed, p.Name, ToDateTime(p.CreatedAtTicks), p.CreatedBy,
                MapAll(p.Members, ChatFormats.FromProto),
                p.NextJoined, p.Clock, MapAll(p.Unfinished, FromProto), MapAll(p.RecentKeys, FromProto)));

    private static P.GroupMessageStamped ToProto(GroupEvents.MessageStamped m)
    {
        var p = new P.GroupMessageStamped { Message = ChatFormats.ToProto(m.Message) };
        p.Recipients.AddRange(m.Recipients);
        return p;
    }

    private static GroupEvents.MessageStamped FromProto(P.GroupMessageStamped p) =>
        new(ChatFormats.FromProto(Required(p.Message, "MessageStamped.Message")), p.Recipients.ToArray());

    private static P.GroupKey ToProto(GroupSnapshots.GroupKey m) =>
        new() { From = m.From, ClientMessageId = ToBytes(m.ClientMessageId) };

    private static GroupSnapshots.GroupKey FromProto(P.GroupKey p) =>
        new(p.From, ToGuid(p.ClientMessageId, "GroupKey.ClientMessageId"));
}
