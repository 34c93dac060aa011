using Microsoft.Extensions.Configuration;

namespace SessionInsights.Grains.Hosting;

/// <summary>Where this node lives and whom it joins (configuration section <c>Cluster</c>).</summary>
public sealed record ClusterOptions
{
    public string SystemName { get; init; } = "session-insights";
    public string Hostname { get; init; } = "127.0.0.1";
    public string? PublicHostname { get; init; }

    /// <summary>0 picks a free port (single node, tests).</summary>
    public int Port { get; init; }

    /// <summary>Seed node addresses (<c>akka.tcp://session-insights@host:port</c>); none: the node forms its own cluster.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    public bool HostsSilo { get; init; } = true;
    public bool HostsGateway { get; init; }

    /// <summary>How long the split-brain resolver waits for a stable view before downing unreachable nodes.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a silent node is tolerated before it is marked unreachable.</summary>
    public TimeSpan HeartbeatPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long after a downed node is removed its shards and the sharding coordinator restart elsewhere.</summary>
    public TimeSpan DownRemovalMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A gateway that sees no silo for this long rejoins through the seeds (the silos may have formed a new cluster).</summary>
    public TimeSpan OrphanedAfter { get; init; } = TimeSpan.FromSeconds(20);

    public string LogLevel { get; init; } = "INFO";

    public IEnumerable<string> Roles
    {
        get
        {
            if (HostsSilo)
            {
                yield return Abstractions.EntityIds.SiloRole;
            }
            if (HostsGateway)
            {
                yield return Abstractions.EntityIds.GatewayRole;
            }
        }
    }

    public static ClusterOptions FromConfiguration(IConfiguration config, bool hostsSilo, bool hostsGateway)
    {
        var c = config.GetSection("Cluster");
        var seeds = c["Seeds"] is { Length: > 0 } csv
            ? csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : c.GetSection("Seeds").GetChildren().Select(s => s.Value!).Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
        return new ClusterOptions
        {
            SystemName = c["SystemName"] ?? "session-insights",
            Hostname = c["Hostname"] ?? "127.0.0.1",
            PublicHostname = c["PublicHostname"],
            Port = int.TryParse(c["Port"], out var port) ? port : 0,
            Seeds = seeds,
            HostsSilo = bool.TryParse(c["HostsSilo"], out var silo) ? silo : hostsSilo,
            HostsGateway = hostsGateway,
            StableAfter = TimeSpan.TryParse(c["StableAfter"], out var sa) ? sa : TimeSpan.FromSeconds(5),
            HeartbeatPause = TimeSpan.TryParse(c["HeartbeatPause"], out var hp) ? hp : TimeSpan.FromSeconds(3),
            DownRemovalMargin = TimeSpan.TryParse(c["DownRemovalMargin"], out var drm) ? drm : TimeSpan.FromSeconds(1),
            OrphanedAfter = TimeSpan.TryParse(c["OrphanedAfter"], out var oa) ? oa : TimeSpan.FromSeconds(20),
            LogLevel = c["LogLevel"] ?? "INFO",
        };
    }
}
