using SessionInsights.Domain.Patterns;

namespace SessionInsights.Domain.Tests.Support;

/// <summary>Rule sets written inline, one rule body at a time.</summary>
internal static class Rules
{
    /// <summary>A rule set with one rule whose other fields are <paramref name="body"/> (JSON members).</summary>
    public static PatternRuleSet One(string body, string code = "r") =>
        PatternRuleSet.FromJson($$"""{"rules":[{"code":"{{code}}","description":"d","severity":"LOW",{{body}}}]}""");

    public static PatternRuleSet Many(params string[] rules) =>
        PatternRuleSet.FromJson($$"""{"rules":[{{string.Join(",", rules)}}]}""");

    public static string Rule(string code, string body, string severity = "LOW") =>
        $$"""{"code":"{{code}}","description":"about {{code}}","severity":"{{severity}}",{{body}}}""";
}
