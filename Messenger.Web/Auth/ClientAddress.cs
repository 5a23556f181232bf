using System.Net;

namespace Messenger.Web.Auth;

/// <summary>
/// Who is asking, for the per-client limits: the connection's address; when the connection comes from a trusted
/// proxy (loopback, plus Messenger:SignIn:TrustedProxies), the nearest X-Forwarded-For address that is not a trusted
/// proxy itself. Anything unparsable in the header stops the walk: a client can prepend whatever it likes, so only
/// what trusted proxies appended counts.
/// </summary>
public sealed class ClientAddress
{
    private readonly HashSet<IPAddress> _trusted = new();

    public ClientAddress(SignInSettings limits)
    {
        foreach (var text in limits.TrustedProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            _trusted.Add(IPAddress.TryParse(text, out var proxy)
                ? Normal(proxy)
                : throw new InvalidOperationException($"Messenger:SignIn:TrustedProxies: '{text}' is not an IP address"));
    }

    public string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress is { } remote ? Normal(remote) : IPAddress.None;
        if (!IsTrusted(address)) return address.ToString();
        var hops = context.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop)) break;
            address = Normal(hop);
            if (!IsTrusted(address)) break;
        }
        return address.ToString();
    }

    private bool IsTrusted(IPAddress address) => IPAddress.IsLoopback(address) || _trusted.Contains(address);

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
