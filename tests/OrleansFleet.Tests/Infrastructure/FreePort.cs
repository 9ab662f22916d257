using System.Net;
using System.Net.Sockets;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>Finds loopback ports nobody listens on, so hosts started by tests never collide.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
