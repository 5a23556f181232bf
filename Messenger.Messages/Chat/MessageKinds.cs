namespace Messenger.Messages.Chat;

/// <summary>
/// What a message is (API.md "Messages in groups"): null is a text message; the others are membership changes of a
/// group, stored in members' inboxes like messages so history, sync and unread counts need no second mechanism.
/// </summary>
public static class MessageKinds
{
    public const string Text = "text";
    public const string GroupCreated = "group_created";
    public const string MemberAdded = "member_added";
    public const string MemberRemoved = "member_removed";
    public const string MemberLeft = "member_left";
    public const string GroupRenamed = "group_renamed";
    public const string AdminAdded = "admin_added";

    /// <summary>Text messages count as unread and move read markers; membership events do neither.</summary>
    public static bool IsText(string? kind) => kind is null or Text;

    public static bool IsMembership(string? kind) =>
        kind is GroupCreated or MemberAdded or MemberRemoved or MemberLeft or GroupRenamed or AdminAdded;
}
