namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>
/// Several silo processes and one gateway that hosts no grains (an Orleans client), on loopback,
/// sharing one PostgreSQL database for data and membership. Every silo keeps its ports across
/// restarts, as a StatefulSet pod keeps its name.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly StorageBackend _db;
    private readonly (int Silo, int Gateway)[] _ports;
    private readonly NodeProcess?[] _silos;

    private SiloCluster(StorageBackend db, int silos)
    {
        _db = db;
        _ports = [.. Enumerable.Range(0, silos).Select(_ => (NodeProcess.FreePort(), NodeProcess.FreePort()))];
        _silos = new NodeProcess?[silos];
    }

    public NodeProcess Gateway { get; private set; } = null!;

    public static async Task<SiloCluster> StartAsync(StorageBackend db, int silos)
    {
        var cluster = new SiloCluster(db, silos);
        for (var i = 0; i < silos; i++)
        {
            await cluster.StartSiloAsync(i);
        }
        cluster.Gateway = await cluster.AddGatewayAsync();
        return cluster;
    }

    /// <summary>Another gateway (no grains) joined to the same cluster; the caller disposes it.</summary>
    public async Task<NodeProcess> AddGatewayAsync()
    {
        var env = _db.NodeEnvironment();
        env["Gateway__HostsSilo"] = "false";
        var gateway = await NodeProcess.StartGatewayAsync(env);
        await gateway.WaitForLogAsync(" is up", TimeSpan.FromSeconds(60));
        return gateway;
    }

    public async Task StartSiloAsync(int index)
    {
        var silo = await NodeProcess.StartSiloAsync(Environment(_ports[index]));
        _silos[index] = silo;
        await silo.WaitForLogAsync(" is up", TimeSpan.FromSeconds(60));
    }

    /// <summary>The index of the silo listening on <paramref name="siloPort"/> (from a silo address such as S127.0.0.1:PORT:GEN), or -1.</summary>
    public int IndexOfSiloPort(int siloPort) => Array.FindIndex(_ports, p => p.Silo == siloPort);

    public NodeProcess Silo(int index) => _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");

    public async Task KillSiloAsync(int index)
    {
        await Silo(index).KillAsync();
        await Silo(index).DisposeAsync();
        _silos[index] = null;
    }

    /// <summary>SIGTERM and wait for the process to leave the cluster and exit.</summary>
    public async Task StopSiloAsync(int index)
    {
        await Silo(index).TerminateAsync(TimeSpan.FromSeconds(60));
        await Silo(index).DisposeAsync();
        _silos[index] = null;
    }

    private Dictionary<string, string?> Environment((int Silo, int Gateway) ports)
    {
        var env = _db.NodeEnvironment();
        env["Cluster__SiloPort"] = ports.Silo.ToString();
        env["Cluster__GatewayPort"] = ports.Gateway.ToString();
        return env;
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        foreach (var silo in _silos)
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }
    }
}
