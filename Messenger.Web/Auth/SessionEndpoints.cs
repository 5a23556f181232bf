using Akka.Actor;
using Messenger.Messages.Accounts;
using Messenger.Messages.Chat;
using Messenger.Web.Api;

namespace Messenger.Web.Auth;

/// <summary>
/// Sign-out (this token), sign-out everywhere, password change. The account entity records the change and publishes
/// it to every node; this node applies the answer to its own cache at once, so the caller's next request here sees it.
/// </summary>
public static class SessionEndpoints
{
    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/signout", SignOut).RequireAuthorization()
            .Describe("SignOut", "This token stops working", "auth").AnswersEmpty();
        app.MapPost("/api/auth/signout-all", SignOutEverywhere).RequireAuthorization()
            .Describe("SignOutEverywhere", "Every token of the caller stops working", "auth").AnswersEmpty();
        app.MapPost("/api/auth/password", ChangePassword).RequireAuthorization().RequireRateLimiting(AuthSetup.SignInPolicy)
            .Describe("ChangePassword", "Change the password; answers a new token, every other token stops working", "auth")
            .Takes<PasswordChange>().Answers<OpenApiShapes.SignedIn>().Fails(ErrorCodes.InvalidRequest);
    }

    private static Task<IResult> SignOut(HttpContext context, AccountRegion accounts, SessionCache sessions)
    {
        var token = TokenSession.From(context.User)!;
        // A token from before sessions existed has no id of its own: only its whole generation can end.
        IWithUsername revoke = token.TokenId is null
            ? new AccountCommands.RevokeSessions(token.UserId)
            : new AccountCommands.RevokeToken(token.UserId, token.TokenId, token.ExpiresAt);
        return ChangeAsync(context, accounts, sessions, revoke);
    }

    private static Task<IResult> SignOutEverywhere(HttpContext context, AccountRegion accounts, SessionCache sessions) =>
        ChangeAsync(context, accounts, sessions, new AccountCommands.RevokeSessions(context.UserId()));

    private static async Task<IResult> ChangeAsync(HttpContext context, AccountRegion accounts, SessionCache sessions,
        IWithUsername change)
    {
        try
        {
            var ct = context.RequestAborted;
            sessions.Apply(await (await accounts.GetAsync(ct)).Ask<AccountReplies.Sessions>(change, AuthEndpoints.AskTimeout, ct));
            return Results.NoContent();
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ApiResults.Unavailable();
        }
    }

    private static async Task<IResult> ChangePassword(HttpContext context, AccountRegion accounts, SessionCache sessions,
        PasswordHashing passwords, ClientAddress clients, TokenIssuer tokens)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<PasswordChange>(context.Request);
        if (error is not null) return error;
        if (body!.CurrentPassword is null)
            return ApiResults.Error(ErrorCodes.InvalidRequest, "currentPassword is required");
        if (!AuthEndpoints.IsAcceptablePassword(body.NewPassword))
            return ApiResults.Error(ErrorCodes.InvalidRequest, "newPassword must be 8–256 characters");
        var userId = context.UserId();
        var client = clients.Of(context);
        try
        {
            var ct = context.RequestAborted;
            var region = await accounts.GetAsync(ct);
            if (body.CurrentPassword.Length is 0 or > Limits.MaxPasswordLength) return SignInAnswers.WrongPassword();
            var refused = await AuthEndpoints.CheckPasswordAsync(region, passwords, client, userId, body.CurrentPassword, ct);
            if (refused is not null) return refused;
            var (hash, notHashed) = await passwords.HashAsync(client, userId, body.NewPassword!, ct);
            if (hash is null) return SignInAnswers.NotHashed(notHashed);
            var current = await region.Ask<AccountReplies.Sessions>(new AccountCommands.ChangePassword(userId, hash), AuthEndpoints.AskTimeout, ct);
            sessions.Apply(current);
            return Results.Json(new { userId, token = tokens.Issue(userId, current.Generation) });
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ApiResults.Unavailable();
        }
    }
}
