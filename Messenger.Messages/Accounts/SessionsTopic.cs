namespace Messenger.Messages.Accounts;

/// <summary>
/// The distributed pub-sub topic on which account entities publish <see cref="AccountReplies.Sessions"/>
/// whenever a user's tokens change, so every node's token cache hears of it at once.
/// </summary>
public static class SessionsTopic
{
    public const string Name = "messenger-sessions";
}
