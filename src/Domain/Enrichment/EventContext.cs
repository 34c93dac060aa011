using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// The per-event <c>context</c> object of SPEC §4, kept as the UTF-8 JSON it will be written as:
/// it is built once at enrichment and then only copied to storage and to context responses.
/// </summary>
[JsonConverter(typeof(EventContextJsonConverter))]
public sealed class EventContext(byte[] utf8Json)
{
    public static readonly EventContext Empty = new("{}"u8.ToArray());

    public ReadOnlyMemory<byte> Utf8Json { get; } = utf8Json;

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8Json.Span);

    public JsonElement ToJsonElement()
    {
        using var doc = JsonDocument.Parse(Utf8Json);
        return doc.RootElement.Clone();
    }
}

internal sealed class EventContextJsonConverter : JsonConverter<EventContext>
{
    public override EventContext Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("context must be a JSON object");
        }
        return new EventContext(JsonSerializer.SerializeToUtf8Bytes(doc.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, EventContext value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8Json.Span, skipInputValidation: true);
}
