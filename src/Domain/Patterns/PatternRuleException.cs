namespace SessionInsights.Domain.Patterns;

/// <summary>
/// A rule file that cannot be used. The message names the rule (its index in <c>rules</c> and, when
/// known, its code) and the field, so an operator can fix the file without reading code.
/// </summary>
public sealed class PatternRuleException : FormatException
{
    public PatternRuleException(string message, int? ruleIndex = null, string? ruleCode = null, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        RuleIndex = ruleIndex;
        RuleCode = ruleCode;
        Field = field;
    }

    public int? RuleIndex { get; }
    public string? RuleCode { get; }
    public string? Field { get; }
}
