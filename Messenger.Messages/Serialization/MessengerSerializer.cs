using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using Messenger.Messages.Accounts;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>
/// Protobuf serializer for every <see cref="IMessengerMessage"/> (bound in hocon/serialization.conf).
/// The manifests (<see cref="Manifests"/>) and the proto schema (Proto/messenger.proto) are the persisted
/// format: both must stay stable. The per-type conversions live in the other parts of this partial class.
/// </summary>
public sealed partial class MessengerSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 471100;

    private readonly ExtendedActorSystem _system;

    public MessengerSerializer(ExtendedActorSystem system) : base(system)
    {
        _system = system;
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        ChatMessage => Manifests.ChatMessage,
        InboxMessage => Manifests.InboxMessage,
        DeviceFrames.Deliver => Manifests.DeviceDeliver,

        AccountCommands.Register => Manifests.AccountRegister,
        AccountCommands.GetCredentials => Manifests.AccountGetCredentials,
        AccountReplies.Registered => Manifests.AccountRegistered,
        AccountReplies.UsernameTaken => Manifests.AccountUsernameTaken,
        AccountReplies.Credentials => Manifests.AccountCredentials,
        AccountEvents.AccountCreated => Manifests.AccountCreated,
        AccountCommands.BeginSignIn => Manifests.AccountBeginSignIn,
        AccountCommands.SignInSucceeded => Manifests.AccountSignInSucceeded,
        AccountCommands.GetSessions => Manifests.AccountGetSessions,
        AccountCommands.SignInUnchecked => Manifests.AccountSignInUnchecked,
        AccountCommands.RevokeToken => Manifests.AccountRevokeToken,
        AccountCommands.RevokeSessions => Manifests.AccountRevokeSessions,
        AccountCommands.ChangePassword => Manifests.AccountChangePassword,
        AccountReplies.SignInAdmitted => Manifests.AccountSignInAdmitted,
        AccountReplies.SignInThrottled => Manifests.AccountSignInThrottled,
        AccountReplies.Sessions => Manifests.AccountSessions,
        AccountEvents.TokenRevoked => Manifests.AccountTokenRevoked,
        AccountEvents.SessionsRevoked => Manifests.AccountSessionsRevoked,
        AccountEvents.PasswordChanged => Manifests.AccountPasswordChanged,

        UserCommands.OpenInbox => Manifests.UserOpenInbox,
        UserCommands.SendMessage => Manifests.UserSendMessage,
        UserCommands.StoreIncoming => Manifests.UserStoreIncoming,
        UserCommands.StoreOutgoing => Manifests.UserStoreOutgoing,
        UserCommands.ConfirmSenderCopy => Manifests.UserConfirmSenderCopy,
        UserCommands.MarkRead => Manifests.UserMarkRead,
        UserCommands.AttachDevice => Manifests.UserAttachDevice,
        UserCommands.DetachDevice => Manifests.UserDetachDevice,

        UserEvents.InboxOpened => Manifests.UserInboxOpened,
        UserEvents.MessageStored => Manifests.UserMessageStored,
        UserEvents.SenderCopiesConfirmed => Manifests.UserSenderCopiesConfirmed,
        UserEvents.ReadMarkerMoved => Manifests.UserReadMarkerMoved,

        UserQueries.GetConversations => Manifests.UserGetConversations,
        UserQueries.GetHistory => Manifests.UserGetHistory,
        UserQueries.GetInboxAfter => Manifests.UserGetInboxAfter,

        UserReplies.InboxReady => Manifests.UserInboxReady,
        UserReplies.DeviceAttached => Manifests.UserDeviceAttached,
        UserReplies.MessageSent => Manifests.UserMessageSent,
        UserReplies.Rejected => Manifests.UserRejected,
        UserReplies.IncomingStored => Manifests.UserIncomingStored,
        UserReplies.OutgoingStored => Manifests.UserOutgoingStored,
        UserReplies.ReadMarked => Manifests.UserReadMarked,
        UserReplies.ConversationSummary => Manifests.UserConversationSummary,
        UserReplies.ConversationsPage => Manifests.UserConversationsPage,
        UserReplies.HistoryPage => Manifests.UserHistoryPage,
        UserReplies.InboxPage => Manifests.UserInboxPage,

        UserSnapshots.ConversationState => Manifests.UserConversationState,
        UserSnapshots.SeqCheckpoint => Manifests.UserSeqCheckpoint,
        UserSnapshots.InboxSnapshot => Manifests.UserInboxSnapshot,

        _ => throw Unsupported(o),
    };

    public override byte[] ToBinary(object obj) => ToProto(obj).ToByteArray();

    private IMessage ToProto(object obj) => obj switch
    {
        ChatMessage m => ToProto(m),
        InboxMessage m => ToProto(m),
        DeviceFrames.Deliver m => ToProto(m),

        AccountCommands.Register m => ToProto(m),
        AccountCommands.GetCredentials m => ToProto(m),
        AccountReplies.Registered m => ToProto(m),
        AccountReplies.UsernameTaken m => ToProto(m),
        AccountReplies.Credentials m => ToProto(m),
        AccountEvents.AccountCreated m => ToProto(m),
        AccountCommands.BeginSignIn m => ToProto(m),
        AccountCommands.SignInSucceeded m => ToProto(m),
        AccountCommands.GetSessions m => ToProto(m),
        AccountCommands.SignInUnchecked m => ToProto(m),
        AccountCommands.RevokeToken m => ToProto(m),
        AccountCommands.RevokeSessions m => ToProto(m),
        AccountCommands.ChangePassword m => ToProto(m),
        AccountReplies.SignInAdmitted m => ToProto(m),
        AccountReplies.SignInThrottled m => ToProto(m),
        AccountReplies.Sessions m => ToProto(m),
        AccountEvents.TokenRevoked m => ToProto(m),
        AccountEvents.SessionsRevoked m => ToProto(m),
        AccountEvents.PasswordChanged m => ToProto(m),

        UserCommands.OpenInbox m => ToProto(m),
        UserCommands.SendMessage m => ToProto(m),
        UserCommands.StoreIncoming m => ToProto(m),
        UserCommands.StoreOutgoing m => ToProto(m),
        UserCommands.ConfirmSenderCopy m => ToProto(m),
        UserCommands.MarkRead m => ToProto(m),
        UserCommands.AttachDevice m => ToProto(m),
        UserCommands.DetachDevice m => ToProto(m),

        UserEvents.InboxOpened m => ToProto(m),
        UserEvents.MessageStored m => ToProto(m),
        UserEvents.SenderCopiesConfirmed m => ToProto(m),
        UserEvents.ReadMarkerMoved m => ToProto(m),

        UserQueries.GetConversations m => ToProto(m),
        UserQueries.GetHistory m => ToProto(m),
        UserQueries.GetInboxAfter m => ToProto(m),

        UserReplies.InboxReady m => ToProto(m),
        UserReplies.DeviceAttached m => ToProto(m),
        UserReplies.MessageSent m => ToProto(m),
        UserReplies.Rejected m => ToProto(m),
        UserReplies.IncomingStored m => ToProto(m),
        UserReplies.OutgoingStored m => ToProto(m),
        UserReplies.ReadMarked m => ToProto(m),
        UserReplies.ConversationSummary m => ToProto(m),
        UserReplies.ConversationsPage m => ToProto(m),
        UserReplies.HistoryPage m => ToProto(m),
        UserReplies.InboxPage m => ToProto(m),

        UserSnapshots.ConversationState m => ToProto(m),
        UserSnapshots.SeqCheckpoint m => ToProto(m),
        UserSnapshots.InboxSnapshot m => ToProto(m),

        _ => throw Unsupported(obj),
    };

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        Manifests.ChatMessage => FromProto(P.ChatMessage.Parser.ParseFrom(bytes)),
        Manifests.InboxMessage => FromProto(P.InboxMessage.Parser.ParseFrom(bytes)),
        Manifests.DeviceDeliver => FromProto(P.DeviceDeliver.Parser.ParseFrom(bytes)),

        Manifests.AccountRegister => FromProto(P.AccountRegister.Parser.ParseFrom(bytes)),
        Manifests.AccountGetCredentials => FromProto(P.AccountGetCredentials.Parser.ParseFrom(bytes)),
        Manifests.AccountRegistered => FromProto(P.AccountRegistered.Parser.ParseFrom(bytes)),
        Manifests.AccountUsernameTaken => FromProto(P.AccountUsernameTaken.Parser.ParseFrom(bytes)),
        Manifests.AccountCredentials => FromProto(P.AccountCredentials.Parser.ParseFrom(bytes)),
        Manifests.AccountCreated => FromProto(P.AccountCreated.Parser.ParseFrom(bytes)),
        Manifests.AccountBeginSignIn => FromProto(P.AccountBeginSignIn.Parser.ParseFrom(bytes)),
        Manifests.AccountSignInSucceeded => FromProto(P.AccountSignInSucceeded.Parser.ParseFrom(bytes)),
        Manifests.AccountGetSessions => FromProto(P.AccountGetSessions.Parser.ParseFrom(bytes)),
        Manifests.AccountSignInUnchecked => FromProto(P.AccountSignInUnchecked.Parser.ParseFrom(bytes)),
        Manifests.AccountRevokeToken => FromProto(P.AccountRevokeToken.Parser.ParseFrom(bytes)),
        Manifests.AccountRevokeSessions => FromProto(P.AccountRevokeSessions.Parser.ParseFrom(bytes)),
        Manifests.AccountChangePassword => FromProto(P.AccountChangePassword.Parser.ParseFrom(bytes)),
        Manifests.AccountSignInAdmitted => FromProto(P.AccountSignInAdmitted.Parser.ParseFrom(bytes)),
        Manifests.AccountSignInThrottled => FromProto(P.AccountSignInThrottled.Parser.ParseFrom(bytes)),
        Manifests.AccountSessions => FromProto(P.AccountSessions.Parser.ParseFrom(bytes)),
        Manifests.AccountTokenRevoked => FromProto(P.AccountTokenRevoked.Parser.ParseFrom(bytes)),
        Manifests.AccountSessionsRevoked => FromProto(P.AccountSessionsRevoked.Parser.ParseFrom(bytes)),
        Manifests.AccountPasswordChanged => FromProto(P.AccountPasswordChanged.Parser.ParseFrom(bytes)),

        Manifests.UserOpenInbox => FromProto(P.UserOpenInbox.Parser.ParseFrom(bytes)),
        Manifests.UserSendMessage => FromProto(P.UserSendMessage.Parser.ParseFrom(bytes)),
        Manifests.UserStoreIncoming => FromProto(P.UserStoreIncoming.Parser.ParseFrom(bytes)),
        Manifests.UserStoreOutgoing => FromProto(P.UserStoreOutgoing.Parser.ParseFrom(bytes)),
        Manifests.UserConfirmSenderCopy => FromProto(P.UserConfirmSenderCopy.Parser.ParseFrom(bytes)),
        Manifests.UserMarkRead => FromProto(P.UserMarkRead.Parser.ParseFrom(bytes)),
        Manifests.UserAttachDevice => FromProto(P.UserAttachDevice.Parser.ParseFrom(bytes)),
        Manifests.UserDetachDevice => FromProto(P.UserDetachDevice.Parser.ParseFrom(bytes)),

        Manifests.UserInboxOpened => FromProto(P.UserInboxOpened.Parser.ParseFrom(bytes)),
        Manifests.UserMessageStored => FromProto(P.UserMessageStored.Parser.ParseFrom(bytes)),
        Manifests.UserSenderCopiesConfirmed => FromProto(P.UserSenderCopiesConfirmed.Parser.ParseFrom(bytes)),
        Manifests.UserReadMarkerMoved => FromProto(P.UserReadMarkerMoved.Parser.ParseFrom(bytes)),

        Manifests.UserGetConversations => FromProto(P.UserGetConversations.Parser.ParseFrom(bytes)),
        Manifests.UserGetHistory => FromProto(P.UserGetHistory.Parser.ParseFrom(bytes)),
        Manifests.UserGetInboxAfter => FromProto(P.UserGetInboxAfter.Parser.ParseFrom(bytes)),

        Manifests.UserInboxReady => FromProto(P.UserInboxReady.Parser.ParseFrom(bytes)),
        Manifests.UserDeviceAttached => FromProto(P.UserDeviceAttached.Parser.ParseFrom(bytes)),
        Manifests.UserMessageSent => FromProto(P.UserMessageSent.Parser.ParseFrom(bytes)),
        Manifests.UserRejected => FromProto(P.UserRejected.Parser.ParseFrom(bytes)),
        Manifests.UserIncomingStored => FromProto(P.UserIncomingStored.Parser.ParseFrom(bytes)),
        Manifests.UserOutgoingStored => FromProto(P.UserOutgoingStored.Parser.ParseFrom(bytes)),
        Manifests.UserReadMarked => FromProto(P.UserReadMarked.Parser.ParseFrom(bytes)),
        Manifests.UserConversationSummary => FromProto(P.UserConversationSummary.Parser.ParseFrom(bytes)),
        Manifests.UserConversationsPage => FromProto(P.UserConversationsPage.Parser.ParseFrom(bytes)),
        Manifests.UserHistoryPage => FromProto(P.UserHistoryPage.Parser.ParseFrom(bytes)),
        Manifests.UserInboxPage => FromProto(P.UserInboxPage.Parser.ParseFrom(bytes)),

        Manifests.UserConversationState => FromProto(P.UserConversationState.Parser.ParseFrom(bytes)),
        Manifests.UserSeqCheckpoint => FromProto(P.UserSeqCheckpoint.Parser.ParseFrom(bytes)),
        Manifests.UserInboxSnapshot => FromProto(P.UserInboxSnapshot.Parser.ParseFrom(bytes)),

        _ => throw new SerializationException(
            $"{nameof(MessengerSerializer)} cannot deserialize unknown manifest [{manifest}]"),
    };

    private static ArgumentException Unsupported(object o) =>
        new($"{nameof(MessengerSerializer)} cannot serialize [{o?.GetType().FullName ?? "null"}]", nameof(o));
}
