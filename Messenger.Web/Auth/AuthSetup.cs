using Messenger.Messages.Chat;
using Messenger.Web.Api;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Messenger.Web.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddMessengerAuth(this IServiceCollection services, TokenIssuer issuer)
    {
        services.AddSingleton(issuer);
        services.AddAuthorization();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = issuer.ValidationParameters;
            o.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on a WebSocket: accept ?access_token= there (and only there).
                OnMessageReceived = ctx =>
                {
                    if (ctx.Request.Path.StartsWithSegments("/ws") && ctx.Request.Query.TryGetValue("access_token", out var token))
                        ctx.Token = token;
                    return Task.CompletedTask;
                },
                OnChallenge = async ctx =>
                {
                    ctx.HandleResponse();
                    await ApiResults.Error(ErrorCodes.Unauthorized, "a valid bearer token is required").ExecuteAsync(ctx.HttpContext);
                },
            };
        });
        return services;
    }

    /// <summary>The authenticated user id: the token's subject.</summary>
    public static string UserId(this HttpContext context) => context.User.FindFirst("sub")!.Value;
}
