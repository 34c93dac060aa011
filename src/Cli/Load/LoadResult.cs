namespace SessionInsights.Cli.Load;

/// <summary>Everything one load run measured; the text table and the JSON file both print this.</summary>
internal sealed record LoadResult
{
    public required MachineInfo Machine { get; init; }
    public required LoadOptions Options { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>From the first send to the last writer's last answer.</summary>
    public required TimeSpan WriteElapsed { get; init; }

    public required long EventsSent { get; init; }
    public required long EventsAccepted { get; init; }
    public required long Duplicates { get; init; }
    public required LatencySummary Ack { get; init; }

    /// <summary>With --rate: lateness of each send against the schedule; empty otherwise.</summary>
    public required LatencySummary SendLag { get; init; }
    public required IReadOnlyDictionary<string, long> IngestErrors { get; init; }

    public required LatencySummary ContextReads { get; init; }
    public required IReadOnlyDictionary<string, long> ReadErrors { get; init; }

    public required LatencySummary Freshness { get; init; }
    public required long FreshnessTimedOut { get; init; }
    public required long FreshnessOnFirstRead { get; init; }
    public required LatencySummary ProbeReads { get; init; }
    public required IReadOnlyDictionary<string, long> ProbeErrors { get; init; }

    public ServerMemory? ServerMemory { get; init; }

    /// <summary>Active grains and resident memory before and after the measured run (with --server-pid and grain counts on /health).</summary>
    public GrainMemory? GrainMemory { get; init; }

    /// <summary>CPU time of the load generator itself during the write phase.</summary>
    public required TimeSpan LoadGeneratorCpu { get; init; }

    /// <summary>CPU time of the server during the write phase (with --server-pid).</summary>
    public TimeSpan? ServerCpu { get; init; }

    /// <summary>CPU time of every process on the machine during the write phase (database and other work included).</summary>
    public TimeSpan? AllProcessesCpu { get; init; }

    /// <summary>The busiest processes besides the load generator and the server, by command name.</summary>
    public IReadOnlyList<(string Name, TimeSpan Cpu)> OtherProcessesCpu { get; init; } = [];

    /// <summary>events/s accepted as a share of the COPY limit given with --copy-limit.</summary>
    public double? ShareOfCopyLimit => Options.CopyLimit is > 0 ? AcceptedPerSecond / Options.CopyLimit : null;

    public double AcceptedPerSecond => WriteElapsed > TimeSpan.Zero ? EventsAccepted / WriteElapsed.TotalSeconds : 0;
}
