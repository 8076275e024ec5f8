using System.Net;
using Microsoft.AspNetCore.Http;

namespace Newsletter.Pages;

/// <summary>
/// The client's address as limits, logs and the consent trail record it: after a configured proxy's
/// X-Forwarded-For, and an IPv4 client on the dual-stack socket as plain IPv4.
/// </summary>
public static class ClientAddress
{
    public static IPAddress? Of(HttpContext context) =>
        context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
}
