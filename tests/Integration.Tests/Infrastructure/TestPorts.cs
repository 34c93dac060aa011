using System.Net;
using System.Net.Sockets;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>
/// Ports for the nodes the tests start. They come from below Linux's ephemeral range (32768–60999),
/// so no outgoing connection (to PostgreSQL, between silos, from an HTTP client) can take one between
/// the check and the node's bind: a port picked from that range failed a CI run once. A process-wide
/// cursor hands each port out once, and each is checked free before it is handed out.
/// </summary>
public static class TestPorts
{
    private const int First = 20_000;
    private const int End = 32_768;
    private static readonly Lock Gate = new();
    private static int _cursor = First + Random.Shared.Next(0, (End - First) / 2);

    /// <summary>One free port.</summary>
    public static int Next() => Range(1);

    /// <summary>The first of <paramref name="count"/> consecutive ports that are all free now.</summary>
    public static int Range(int count)
    {
        lock (Gate)
        {
            for (var scanned = 0; scanned < End - First; scanned += count)
            {
                if (_cursor + count > End)
                {
                    _cursor = First;
                }
                var start = _cursor;
                _cursor += count;
                if (Enumerable.Range(start, count).All(IsFree))
                {
                    return start;
                }
            }
        }
        throw new InvalidOperationException($"no {count} free consecutive ports in {First}–{End - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
