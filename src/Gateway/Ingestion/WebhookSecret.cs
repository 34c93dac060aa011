using System.Security.Cryptography;
using System.Text;

namespace SessionInsights.Gateway.Ingestion;

/// <summary>
/// The shared secret <c>Ingest:SharedSecret</c> that <c>POST /ingest</c> callers send in
/// <c>X-Webhook-Secret</c>; when none is configured the webhook is open (development).
/// </summary>
public sealed class WebhookSecret(IConfiguration config)
{
    public const string Header = "X-Webhook-Secret";
    private readonly byte[]? _secret = config["Ingest:SharedSecret"] is { Length: > 0 } s ? Encoding.UTF8.GetBytes(s) : null;

    public bool Allows(HttpRequest request)
    {
        if (_secret is null)
        {
            return true;
        }
        var sent = Encoding.UTF8.GetBytes(request.Headers[Header].ToString());
        // Constant time, so the secret cannot be guessed byte by byte from response times.
        return CryptographicOperations.FixedTimeEquals(sent, _secret);
    }
}
