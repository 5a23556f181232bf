using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.ReceiptCommands;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Tests.Receipts;

/// <summary>
/// Receipt decisions driven on the inbox core without an actor system: commands in, effects out, journal outcomes
/// fed back by hand (reply targets are strings standing for the actors that asked). Helpers for the two spec classes.
/// </summary>
public abstract class ReceiptCoreSpecBase
{
    protected static readonly SendSettings Settings = new();
    protected readonly DateTime Now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    protected long Journal;

    protected InboxCore Opened(string user)
    {
        var core = new InboxCore(user, Settings);
        core.Recovered(Now);
        core.Persisted(Persists<UserEvents.InboxOpened>(core.Handle(new OpenInbox(user), "edge", Now)), ++Journal, Now);
        return core;
    }

    protected static T Persists<T>(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.Persist>().Select(p => p.Event).OfType<T>().Single();

    protected static IEnumerable<object> RepliesTo(IEnumerable<InboxEffect> fx, string to) =>
        fx.OfType<InboxEffect.Reply>().Where(r => Equals(r.To, to)).Select(r => r.Message);

    protected static List<DeviceReceipt> Pushed(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.PushToDevices>().Select(p => p.Frame).OfType<DeviceReceipt>().ToList();

    protected static List<CopyPeerReceipt> Copies(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.ToInbox>().Select(t => t.Message).OfType<CopyPeerReceipt>().ToList();

    /// <summary>The whole send saga between two cores; every effect along the way is collected in <paramref name="seen"/>.</summary>
    protected ChatMessage Deliver(InboxCore from, InboxCore to, string body, List<InboxEffect>? seen = null)
    {
        seen ??= [];
        var fx = from.Handle(new SendMessage(from.UserId, Guid.NewGuid(), to.UserId, body), "client", Now);
        seen.AddRange(fx);
        var ask = fx.OfType<InboxEffect.ToInbox>().Select(t => t.Message).OfType<StoreRecipientCopy>().Single();
        fx = to.Handle(ask, "inbox-from", Now);
        seen.AddRange(fx);
        fx = to.Persisted(Persists<UserEvents.MessageStored>(fx), ++Journal, Now);
        seen.AddRange(fx);
        var answer = RepliesTo(fx, "inbox-from").OfType<RecipientCopyStored>().Single();
        fx = from.Handle(answer, "inbox-to", Now);
        seen.AddRange(fx);
        foreach (var evt in fx.OfType<InboxEffect.Persist>().Select(p => p.Event).ToList())
        {
            var done = from.Persisted(evt, ++Journal, Now);
            seen.AddRange(done);
            if (evt is UserEvents.MessageStored stored)
            {
                to.Handle(RepliesTo(done, "inbox-to").OfType<SenderCopyStored>().Single(), "inbox-from", Now);
                return stored.Message;
            }
        }
        throw new InvalidOperationException("the sender's copy was not written");
    }

    /// <summary>Handles <paramref name="command"/> and applies what it persists; the effects of both steps.</summary>
    protected List<InboxEffect> Run(InboxCore core, object command, string replyTo = "edge")
    {
        var fx = core.Handle(command, replyTo, Now);
        var all = new List<InboxEffect>(fx);
        foreach (var evt in fx.OfType<InboxEffect.Persist>().Select(p => p.Event).ToList())
            all.AddRange(core.Persisted(evt, ++Journal, Now));
        return all;
    }

    protected static string Conversation(InboxCore a, InboxCore b) => ConversationId.Direct(a.UserId, b.UserId);

    protected static long SeqOf(InboxCore core, ChatMessage m) => core.State.FindRecent(m.From, m.ClientMessageId)!.Seq;
}
