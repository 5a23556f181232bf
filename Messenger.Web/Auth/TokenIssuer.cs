using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Messenger.Web.Auth;

/// <summary>Issues and describes the bearer tokens (JWT, HS256): the subject is the user id.</summary>
public sealed class TokenIssuer(byte[] key, TimeSpan lifetime)
{
    public const string Issuer = "messenger";
    public const string Audience = "messenger-clients";

    private readonly SymmetricSecurityKey _key = new(key);
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(string userId) => _handler.CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim("sub", userId)]),
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
