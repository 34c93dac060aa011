using System.Text.Json;
using SessionInsights.Grains.Abstractions.Events;

namespace SessionInsights.Grains.Events;

/// <summary>Validates and parses one PostHog event object (SPEC §1).</summary>
public static class PostHogEventParser
{
    /// <summary>
    /// Parses a bare event object. On failure returns false with the offending field (JSON path such
    /// as <c>event</c>, <c>timestamp</c>, <c>properties</c>) and a sentence saying what is wrong.
    /// When <c>uuid</c> is absent a new one is assigned.
    /// </summary>
    public static bool TryParse(JsonElement json, out PostHogEvent? evt, out EventValidationError? error) =>
        throw new NotImplementedException();
}

public sealed record EventValidationError(string Field, string Problem);
