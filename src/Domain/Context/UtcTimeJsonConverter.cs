using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionInsights.Domain.Context;

/// <summary>
/// Writes every <see cref="DateTimeOffset"/> the way the context does (RFC 3339 UTC with <c>Z</c>),
/// so that no endpoint answers <c>+00:00</c> where another answers <c>Z</c>. Reads any offset.
/// </summary>
public sealed class UtcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The same text outside a JSON writer (e.g. spliced into a rendered document).</summary>
    public static string Text(DateTimeOffset value) => JsonTime.Text(value);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        JsonTime.WriteValue(writer, value);
}
