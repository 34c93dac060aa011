namespace SessionInsights.Grains.Monitoring;

/// <summary>What the hub holds for one node; <see cref="LogsNext"/> and <see cref="FiringsNext"/> number what it wants next from it.</summary>
public sealed class NodeEntry(NodeStats stats, DateTimeOffset receivedAt)
{
    public NodeStats Stats { get; set; } = stats;
    public DateTimeOffset ReceivedAt { get; set; } = receivedAt;
    public NodeRates Rates { get; set; } = NodeRates.Zero;
    public bool IsNew { get; set; }
    public long LogsNext { get; set; }
    public long FiringsNext { get; set; }
}
