using System.Security.Cryptography;
using System.Text;

namespace SessionInsights.Domain.Projects;

/// <summary>
/// How capture tokens and secret keys look, and how a secret key is stored: only its SHA-256. A key
/// is 256 random bits, so a slow password hash would add nothing but latency to every read.
/// </summary>
public static class ProjectKeys
{
    /// <summary>PostHog's prefix for public project tokens, so SDKs and people recognise them.</summary>
    public const string CapturePrefix = "phc_";

    /// <summary>Secret keys read event data: a prefix unlike PostHog's so they are never confused.</summary>
    public const string SecretPrefix = "sis_";

    public static string NewCaptureToken() => CapturePrefix + RandomPart();

    public static string NewSecretKey() => SecretPrefix + RandomPart();

    public static byte[] Hash(string secretKey) => SHA256.HashData(Encoding.UTF8.GetBytes(secretKey));

    /// <summary>What lists show of a key: enough to tell keys apart, never enough to use one.</summary>
    public static string Hint(string key) => key.Length <= 12 ? "…" : $"{key[..4]}…{key[^4..]}";

    private static string RandomPart() =>
        System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
