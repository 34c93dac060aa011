namespace SessionInsights.Domain.Patterns;

/// <summary>How urgently a chatbot should react to a pattern (SPEC §6).</summary>
public enum PatternSeverity
{
    Low,
    Medium,
    High,
}

public static class PatternSeverityNames
{
    /// <summary>The wire name used in rule files, rows and context responses.</summary>
    public static string ToWire(this PatternSeverity severity) => severity switch
    {
        PatternSeverity.Low => "LOW",
        PatternSeverity.Medium => "MEDIUM",
        PatternSeverity.High => "HIGH",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    /// <summary>Parses a wire name; case is ignored because operators hand-edit rule files.</summary>
    public static bool TryParse(string? value, out PatternSeverity severity)
    {
        switch (value?.ToUpperInvariant())
        {
            case "LOW": severity = PatternSeverity.Low; return true;
            case "MEDIUM": severity = PatternSeverity.Medium; return true;
            case "HIGH": severity = PatternSeverity.High; return true;
            default: severity = default; return false;
        }
    }
}
