using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// Builds the per-event <c>context</c> object (SPEC §4): the event's own properties without
/// PostHog's <c>$</c>-keys, <c>token</c> and <c>distinct_id</c>; the capture attributes with
/// <c>-</c> → <c>_</c>; <c>hierarchy</c>; <c>posthog_event</c>.
/// </summary>
/// <remarks>
/// Keys added by the enrichment win over a property of the same name, so the object never has a
/// duplicate key. The writer and its buffer are per thread and reused: an event costs only its
/// final byte array.
/// </remarks>
internal static class EventContextWriter
{
    // Keeps non-ASCII text and quotes readable; the bytes are JSON for an API and an LLM, never HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // A buffer grown by one huge event is dropped rather than held by the thread forever.
    private const int MaxRetainedBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static EventContext Write(PostHogEvent e, ParsedElementsChain chain)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);

        writer.WriteStartObject();
        WriteOwnProperties(writer, e.Properties, chain.Attributes);
        WriteCaptureAttributes(writer, chain.Attributes);
        writer.WriteStartArray("hierarchy"u8);
        foreach (var type in chain.Hierarchy)
        {
            writer.WriteStringValue(type);
        }
        writer.WriteEndArray();
        writer.WriteString("posthog_event"u8, e.Event);
        writer.WriteEndObject();
        writer.Flush();

        var context = new EventContext(buffer.WrittenSpan.ToArray());
        if (buffer.Capacity > MaxRetainedBufferBytes)
        {
            t_buffer = null;
            t_writer = null;
        }
        return context;
    }

    private static void WriteOwnProperties(Utf8JsonWriter writer, JsonElement properties, IReadOnlyList<CaptureAttribute> attributes)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in properties.EnumerateObject())
        {
            var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
            // An escaped name ("\u0024…") is rare enough to check through its decoded string.
            if (rawName.IndexOf((byte)'\\') >= 0 ? IsExcluded(property.Name) : IsExcluded(rawName))
            {
                continue;
            }
            if (property.NameEquals("hierarchy"u8) || property.NameEquals("posthog_event"u8) || IsCaptureAttributeKey(property, attributes))
            {
                continue;
            }
            property.WriteTo(writer);
        }
    }

    private static bool IsExcluded(ReadOnlySpan<byte> name) =>
        !name.IsEmpty && (name[0] == (byte)'$' || name.SequenceEqual("token"u8) || name.SequenceEqual("distinct_id"u8));

    private static bool IsExcluded(string name) =>
        name.StartsWith('$') || name is "token" or "distinct_id";

    private static bool IsCaptureAttributeKey(JsonProperty property, IReadOnlyList<CaptureAttribute> attributes)
    {
        Span<char> key = stackalloc char[128];
        for (var i = 0; i < attributes.Count; i++)
        {
            var name = attributes[i].Name;
            if (name.Length > key.Length)
            {
                if (property.NameEquals(ContextKey(name)))
                {
                    return true;
                }
                continue;
            }
            var k = key[..name.Length];
            name.AsSpan().Replace(k, '-', '_');
            if (property.NameEquals(k))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes each attribute once under its context key; a later attribute with the same key is dropped.</summary>
    private static void WriteCaptureAttributes(Utf8JsonWriter writer, IReadOnlyList<CaptureAttribute> attributes)
    {
        Span<char> key = stackalloc char[128];
        for (var i = 0; i < attributes.Count; i++)
        {
            if (!IsFirstWithKey(attributes, i))
            {
                continue;
            }
            var name = attributes[i].Name;
            if (name.Length <= key.Length)
            {
                var k = key[..name.Length];
                name.AsSpan().Replace(k, '-', '_');
                writer.WriteString(k, attributes[i].Value);
            }
            else
            {
                writer.WriteString(ContextKey(name), attributes[i].Value);
            }
        }
    }

    private static bool IsFirstWithKey(IReadOnlyList<CaptureAttribute> attributes, int index)
    {
        var name = attributes[index].Name.AsSpan();
        for (var j = 0; j < index; j++)
        {
            var other = attributes[j].Name.AsSpan();
            if (other.Length != name.Length)
            {
                continue;
            }
            var same = true;
            for (var c = 0; c < name.Length && same; c++)
            {
                same = Normalize(name[c]) == Normalize(other[c]);
            }
            if (same)
            {
                return false;
            }
        }
        return true;
    }

    private static char Normalize(char c) => c == '-' ? '_' : c;

    internal static string ContextKey(string attributeName) => attributeName.Replace('-', '_');
}
