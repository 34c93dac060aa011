using System.Globalization;
using System.Text.Json;

namespace SessionInsights.Domain.Context;

/// <summary>
/// Timestamps as ISO-8601 UTC with a <c>Z</c> and only the fractional digits that are not zero
/// (<c>2025-12-09T10:30:45Z</c>, <c>2025-12-09T10:30:45.123Z</c>): the SPEC §7 shape, readable in a prompt.
/// At most microseconds (cut, not rounded): what PostgreSQL keeps, so a time the grain renders from
/// memory reads the same as the one storage renders, and no endpoint shows .NET's seventh digit.
/// </summary>
internal static class JsonTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'";

    public static void Write(Utf8JsonWriter writer, string name, DateTimeOffset value)
    {
        writer.WritePropertyName(name);
        WriteValue(writer, value);
    }

    public static void Write(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            Write(writer, name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static string Text(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static void WriteValue(Utf8JsonWriter writer, DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[32];
        value.UtcDateTime.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
