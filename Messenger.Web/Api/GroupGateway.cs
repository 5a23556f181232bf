using Akka.Actor;
using Messenger.Messages.Accounts;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Web.Auth;

namespace Messenger.Web.Api;

/// <summary>
/// The one way from the edge to a group's entity (API.md "Groups"): checks shapes (<see cref="GroupRequests"/>), that
/// every user named exists (their accounts), then asks the group, which decides what the caller may do and answers
/// once the membership event is durable in every copy it concerns. Every request is answered by the send deadline:
/// <c>unavailable</c> at the latest (the group keeps driving the copies; asking again converges). A membership change
/// is a message in every member's copy, so changes count against the caller's send rate (<c>rate_limited</c>).
/// </summary>
public sealed class GroupGateway(GroupRegion groups, AccountRegion accounts, EdgeTimeouts timeouts, SendRateLimiter limiter)
{
    public const string NotDurableYet = "the change is not durable in every member's copy yet; look at the group again";

    private static readonly EdgeError NoSuchGroup = new(ErrorCodes.NotFound, "no such group");

    public async Task<EdgeAnswer<GroupReplies.GroupView>> CreateAsync(string me, string? name, IReadOnlyList<string?>? members,
        CancellationToken ct)
    {
        if (GroupRequests.NameProblem(name) is { } badName) return Invalid(badName);
        var (others, problem) = GroupRequests.Others(me, members);
        if (others is null) return Invalid(problem!);
        if (Limited(me) is { } limited) return limited;
        var deadline = DeadlineFromNow();
        if (await MissingUserAsync(others, deadline, ct) is { } missing) return missing;
        return await AskAsync(new GroupCommands.CreateGroup(ConversationId.NewGroup(), me, name!, others), deadline, ct);
    }

    public async Task<EdgeAnswer<GroupReplies.GroupView>> GetAsync(string me, string groupId, CancellationToken ct) =>
        ConversationId.IsGroup(groupId)
            ? await AskAsync(new GroupCommands.GetGroup(groupId, me), DeadlineFromNow(), ct)
            : NoSuchGroup;

    public async Task<EdgeAnswer<GroupReplies.GroupView>> RenameAsync(string me, string groupId, string? name, CancellationToken ct)
    {
        if (!ConversationId.IsGroup(groupId)) return NoSuchGroup;
        if (GroupRequests.NameProblem(name) is { } badName) return Invalid(badName);
        if (Limited(me) is { } limited) return limited;
        return await AskAsync(new GroupCommands.RenameGroup(groupId, me, name!), DeadlineFromNow(), ct);
    }

    public async Task<EdgeAnswer<GroupReplies.GroupView>> AddMemberAsync(string me, string groupId, string? userId, CancellationToken ct)
    {
        if (!ConversationId.IsGroup(groupId)) return NoSuchGroup;
        var (member, problem) = GroupRequests.Member(userId);
        if (member is null) return Invalid(problem!);
        if (Limited(me) is { } limited) return limited;
        var deadline = DeadlineFromNow();
        if (await MissingUserAsync([member], deadline, ct) is { } missing) return missing;
        return await AskAsync(new GroupCommands.AddMember(groupId, me, member), deadline, ct);
    }

    /// <summary>An admin removes anyone; anyone removes themself (leaving). A name that is no user id is no member: 404.</summary>
    public async Task<EdgeAnswer<GroupReplies.GroupView>> RemoveMemberAsync(string me, string groupId, string userId, CancellationToken ct)
    {
        if (!ConversationId.IsGroup(groupId)) return NoSuchGroup;
        if (UserId.TryParse(userId) is not { } member) return new EdgeError(ErrorCodes.NotFound, "no such member");
        if (Limited(me) is { } limited) return limited;
        return await AskAsync(new GroupCommands.RemoveMember(groupId, me, member), DeadlineFromNow(), ct);
    }

    public async Task<EdgeAnswer<GroupReplies.GroupView>> MakeAdminAsync(string me, string groupId, string? userId, CancellationToken ct)
    {
        if (!ConversationId.IsGroup(groupId)) return NoSuchGroup;
        var (member, problem) = GroupRequests.Member(userId);
        if (member is null) return Invalid(problem!);
        if (Limited(me) is { } limited) return limited;
        return await AskAsync(new GroupCommands.MakeAdmin(groupId, me, member), DeadlineFromNow(), ct);
    }

    private EdgeError? Limited(string me) =>
        limiter.TryAcquire(me, out var wait) ? null : new EdgeError(ErrorCodes.RateLimited, "too many changes; slow down", wait);

    private DateTime DeadlineFromNow() => DateTime.UtcNow + timeouts.Send;

    private static EdgeError Invalid(string why) => new(ErrorCodes.InvalidRequest, why);

    private static EdgeError Unavailable(string why = "the messenger could not answer in time; retry") => new(ErrorCodes.Unavailable, why);

    /// <summary>Every account is asked at once; the first user without one is the answer (404), or null when all exist.</summary>
    private async Task<EdgeError?> MissingUserAsync(IReadOnlyList<string> userIds, DateTime deadline, CancellationToken ct)
    {
        try
        {
            var region = await accounts.GetAsync(ct);
            var wait = Remaining(deadline);
            var found = await Task.WhenAll(userIds.Select(id =>
                region.Ask<AccountReplies.Credentials>(new AccountCommands.GetCredentials(id), wait, ct)));
            for (var i = 0; i < found.Length; i++)
                if (found[i].PasswordHash is null) return new EdgeError(ErrorCodes.NotFound, $"no such user: {userIds[i]}");
            return null;
        }
        catch (Exception)
        {
            // A timeout, the client leaving, or an account that answered with a failure: never a 500.
            return Unavailable();
        }
    }

    private async Task<EdgeAnswer<GroupReplies.GroupView>> AskAsync(IWithGroupId command, DateTime deadline, CancellationToken ct)
    {
        try
        {
            var answer = await (await groups.GetAsync(ct)).Ask<object>(command, Remaining(deadline), ct);
            switch (answer)
            {
                case GroupReplies.GroupView view:
                    return view;
                case UserReplies.Rejected rejected:
                    return new EdgeError(rejected.Code, rejected.Reason);
                default:
                    return Unavailable(NotDurableYet);
            }
        }
        catch (Exception)
        {
            // A timeout, the client leaving, or a group that answered with a failure: never a 500.
            return Unavailable(command is GroupCommands.GetGroup ? "the group could not answer in time; retry" : NotDurableYet);
        }
    }

    /// <summary>What is left of the request's budget (at least a moment, so a late step still gets its answer or times out).</summary>
    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);
    }
}
