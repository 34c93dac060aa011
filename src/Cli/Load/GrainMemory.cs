namespace SessionInsights.Cli.Load;

/// <summary>
/// Server memory put per active user grain (each with its session grain and recent events):
/// resident memory over active users, and the growth of resident memory during the run over the
/// growth in active users, which leaves out the runtime's fixed cost when many users are new.
/// </summary>
internal sealed record GrainMemory(ServerGrains Before, ServerGrains After, long ResidentBefore, long ResidentAfter)
{
    public double? BytesPerActiveUser => After.ActiveUsers > 0 ? (double)ResidentAfter / After.ActiveUsers : null;

    /// <summary>Only meaningful when the run activated a good number of users (at least 1,000 here).</summary>
    public double? GrowthPerNewUser => After.ActiveUsers - Before.ActiveUsers >= 1000
        ? (double)(ResidentAfter - ResidentBefore) / (After.ActiveUsers - Before.ActiveUsers)
        : null;
}
