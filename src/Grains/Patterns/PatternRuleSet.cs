namespace SessionInsights.Grains.Patterns;

/// <summary>An ordered, validated set of pattern rules (SPEC §6).</summary>
public sealed class PatternRuleSet
{
    public static PatternRuleSet Default => throw new NotImplementedException();

    /// <summary>Loads rules from the JSON format of the default rule file; throws with the rule and field named.</summary>
    public static PatternRuleSet FromJson(string json) => throw new NotImplementedException();
}
