using System.Security.Cryptography;
using System.Text;

namespace SessionInsights.Domain.Webhooks;

/// <summary>
/// The signature a receiver checks: <c>sha256=</c> and the lower-case hex HMAC-SHA256, keyed with the
/// endpoint's secret, of <c>{timestamp}.{body}</c> (timestamp: the <c>X-SessionInsights-Timestamp</c>
/// header, Unix seconds). Signing the timestamp with the body lets a receiver refuse an old request
/// replayed with its valid signature.
/// </summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    public static string Compute(string secret, long timestamp, string body)
    {
        var message = Encoding.UTF8.GetBytes($"{timestamp}.{body}");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>Whether <paramref name="signature"/> is the one for this timestamp and body, compared in constant time.</summary>
    public static bool Verify(string secret, long timestamp, string body, string? signature)
    {
        if (signature is null)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
