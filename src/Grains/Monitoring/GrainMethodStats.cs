namespace SessionInsights.Grains.Monitoring;

/// <summary>The method tables of the two grain types.</summary>
public sealed class GrainMethodStats
{
    public MethodTable Users { get; } = new("UserGrain");

    public MethodTable Sessions { get; } = new("SessionGrain");

    public IEnumerable<MethodStat> Snapshot() => Users.Snapshot().Concat(Sessions.Snapshot());
}
