using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Messenger.Web.Auth;

/// <summary>
/// Issues and describes the bearer tokens (JWT, HS256): the subject is the user id, <c>gen</c> the account's session
/// generation when it was issued and <c>jti</c> its own id (see <see cref="SessionCache"/> for how both revoke it).
/// </summary>
public sealed class TokenIssuer(byte[] key, TimeSpan lifetime)
{
    public const string Issuer = "messenger";
    public const string Audience = "messenger-clients";
    public const string GenerationClaim = "gen";
    public const string TokenIdClaim = "jti";

    private readonly SymmetricSecurityKey _key = new(key);
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(string userId, long generation) => _handler.CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object>
        {
            ["sub"] = userId,
            [GenerationClaim] = generation,
            [TokenIdClaim] = Guid.NewGuid().ToString("N"),
        },
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow + lifetime,
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
    });

    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = _key,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromMinutes(1),
        NameClaimType = "sub",
    };
}

/// <summary>
/// What a validated token says about its session. Tokens issued before sessions existed have neither <c>gen</c>
/// (generation 0: they work until the first sign-out everywhere) nor <c>jti</c> (signing one out ends generation 0).
/// </summary>
public sealed record TokenSession(string UserId, long Generation, string? TokenId, DateTime ExpiresAt)
{
    public static TokenSession? From(ClaimsPrincipal? principal)
    {
        var userId = principal?.FindFirst("sub")?.Value;
        if (userId is null) return null;
        var generation = long.TryParse(principal!.FindFirst(TokenIssuer.GenerationClaim)?.Value, out var g) ? g : 0;
        var expires = long.TryParse(principal.FindFirst("exp")?.Value, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp).UtcDateTime
            : DateTime.UtcNow.AddDays(30);
        return new TokenSession(userId, generation, principal.FindFirst(TokenIssuer.TokenIdClaim)?.Value, expires);
    }
}
