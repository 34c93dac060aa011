using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SessionInsights.Domain.Events;

/// <summary>Reads JSON strings as UTF-8 without allocating a .NET string for the common unescaped case.</summary>
internal static class JsonUtf8
{
    /// <summary>
    /// The unescaped UTF-8 bytes of a JSON string element. Only strings with escapes (rare in
    /// PostHog data) cost an allocation.
    /// </summary>
    public static ReadOnlySpan<byte> StringValue(JsonElement stringElement)
    {
        var raw = JsonMarshal.GetRawUtf8Value(stringElement);
        raw = raw[1..^1];
        return raw.IndexOf((byte)'\\') < 0 ? raw : Encoding.UTF8.GetBytes(stringElement.GetString()!);
    }
}
