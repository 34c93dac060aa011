using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Patterns;

/// <summary>The kinds of value a <see cref="PropertyCondition"/> compares.</summary>
public enum PropertyValueKind
{
    String,
    Number,
    Boolean,
}

/// <summary>
/// <c>"property": {"name": "plan", "equals": "pro"}</c>: a top-level key of the enriched event's context
/// (the event's own properties without PostHog's <c>$</c>-keys, plus the capture attributes) holds this
/// value. Strings compare ordinally, numbers by value (49 equals 49.0), booleans as such; a value of
/// another JSON kind never matches. The context is what storage keeps, so a replay evaluates the same.
/// </summary>
public sealed record PropertyCondition
{
    public required string Name { get; init; }

    public required PropertyValueKind Kind { get; init; }

    /// <summary>The string itself, the number in invariant "R" form, or "true"/"false".</summary>
    public required string Value { get; init; }

    private double NumberValue => double.Parse(Value, CultureInfo.InvariantCulture);

    public bool Holds(EventContext context)
    {
        var reader = new Utf8JsonReader(context.Utf8Json.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var name = Encoding.UTF8.GetBytes(Name);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIt = reader.ValueTextEquals(name);
            reader.Read();
            if (!isIt)
            {
                reader.Skip();
                continue;
            }
            // The first occurrence decides; the enricher never writes a key twice.
            return reader.TokenType switch
            {
                JsonTokenType.String => Kind == PropertyValueKind.String && reader.ValueTextEquals(Value),
                JsonTokenType.Number => Kind == PropertyValueKind.Number && reader.TryGetDouble(out var d) && d == NumberValue,
                JsonTokenType.True => Kind == PropertyValueKind.Boolean && Value == "true",
                JsonTokenType.False => Kind == PropertyValueKind.Boolean && Value == "false",
                _ => false,
            };
        }
        return false;
    }
}
