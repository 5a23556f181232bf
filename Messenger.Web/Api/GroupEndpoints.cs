using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Web.Auth;

namespace Messenger.Web.Api;

/// <summary>
/// API.md v2 "Groups": create, read, rename, add and remove members, make admins. Each membership answer comes once the
/// event is durable in the copy of every member it concerns. Anyone who is not a member gets 404 for the group; a
/// member who is not an admin gets 403 for admin actions.
/// </summary>
public static class GroupEndpoints
{
    public sealed record CreateGroupBody(string? Name, string?[]? Members);

    public sealed record RenameGroupBody(string? Name);

    public sealed record MemberBody(string? UserId);

    private const string Tag = "groups";

    public static void MapGroupEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/groups", Create).RequireAuthorization()
            .Describe("CreateGroup", "Create a group with the caller as its admin; answers once every member's copy holds group_created", Tag)
            .Takes<CreateGroupBody>().Answers<OpenApiShapes.Group>(201)
            .Fails(ErrorCodes.InvalidRequest, ErrorCodes.NotFound, ErrorCodes.TooLarge, ErrorCodes.RateLimited);
        app.MapGet("/api/groups/{conversationId}", Get).RequireAuthorization()
            .Describe("GetGroup", "A group the caller is a member of: its name and members", Tag)
            .Answers<OpenApiShapes.Group>().Fails(ErrorCodes.NotFound);
        app.MapPatch("/api/groups/{conversationId}", Rename).RequireAuthorization()
            .Describe("RenameGroup", "Rename a group (admins)", Tag)
            .Takes<RenameGroupBody>().Answers<OpenApiShapes.Group>()
            .Fails(ErrorCodes.InvalidRequest, ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.TooLarge, ErrorCodes.RateLimited);
        app.MapPost("/api/groups/{conversationId}/members", AddMember).RequireAuthorization()
            .Describe("AddGroupMember", "Add a member (admins); adding a member again changes nothing", Tag)
            .Takes<MemberBody>().Answers<OpenApiShapes.Group>()
            .Fails(ErrorCodes.InvalidRequest, ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.TooLarge, ErrorCodes.RateLimited);
        app.MapDelete("/api/groups/{conversationId}/members/{userId}", RemoveMember).RequireAuthorization()
            .Describe("RemoveGroupMember", "Remove a member (admins), or leave (the caller's own id)", Tag)
            .Answers<OpenApiShapes.Group>().Fails(ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.RateLimited);
        app.MapPost("/api/groups/{conversationId}/admins", MakeAdmin).RequireAuthorization()
            .Describe("MakeGroupAdmin", "Make a member an admin (admins); an admin already changes nothing", Tag)
            .Takes<MemberBody>().Answers<OpenApiShapes.Group>()
            .Fails(ErrorCodes.InvalidRequest, ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.TooLarge, ErrorCodes.RateLimited);
    }

    private static async Task<IResult> Create(HttpContext context, GroupGateway gateway)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<CreateGroupBody>(context.Request);
        if (error is not null) return error;
        var answer = await gateway.CreateAsync(context.UserId(), body!.Name, body.Members, context.RequestAborted);
        return answer.Value is { } group ? ApiResults.Json(201, w => GroupJson.WriteGroup(w, group)) : ApiResults.Error(answer.Error!);
    }

    private static async Task<IResult> Get(string conversationId, HttpContext context, GroupGateway gateway) =>
        Render(await gateway.GetAsync(context.UserId(), conversationId, context.RequestAborted));

    private static async Task<IResult> Rename(string conversationId, HttpContext context, GroupGateway gateway)
    {
        if (!ConversationId.IsGroup(conversationId)) return NoSuchGroup();
        var (body, error) = await RequestReading.ReadJsonAsync<RenameGroupBody>(context.Request);
        if (error is not null) return error;
        return Render(await gateway.RenameAsync(context.UserId(), conversationId, body!.Name, context.RequestAborted));
    }

    private static async Task<IResult> AddMember(string conversationId, HttpContext context, GroupGateway gateway)
    {
        if (!ConversationId.IsGroup(conversationId)) return NoSuchGroup();
        var (body, error) = await RequestReading.ReadJsonAsync<MemberBody>(context.Request);
        if (error is not null) return error;
        return Render(await gateway.AddMemberAsync(context.UserId(), conversationId, body!.UserId, context.RequestAborted));
    }

    private static async Task<IResult> RemoveMember(string conversationId, string userId, HttpContext context, GroupGateway gateway) =>
        Render(await gateway.RemoveMemberAsync(context.UserId(), conversationId, userId, context.RequestAborted));

    private static async Task<IResult> MakeAdmin(string conversationId, HttpContext context, GroupGateway gateway)
    {
        if (!ConversationId.IsGroup(conversationId)) return NoSuchGroup();
        var (body, error) = await RequestReading.ReadJsonAsync<MemberBody>(context.Request);
        if (error is not null) return error;
        return Render(await gateway.MakeAdminAsync(context.UserId(), conversationId, body!.UserId, context.RequestAborted));
    }

    private static IResult Render(EdgeAnswer<GroupReplies.GroupView> answer) => ApiResults.From(answer, GroupJson.WriteGroup);

    /// <summary>Not a group id at all: the same 404 as a group the caller is not in, before the body is read.</summary>
    private static IResult NoSuchGroup() => ApiResults.Error(ErrorCodes.NotFound, "no such group");
}
