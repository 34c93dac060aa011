namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// When each pattern rule newly matched a session on this node: a bounded ring of the latest
/// firings (project, rule, user, time) that the insights page turns into "fired N times in the last hour, for whom".
/// </summary>
public sealed class PatternFirings(int capacity = 20_000)
{
    private readonly RingBuffer<PatternFiring> _ring = new(capacity);

    public void Fired(long projectId, string rule, string userId, DateTimeOffset at) => Add(new PatternFiring(projectId, rule, userId, at));

    public void Add(PatternFiring firing) => _ring.Add(firing);

    /// <inheritdoc cref="RingBuffer{T}.ReadFrom"/>
    public (PatternFiring[] Firings, long First) ReadFrom(long from, int max) => _ring.ReadFrom(from, max);

    public PatternFiring[] Since(DateTimeOffset from) => [.. _ring.ToArray().Where(f => f.At >= from)];

    /// <summary>Per rule: firings since <paramref name="from"/> and the latest distinct users (newest first).</summary>
    public static IReadOnlyList<PatternCount> Summarize(IEnumerable<PatternFiring> firings, int usersPerRule) =>
        [.. firings
            .GroupBy(f => f.Rule, StringComparer.Ordinal)
            .Select(g => new PatternCount(
                g.Key,
                g.Count(),
                [.. g.OrderByDescending(f => f.At).Select(f => f.UserId).Distinct(StringComparer.Ordinal).Take(usersPerRule)],
                g.Max(f => f.At)))
            .OrderByDescending(p => p.Count)
            .ThenBy(p => p.Rule, StringComparer.Ordinal)];
}
