using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.UserCommands;

namespace Messenger.Tests.Groups.Inbox;

/// <summary>Drives inbox cores without an actor system: opens them, feeds journal outcomes back, reads effects.</summary>
internal sealed class CoreDriver(DateTime now)
{
    public static readonly SendSettings Settings = new();
    private long _journal;

    public InboxCore Opened(string user)
    {
        var core = new InboxCore(user, Settings);
        core.Recovered(now);
        Persisted(core, Persists<UserEvents.InboxOpened>(core.Handle(new OpenInbox(user), "edge", now)));
        return core;
    }

    public List<InboxEffect> Persisted(InboxCore core, object evt) => core.Persisted(evt, ++_journal, now);

    public List<InboxEffect> Persisted(InboxCore core, object evt, DateTime at) => core.Persisted(evt, ++_journal, at);

    public static T Persists<T>(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.Persist>().Select(p => p.Event).OfType<T>().Single();

    public static IEnumerable<object> RepliesTo(IEnumerable<InboxEffect> fx, string to) =>
        fx.OfType<InboxEffect.Reply>().Where(r => Equals(r.To, to)).Select(r => r.Message);
}
