namespace Messenger.Messages.Serialization;

public sealed partial class MessengerSerializer
{
    /// <summary>
    /// One short manifest per message type. Stored next to every persisted event and snapshot:
    /// never change or reuse a value, and never derive one from a type name.
    /// </summary>
    public static class Manifests
    {
        // Chat / devices
        public const string ChatMessage = "cm";
        public const string InboxMessage = "im";
        public const string DeviceDeliver = "d-deliver";

        // Accounts
        public const string AccountRegister = "a-register";
        public const string AccountGetCredentials = "a-get-creds";
        public const string AccountRegistered = "a-registered";
        public const string AccountUsernameTaken = "a-taken";
        public const string AccountCredentials = "a-creds";
        public const string AccountCreated = "a-created";
        public const string AccountBeginSignIn = "a-begin-signin";
        public const string AccountSignInSucceeded = "a-signin-ok";
        public const string AccountGetSessions = "a-get-sessions";
        public const string AccountSignInUnchecked = "a-signin-unchecked";
        public const string AccountRevokeToken = "a-revoke-token";
        public const string AccountRevokeSessions = "a-revoke-all";
        public const string AccountChangePassword = "a-change-pw";
        public const string AccountSignInAdmitted = "a-signin-admitted";
        public const string AccountSignInThrottled = "a-signin-throttled";
        public const string AccountSessions = "a-sessions";
        public const string AccountTokenRevoked = "a-token-revoked";
        public const string AccountSessionsRevoked = "a-sessions-revoked";
        public const string AccountPasswordChanged = "a-pw-changed";

        // Users: commands
        public const string UserOpenInbox = "u-open";
        public const string UserSendMessage = "u-send";
        public const string UserStoreIncoming = "u-store-in";
        public const string UserStoreOutgoing = "u-store-out";
        public const string UserConfirmSenderCopy = "u-confirm";
        public const string UserMarkRead = "u-mark-read";
        public const string UserAttachDevice = "u-attach";
        public const string UserDetachDevice = "u-detach";

        // Users: events
        public const string UserInboxOpened = "u-opened";
        public const string UserMessageStored = "u-stored";
        public const string UserSenderCopiesConfirmed = "u-confirmed";
        public const string UserReadMarkerMoved = "u-read-moved";

        // Users: queries
        public const string UserGetConversations = "u-get-convs";
        public const string UserGetHistory = "u-get-history";
        public const string UserGetInboxAfter = "u-get-inbox";

        // Users: replies
        public const string UserInboxReady = "u-ready";
        public const string UserDeviceAttached = "u-attached";
        public const string UserMessageSent = "u-sent";
        public const string UserRejected = "u-rejected";
        public const string UserIncomingStored = "u-in-stored";
        public const string UserOutgoingStored = "u-out-stored";
        public const string UserReadMarked = "u-read-marked";
        public const string UserConversationSummary = "u-conv";
        public const string UserConversationsPage = "u-convs-page";
        public const string UserHistoryPage = "u-history-page";
        public const string UserInboxPage = "u-inbox-page";

        // Users: snapshots
        public const string UserConversationState = "u-s-conv";
        public const string UserSeqCheckpoint = "u-s-checkpoint";
        public const string UserInboxSnapshot = "u-s-inbox";
    }
}
