using System.Globalization;
using System.Text;

namespace SessionInsights.Domain.Patterns;

/// <summary>
/// A process-independent hash (FNV-1a) of the parts of a rule its per-session state depends on.
/// Snapshots store it so that a restored state is used only by the same rule definition.
/// </summary>
internal static class RuleFingerprint
{
    public static ulong Of(PatternRule rule)
    {
        // Description, severity and session filter are read at evaluation time, so editing them keeps state.
        var canonical = new StringBuilder()
            .Append(rule.Code).Append('\u001f')
            .Append(Describe(rule.Filter)).Append('\u001f')
            // min_count only shapes the time-window state; plain counts stay valid when it changes.
            .Append(rule.TimeWindow is { } w ? $"{rule.MinCount}/{w.Ticks}" : "-").Append('\u001f')
            .Append(Describe(rule.NegativeFilter)).Append('\u001f')
            .Append(rule.NegativeTimeWindow?.Ticks.ToString(CultureInfo.InvariantCulture))
            .ToString();
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(canonical))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    // The fields added after the seeds' five come last and only when set, so the seeds' rules keep
    // their fingerprints (and stored sessions their state) across this change.
    private static string Describe(EventFilter? f) => f is null
        ? "-"
        : $"{f.EventType?.ToUpperInvariant()}|{f.ActionType?.ToUpperInvariant()}|{f.PagePathPrefix}|{f.PagePathEquals}|{f.SemanticContains?.ToUpperInvariant()}"
            + (f.EventName is { } names ? $"|name:{string.Join('\u001e', names.Names)}" : "")
            + (f.SemanticWords is { } words ? $"|words:{words.ToUpperInvariant()}" : "")
            + (f.Property is { } p ? $"|property:{p.Name}\u001e{p.Kind}\u001e{p.Value}" : "");
}
