using System.Net;
using System.Net.Sockets;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Hosting;

/// <summary>
/// Finds a busy port before anything starts. Kestrel binds last, after the silo has joined and
/// started its grains, so its own failure would come after a page of shutdown logs.
/// </summary>
public static class PortCheck
{
    /// <summary>Throws <see cref="StartupUsageException"/> naming the first busy port and the option that sets it.</summary>
    public static void EnsureFree(IConfiguration config, bool hostsSilo)
    {
        var urls = config["urls"] ?? (config.GetSection("Kestrel:Endpoints").Exists() ? null : "http://localhost:5000");
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Endpoint(url) is { } endpoint && IsBusy(endpoint))
            {
                throw new StartupUsageException(StartupFailure.BusyUrl(url));
            }
        }
        if (hostsSilo)
        {
            foreach (var (key, fallback) in new[] { ("SiloPort", 11111), ("GatewayPort", 30000) })
            {
                var port = config.GetValue($"Cluster:{key}", fallback);
                if (port > 0 && IsBusy(new IPEndPoint(IPAddress.Loopback, port)))
                {
                    throw new StartupUsageException(
                        $"port {port} (the embedded silo's {key}) is already in use, perhaps by another gateway: set Cluster__{key}, or 0 for any free port");
                }
            }
        }
    }

    private static IPEndPoint? Endpoint(string url)
    {
        // Kestrel's wildcards: http://*:5000 and http://+:5000 bind every address.
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            return null;
        }
        if (uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _))
        {
            return new IPEndPoint(IPAddress.Loopback, uri.Port);
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, uri.Port) : null;
    }

    private static bool IsBusy(IPEndPoint endpoint)
    {
        try
        {
            var listener = new TcpListener(endpoint);
            listener.Start();
            listener.Stop();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false; // not ours to judge (no such address here): Kestrel will say
        }
    }
}
