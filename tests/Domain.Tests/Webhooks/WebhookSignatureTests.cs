using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Domain.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test_0123456789";
    private const string Body = """{"kind":"pattern.fired"}""";

    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_timestamp_dot_body()
    {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test_0123456789',
        // b'1767225600.{\"kind\":\"pattern.fired\"}', hashlib.sha256).hexdigest())"
        Assert.Equal("sha256=64fffd130407dd575a0619bc8006fa4cbe1ea432fbff746b4c40ef8b68b1797d", WebhookSignature.Compute(Secret, 1767225600, Body));
    }

    [Fact]
    public void Verify_accepts_the_signature_and_refuses_another_body_timestamp_secret_or_none()
    {
        var signature = WebhookSignature.Compute(Secret, 1767225600, Body);
        Assert.True(WebhookSignature.Verify(Secret, 1767225600, Body, signature));
        Assert.False(WebhookSignature.Verify(Secret, 1767225600, Body + " ", signature));
        Assert.False(WebhookSignature.Verify(Secret, 1767225601, Body, signature));
        Assert.False(WebhookSignature.Verify("another_secret_value", 1767225600, Body, signature));
        Assert.False(WebhookSignature.Verify(Secret, 1767225600, Body, null));
        Assert.False(WebhookSignature.Verify(Secret, 1767225600, Body, signature.ToUpperInvariant()));
    }
}
