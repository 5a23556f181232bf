using System.Buffers;
using System.Text.Json;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Web.Api;

namespace Messenger.Tests.Groups.Api;

/// <summary>Group Messages and Conversations as clients read them (API.md v2), written by <see cref="ApiJson"/>.</summary>
public sealed class GroupJsonSpecs
{
    private const string Group = "grp:AbC-12_x";

    private static readonly GroupRoster Roster = new("Book club",
    [
        new GroupMember("alice", GroupRoles.Admin, 1), new GroupMember("bob", GroupRoles.Member, 2),
        new GroupMember("carol", GroupRoles.Member, 3),
    ]);

    private static ChatMessage Message(string? kind = null, string? subject = null, string body = "hi") =>
        new(Guid.NewGuid(), Guid.NewGuid(), Group, "alice", Group, body, new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc),
            "00000000000000010000000a") { Kind = kind, Subject = subject, Roster = kind is null ? null : Roster };

    private static JsonElement Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    [Fact]
    public void A_text_message_in_a_group_has_no_kind_or_subject_and_names_the_group_as_to()
    {
        var json = Written(w => ApiJson.WriteMessage(w, new InboxMessage(Message(), 4)));
        Assert.Equal(Group, json.GetProperty("to").GetString());
        Assert.Equal(Group, json.GetProperty("conversationId").GetString());
        Assert.False(json.TryGetProperty("kind", out _));
        Assert.False(json.TryGetProperty("subject", out _));
    }

    [Fact]
    public void A_membership_event_has_its_kind_and_subject_and_never_the_internal_roster()
    {
        var json = Written(w => ApiJson.WriteMessage(w, new InboxMessage(Message(MessageKinds.MemberAdded, "carol", ""), 5)));
        Assert.Equal("member_added", json.GetProperty("kind").GetString());
        Assert.Equal("carol", json.GetProperty("subject").GetString());
        Assert.Equal("", json.GetProperty("body").GetString());
        Assert.False(json.TryGetProperty("roster", out _));

        var created = Written(w => ApiJson.WriteMessage(w, new InboxMessage(Message(MessageKinds.GroupCreated, body: "Book club"), 1)));
        Assert.Equal("group_created", created.GetProperty("kind").GetString());
        Assert.False(created.TryGetProperty("subject", out _));
    }

    [Fact]
    public void A_group_conversation_has_a_null_peer_its_group_and_a_receipt_per_other_member()
    {
        var summary = new UserReplies.ConversationSummary(Group, Group, new InboxMessage(Message(), 9), 2)
        {
            Group = new UserReplies.GroupSummary("Book club", 3, true),
            MemberReceipts = [new UserReplies.MemberReceipt("bob", "00000000000000010000000a", null), new UserReplies.MemberReceipt("carol", null, null)],
        };
        var json = Written(w => ApiJson.WriteConversation(w, summary));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("peer").ValueKind);
        Assert.Equal("Book club", json.GetProperty("group").GetProperty("name").GetString());
        Assert.Equal(3, json.GetProperty("group").GetProperty("memberCount").GetInt32());
        Assert.True(json.GetProperty("group").GetProperty("isMember").GetBoolean());
        Assert.Equal(2, json.GetProperty("unreadCount").GetInt32());
        var receipts = json.GetProperty("receipts").EnumerateArray().ToList();
        Assert.Equal(new[] { "bob", "carol" }, receipts.Select(r => r.GetProperty("userId").GetString()));
        Assert.Equal("00000000000000010000000a", receipts[0].GetProperty("delivered").GetString());
        Assert.Equal(JsonValueKind.Null, receipts[0].GetProperty("read").ValueKind);
    }

    [Fact]
    public void A_direct_conversation_keeps_its_peer_and_has_no_group()
    {
        var dm = new ChatMessage(Guid.NewGuid(), Guid.NewGuid(), "dm:alice:bob", "alice", "bob", "hi", DateTime.UtcNow, "00000000000000010000000a");
        var json = Written(w => ApiJson.WriteConversation(w,
            new UserReplies.ConversationSummary("dm:alice:bob", "bob", new InboxMessage(dm, 1), 0, "00000000000000010000000a", null)));
        Assert.Equal("bob", json.GetProperty("peer").GetString());
        Assert.False(json.TryGetProperty("group", out _));
        Assert.Equal("bob", json.GetProperty("receipts")[0].GetProperty("userId").GetString());
    }

    [Fact]
    public void A_group_is_written_with_its_members_in_join_order_and_their_roles()
    {
        var view = new GroupReplies.GroupView(Group, "Book club", new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc), Roster.Members);
        var json = Written(w => GroupJson.WriteGroup(w, view));
        Assert.Equal(Group, json.GetProperty("conversationId").GetString());
        Assert.Equal("2026-11-30T12:00:00.0000000Z", json.GetProperty("createdAt").GetString());
        Assert.Equal(new[] { "alice:admin", "bob:member", "carol:member" },
            json.GetProperty("members").EnumerateArray().Select(m => $"{m.GetProperty("userId").GetString()}:{m.GetProperty("role").GetString()}"));
        Assert.False(json.GetProperty("members")[0].TryGetProperty("joined", out _));
    }
}
