using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SessionInsights.Cli.Load;

/// <summary>What a simulated user's device looks like; posthog-js sends it with every event.</summary>
internal sealed record ShopperDevice(string Browser, string Os, string DeviceType, int ScreenWidth);

/// <summary>Writes the <c>POST /ingest</c> body <c>{"event": {...}}</c> with the properties posthog-js sends.</summary>
internal static class EventBodyWriter
{
    // PostHog's own payloads do not \u-escape quotes and '+'; chains are full of both.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The <c>{"event":</c> prefix <see cref="Write"/> always starts with (the writer adds no whitespace).</summary>
    private static readonly byte[] Envelope = "{\"event\":"u8.ToArray();

    /// <summary>The event object inside a body from <see cref="Write"/>: everything between the envelope and its closing brace.</summary>
    public static ReadOnlyMemory<byte> EventObject(byte[] body)
    {
        if (!body.AsSpan().StartsWith(Envelope) || body[^1] != (byte)'}')
        {
            throw new ArgumentException("not a body from EventBodyWriter.Write", nameof(body));
        }
        return body.AsMemory(Envelope.Length, body.Length - Envelope.Length - 1);
    }

    public static byte[] Write(EventSpec spec, string userId, string sessionId, Guid uuid, DateTimeOffset timestamp, ShopperDevice device)
    {
        var buffer = new ArrayBufferWriter<byte>(spec.ElementsChain is null ? 768 : 2048);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartObject("event"u8);
            w.WriteString("event"u8, spec.Name);
            w.WriteString("distinct_id"u8, userId);
            w.WriteString("timestamp"u8, timestamp.UtcDateTime);
            w.WriteString("uuid"u8, uuid);
            w.WriteString("elements_chain"u8, spec.ElementsChain ?? "");
            w.WriteStartObject("properties"u8);
            w.WriteString("$session_id"u8, sessionId);
            w.WriteString("$pathname"u8, spec.Path);
            w.WriteString("$current_url"u8, ShopCatalog.Origin + spec.Path);
            w.WriteString("$host"u8, "shop.example.com");
            w.WriteString("$browser"u8, device.Browser);
            w.WriteString("$os"u8, device.Os);
            w.WriteString("$device_type"u8, device.DeviceType);
            w.WriteNumber("$screen_width"u8, device.ScreenWidth);
            w.WriteString("$lib"u8, "web");
            w.WriteString("$lib_version"u8, "1.200.2");
            if (spec.DomEventType is not null)
            {
                w.WriteString("$event_type"u8, spec.DomEventType);
            }
            if (spec.ElementText is not null)
            {
                w.WriteString("$el_text"u8, spec.ElementText);
            }
            foreach (var (key, value) in spec.Properties ?? [])
            {
                WriteValue(w, key, value);
            }
            w.WriteString("token"u8, "phc_loadtest");
            w.WriteString("distinct_id"u8, userId);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter w, string key, object value)
    {
        switch (value)
        {
            case string s:
                w.WriteString(key, s);
                break;
            case decimal d:
                w.WriteNumber(key, d);
                break;
            case int i:
                w.WriteNumber(key, i);
                break;
            case bool b:
                w.WriteBoolean(key, b);
                break;
            default:
                throw new ArgumentException($"property {key}: unsupported value type {value.GetType().Name}", nameof(value));
        }
    }
}
