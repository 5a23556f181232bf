using System.Text.Json;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>The group objects of API.md v2 as JSON: <b>Group</b>, and a Conversation's <c>"group"</c>.</summary>
public static class GroupJson
{
    /// <summary><c>{"conversationId","name","createdAt","members":[{"userId","role"}]}</c>, members in the order they joined.</summary>
    public static void WriteGroup(Utf8JsonWriter w, GroupReplies.GroupView group)
    {
        w.WriteStartObject();
        w.WriteString("conversationId", group.ConversationId);
        w.WriteString("name", group.Name);
        ApiJson.WriteTime(w, JsonEncodedText.Encode("createdAt"), group.CreatedAt);
        w.WriteStartArray("members");
        foreach (var member in group.Members)
        {
            w.WriteStartObject();
            w.WriteString("userId", member.UserId);
            w.WriteString("role", member.Role);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// A group Conversation's <c>"group":{"name","memberCount","isMember"}</c> as the caller's copy last saw it;
    /// <c>isMember</c> (added to the contract) is false once the caller was removed or left, so a client can stop
    /// offering to send while the history stays readable.
    /// </summary>
    public static void WriteSummary(Utf8JsonWriter w, UserReplies.GroupSummary? group)
    {
        w.WriteStartObject("group");
        w.WriteString("name", group?.Name ?? "");
        w.WriteNumber("memberCount", group?.MemberCount ?? 0);
        w.WriteBoolean("isMember", group?.IsMember ?? false);
        w.WriteEndObject();
    }
}
