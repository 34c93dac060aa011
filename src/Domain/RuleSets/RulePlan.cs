namespace SessionInsights.Domain.RuleSets;

/// <summary>
/// Decides what a change does to the current rule, the same for every storage backend: both only
/// read the current row, ask here, and write what comes back inside their transaction.
/// </summary>
public static class RulePlan
{
    /// <summary>The rule's next state (null: removed), or the status that stops the write.</summary>
    public static (RuleWriteStatus Status, string? Definition, bool Enabled) Decide(StoredRule? current, RuleChange change)
    {
        if (change.Kind == RuleChangeKind.Create)
        {
            return current is null
                ? (RuleWriteStatus.Written, Require(change), true)
                : (RuleWriteStatus.Exists, null, false);
        }
        if (current is null)
        {
            return (RuleWriteStatus.NotFound, null, false);
        }
        return change.Kind switch
        {
            RuleChangeKind.Update => Unless(current.Definition == Require(change), change.Definition, current.Enabled),
            RuleChangeKind.Enable => Unless(current.Enabled, current.Definition, true),
            RuleChangeKind.Disable => Unless(!current.Enabled, current.Definition, false),
            RuleChangeKind.Delete => (RuleWriteStatus.Written, null, false),
            _ => throw new ArgumentException($"a {change.Kind} is not a change a caller can ask for", nameof(change)),
        };
    }

    private static (RuleWriteStatus, string?, bool) Unless(bool alreadySo, string? definition, bool enabled) =>
        alreadySo ? (RuleWriteStatus.Unchanged, null, false) : (RuleWriteStatus.Written, definition, enabled);

    private static string Require(RuleChange change) =>
        change.Definition ?? throw new ArgumentException($"a {change.Kind} needs a definition", nameof(change));

    /// <summary>The rule a change names among the project's current rules, and the position a new rule takes (after the last).</summary>
    public static (StoredRule? Current, int NextPosition) Find(IReadOnlyList<StoredRule> rules, string code)
    {
        StoredRule? current = null;
        var next = 0;
        foreach (var rule in rules)
        {
            next = Math.Max(next, rule.Position + 1);
            if (rule.Code == code)
            {
                current = rule;
            }
        }
        return (current, next);
    }

    /// <summary>The text stored for each kind (the history's <c>change</c> column).</summary>
    public static string ToText(RuleChangeKind kind) => kind.ToString().ToLowerInvariant();

    public static RuleChangeKind FromText(string text) =>
        Enum.TryParse<RuleChangeKind>(text, ignoreCase: true, out var kind) ? kind : throw new FormatException($"unknown rule change '{text}'");
}
