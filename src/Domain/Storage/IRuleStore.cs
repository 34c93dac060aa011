using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.RuleSets;

namespace SessionInsights.Domain.Storage;

/// <summary>
/// Each project's pattern rules, versioned (tables <c>rule_set</c>, <c>pattern_rule</c>,
/// <c>pattern_rule_version</c>). A project's first read or write copies <c>seed</c> into its empty
/// store as version 1, once, however many processes ask at the same moment.
/// </summary>
public interface IRuleStore
{
    /// <summary>The project's current rules, disabled ones included, with the set's version.</summary>
    Task<RuleSetState> LoadAsync(long projectId, PatternRuleSet seed, CancellationToken ct = default);

    /// <summary>Every seeded project's current version: what a process polls to notice a change.</summary>
    Task<IReadOnlyDictionary<long, long>> LoadVersionsAsync(CancellationToken ct = default);

    /// <summary>Every version of one rule, oldest first; empty when the code never existed.</summary>
    Task<IReadOnlyList<RuleVersion>> LoadHistoryAsync(long projectId, string code, CancellationToken ct = default);

    /// <summary>Applies one change as a new version of the project's set, atomically (<see cref="RulePlan"/>).</summary>
    Task<RuleWriteResult> WriteAsync(long projectId, RuleChange change, PatternRuleSet seed, CancellationToken ct = default);
}
