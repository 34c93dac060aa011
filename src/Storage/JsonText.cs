using System.Text;
using System.Text.Json;

namespace SessionInsights.Storage;

/// <summary>Conversions between stored JSON text and the domain's JSON types.</summary>
internal static class JsonText
{
    /// <summary>
    /// Parses into an element that owns its memory: readers are disposed long before grains are
    /// done with an event's properties.
    /// </summary>
    public static JsonElement ParseDetached(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The properties exactly as the gateway parsed them. An element that is not an object never
    /// passed validation, so it fails the whole batch rather than being stored.
    /// </summary>
    public static string Properties(JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object
            ? properties.GetRawText()
            : throw new ArgumentException($"Event properties must be a JSON object, not {properties.ValueKind}.", nameof(properties));

    /// <summary>A session's patterns; grains that have none yet may leave the field empty.</summary>
    public static string Patterns(string? patternsJson) =>
        string.IsNullOrWhiteSpace(patternsJson) ? "[]" : patternsJson;

    public static string Utf8(ReadOnlyMemory<byte> utf8Json) => Encoding.UTF8.GetString(utf8Json.Span);
}
