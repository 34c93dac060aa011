using System.Text;
using SessionInsights.Domain.Context;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// Puts the server's time of the answer first in a JSON object the grains rendered, so that a
/// reader (a chatbot building "4 minutes ago") needs no clock of its own. Spliced into the bytes:
/// the document itself stays the grain's (identical whether a grain or storage rendered it).
/// </summary>
public static class GeneratedAt
{
    public const string Field = "generated_at";

    public static byte[] Stamp(byte[] json, DateTimeOffset now)
    {
        if (json.Length < 2 || json[0] != (byte)'{')
        {
            return json;
        }
        var time = UtcTimeJsonConverter.Text(now);
        var head = Encoding.UTF8.GetBytes($"{{\"{Field}\":\"{time}\"{(json[1] == (byte)'}' ? "" : ",")}");
        var stamped = new byte[head.Length + json.Length - 1];
        head.CopyTo(stamped, 0);
        json.AsSpan(1).CopyTo(stamped.AsSpan(head.Length));
        return stamped;
    }
}
