namespace SessionInsights.Grains.Options;

/// <summary>Where this node lives and how it finds the others (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Orleans' cluster id: silos and clients with the same id (and database) form one cluster.</summary>
    public string ClusterId { get; set; } = "session-insights";

    /// <summary>Orleans' service id: stays the same across deployments of this service.</summary>
    public string ServiceId { get; set; } = "session-insights";

    /// <summary>
    /// <c>postgres</c>: membership in the PostgreSQL database (every multi-process deployment);
    /// <c>localhost</c>: a single silo in this process. Default: postgres when
    /// <c>ConnectionStrings:Postgres</c> is set, else localhost.
    /// </summary>
    public string? Membership { get; set; }

    /// <summary>The address other silos and clients reach this silo at.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port; 0 picks a free one (a single node, tests).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (gateways that host no silo) connect to; 0 picks a free one.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>How long a silo waits for a probe answer before counting it missed (Orleans default 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo suspects another (Orleans default 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>Suspicions needed to declare a silo dead (Orleans default 2).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 1;

    /// <summary>
    /// How long a gateway (Orleans client) waits for a grain's answer; calls in flight through a
    /// silo that died wait this long (Orleans default 30 s).
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool UsesPostgres(string? postgresConnectionString) =>
        (Membership ?? (string.IsNullOrWhiteSpace(postgresConnectionString) ? "localhost" : "postgres")).Equals("postgres", StringComparison.OrdinalIgnoreCase);

    internal IEnumerable<string> Validate(string? postgresConnectionString)
    {
        if (Membership is not null && !Membership.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !Membership.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            yield return "Cluster:Membership must be 'postgres' or 'localhost'";
        }
        if (UsesPostgres(postgresConnectionString) && string.IsNullOrWhiteSpace(postgresConnectionString))
        {
            yield return "Cluster:Membership 'postgres' needs ConnectionStrings:Postgres";
        }
        if (SiloPort is < 0 or > 65535 || GatewayPort is < 0 or > 65535)
        {
            yield return "Cluster:SiloPort and Cluster:GatewayPort must be from 0 to 65535";
        }
        if (ProbeTimeout <= TimeSpan.Zero || ResponseTimeout <= TimeSpan.Zero)
        {
            yield return "Cluster:ProbeTimeout and Cluster:ResponseTimeout must be positive";
        }
        if (NumMissedProbesLimit < 1 || NumVotesForDeathDeclaration < 1)
        {
            yield return "Cluster:NumMissedProbesLimit and Cluster:NumVotesForDeathDeclaration must be at least 1";
        }
    }
}
