namespace SessionInsights.Domain.RuleSets;

/// <summary>What a version of a rule did to it.</summary>
public enum RuleChangeKind
{
    /// <summary>Copied from the configured rule pack or file into an empty store.</summary>
    Seed,
    Create,
    Update,
    Enable,
    Disable,
    Delete,
}

/// <summary>A rule as it stands: its definition (the rule file's JSON for one rule), whether grains use it, and the version that last changed it.</summary>
public sealed record StoredRule(string Code, string Definition, bool Enabled, long Version, int Position, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>A project's rules at one version of its rule set; <see cref="Rules"/> in rule-file order.</summary>
public sealed record RuleSetState(long ProjectId, long Version, IReadOnlyList<StoredRule> Rules);

/// <summary>One entry of a rule's history. <see cref="Definition"/> is null for a delete.</summary>
public sealed record RuleVersion(long Version, string Code, RuleChangeKind Kind, string? Definition, bool Enabled, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>A requested change; <see cref="Definition"/> for creates and updates only (validated before).</summary>
public sealed record RuleChange(string Code, RuleChangeKind Kind, string? Definition, string ChangedBy);

public enum RuleWriteStatus
{
    /// <summary>Written as a new version of the set.</summary>
    Written,

    /// <summary>The rule already was so (same definition, already enabled…): no new version.</summary>
    Unchanged,

    /// <summary>No rule has that code (update, enable, disable, delete).</summary>
    NotFound,

    /// <summary>A rule has that code already (create).</summary>
    Exists,
}

/// <summary>The outcome of a write and the rule set's version after it.</summary>
public sealed record RuleWriteResult(RuleWriteStatus Status, long Version);
