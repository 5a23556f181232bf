using System.Collections.Concurrent;
using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>
/// This node's short memory of group member lists, for what the edge fans out itself (typing): a typing frame must not
/// cost an ask of the group. A roster is trusted for <see cref="FreshFor"/>; a caller missing from the one held is
/// asked about once (a member added since), and a refusal is remembered as long, so a stranger's frames cost nothing
/// either. Every membership answer the edge relays refreshes the roster here too.
/// </summary>
public sealed class GroupRosters(GroupRegion groups, EdgeTimeouts timeouts)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(3);

    /// <summary>Past this many entries, expired ones are dropped (the cache never grows with all groups ever seen).</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Known> _rosters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Group, string User), long> _refused = new();

    private sealed record Known(IReadOnlyList<string> Members, long Until);

    /// <summary>What the edge knows of <c>me</c> in a group.</summary>
    public enum Standing { Member, NotMember, Unknown }

    public void Remember(GroupReplies.GroupView view)
    {
        _rosters[view.ConversationId] = new Known(view.Members.Select(m => m.UserId).ToList(), Now + FreshMs);
        Sweep();
    }

    /// <summary>The group's members when <paramref name="me"/> is one; <see cref="Standing.Unknown"/> when the group did
    /// not answer in time (a hint such as typing is then dropped).</summary>
    public async Task<(Standing Standing, IReadOnlyList<string> Members)> MembersAsync(string me, string groupId)
    {
        var now = Now;
        if (_rosters.TryGetValue(groupId, out var known) && known.Until > now && known.Members.Contains(me))
            return (Standing.Member, known.Members);
        if (_refused.TryGetValue((groupId, me), out var until) && until > now)
            return (Standing.NotMember, []);
        object answer;
        try
        {
            answer = await (await groups.GetAsync(CancellationToken.None))
                .Ask<object>(new GroupCommands.GetGroup(groupId, me), timeouts.Query);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return (Standing.Unknown, []);
        }
        if (answer is GroupReplies.GroupView view)
        {
            Remember(view);
            if (view.Members.Any(m => m.UserId == me)) return (Standing.Member, view.Members.Select(m => m.UserId).ToList());
        }
        else if (answer is not UserReplies.Rejected { Code: ErrorCodes.NotFound or ErrorCodes.Forbidden })
            return (Standing.Unknown, []);
        _refused[(groupId, me)] = Now + FreshMs;
        Sweep();
        return (Standing.NotMember, []);
    }

    private static long FreshMs => (long)FreshFor.TotalMilliseconds;

    private static long Now => Environment.TickCount64;

    private void Sweep()
    {
        if (_rosters.Count + _refused.Count <= SweepAbove) return;
        var now = Now;
        foreach (var (key, known) in _rosters)
            if (known.Until <= now) _rosters.TryRemove(key, out _);
        foreach (var (key, until) in _refused)
            if (until <= now) _refused.TryRemove(key, out _);
    }
}
