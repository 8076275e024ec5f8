using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Operations;

/// <summary>
/// Behind a reverse proxy the client's address and scheme arrive in X-Forwarded-For/-Proto. They are
/// believed from the configured proxies only (<c>Newsletter:Proxy:Addresses</c>), not even from loopback
/// by default, so rate limits, logs and the cookie's Secure flag see the real client.
/// </summary>
public static class ProxySetup
{
    public static WebApplication UseConfiguredProxies(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        // With both of its lists empty the middleware believes every client: no proxy, no middleware.
        if (proxies.Addresses.Count == 0)
            return app;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var entry in proxies.Addresses)
        {
            if (IPAddress.TryParse(entry, out var address))
                options.KnownProxies.Add(address);
            else
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
        }
        app.UseForwardedHeaders(options);
        return app;
    }
}
