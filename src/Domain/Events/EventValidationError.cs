namespace SessionInsights.Domain.Events;

/// <summary>Why an event was rejected: the field (a JSON path into the event) and what is wrong with it.</summary>
public sealed record EventValidationError(string Field, string Problem)
{
    /// <summary>The field named when the event itself is not a JSON object.</summary>
    public const string RootField = "$";

    internal const string IsRequired = "is required";
    internal const string MustBeNonEmptyString = "must be a non-empty string";

    public override string ToString() => $"{Field}: {Problem}";
}
