using System.Text;
using SessionInsights.Gateway.Endpoints;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>The splice that puts the server's time first in a grain's document (pure).</summary>
public class GeneratedAtTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 30, 45, 120, TimeSpan.FromHours(2));

    [Theory]
    [InlineData("{\"user_id\":\"u\"}", "{\"generated_at\":\"2026-12-01T08:30:45.12Z\",\"user_id\":\"u\"}")]
    [InlineData("{}", "{\"generated_at\":\"2026-12-01T08:30:45.12Z\"}")]
    [InlineData("[1]", "[1]")]
    public void Stamps_objects_first_and_leaves_anything_else(string json, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(GeneratedAt.Stamp(Encoding.UTF8.GetBytes(json), Now)));
    }
}
