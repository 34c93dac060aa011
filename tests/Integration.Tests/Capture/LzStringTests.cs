using SessionInsights.Gateway.Capture;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>Vectors produced by lz-string 1.5.0's compressToBase64 (the library posthog-js used).</summary>
public sealed class LzStringTests
{
    [Theory]
    [InlineData("BYUwNmD2Q===", "hello")]
    [InlineData("N4IgpgbmB2AuIC4QBIAOBDA5pAlmA7iADQioBOA9qmGbHgM6KgAmO9d0AxrAPo7OIQAVwCMxELAoBrGINQALTiAC+yoA", "{\"event\":\"$pageview\",\"properties\":{\"distinct_id\":\"u1\",\"token\":\"phc\"}}")]
    [InlineData("JcgElPTQac0PKjUZHJQENktW9HVA", "ééé 日本語 ✓ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Decompresses_what_lz_string_compressed(string compressed, string expected)
    {
        Assert.Equal(expected, LzString.DecompressFromBase64(compressed, 1_000_000, out var tooLarge));
        Assert.False(tooLarge);
    }

    [Theory]
    [InlineData("")]
    [InlineData("N4Igpg!!")]
    [InlineData("N4IgpgbmB2AuIC4QBIAOBDA5")]
    public void Rejects_invalid_or_truncated_input(string input)
    {
        Assert.Null(LzString.DecompressFromBase64(input, 1_000_000, out _));
    }

    [Fact]
    public void Stops_at_the_output_cap()
    {
        var text = LzString.DecompressFromBase64("JcgElPTQac0PKjUZHJQENktW9HVA", 10, out var tooLarge);

        Assert.Null(text);
        Assert.True(tooLarge);
    }
}
