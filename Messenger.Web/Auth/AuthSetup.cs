using System.Threading.RateLimiting;
using Messenger.Messages.Chat;
using Messenger.Web.Api;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.RateLimiting;

namespace Messenger.Web.Auth;

public static class AuthSetup
{
    /// <summary>The per-client limit (sign-up, sign-in, password change): one token bucket per client address.</summary>
    public const string SignInPolicy = "sign-in";

    private const string SessionsUnavailable = "messenger.sessions-unavailable";

    public static IServiceCollection AddMessengerAuth(this IServiceCollection services, TokenIssuer issuer, SignInSettings limits)
    {
        services.AddSingleton(issuer);
        services.AddSingleton(limits);
        services.AddSingleton(new ClientAddress(limits));
        services.AddSingleton(new PasswordHashing(limits));
        services.AddSingleton<SessionCache>();
        services.AddHostedService<SessionListenerStart>();
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
                // A well-signed token may have been signed out: ask this node's session cache (no Ask when cached).
                OnTokenValidated = async ctx =>
                {
                    var session = TokenSession.From(ctx.Principal);
                    var allowed = session is null
                        ? false
                        : await ctx.HttpContext.RequestServices.GetRequiredService<SessionCache>().AllowsAsync(session, ctx.HttpContext.RequestAborted);
                    if (allowed == true) return;
                    if (allowed is null) ctx.HttpContext.Items[SessionsUnavailable] = true;
                    ctx.Fail(allowed is null ? "sessions could not be checked" : "this token was signed out");
                },
                OnChallenge = async ctx =>
                {
                    ctx.HandleResponse();
                    var result = ctx.HttpContext.Items.ContainsKey(SessionsUnavailable)
                        ? ApiResults.Unavailable("the session could not be checked in time; retry")
                        : ApiResults.Error(ErrorCodes.Unauthorized, "a valid bearer token is required");
                    await result.ExecuteAsync(ctx.HttpContext);
                },
            };
        });
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignInPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.RequestServices.GetRequiredService<ClientAddress>().Of(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, limits.ClientBurst),
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(60.0 / Math.Max(1, limits.ClientPerMinute)),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            o.OnRejected = async (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                await SignInAnswers.TooMany(retryAfter, "too many sign-in attempts from this address; retry later")
                    .ExecuteAsync(ctx.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The authenticated user id: the token's subject.</summary>
    public static string UserId(this HttpContext context) => context.User.FindFirst("sub")!.Value;
}
