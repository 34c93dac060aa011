using System.Net;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>
/// Issue 18 over real HTTP: posthog-js's <c>_</c> query parameter (its clock at send time, ms since the epoch)
/// is the request's sent_at when the body has none, as in PostHog's capture; seconds (before 2021 as ms) are ignored.
/// </summary>
public sealed class QuerySentAtTests(CaptureGatewayFixture gateway) : IClassFixture<CaptureGatewayFixture>
{
    private static string Event(string user, DateTimeOffset timestamp, string sentAt = "") =>
        $$"""{"event": "$pageview", "distinct_id": "{{user}}", "timestamp": "{{timestamp:O}}", {{sentAt}} "properties": {"token": "{{CaptureGatewayFixture.Token}}", "$session_id": "s-{{user}}", "$pathname": "/pricing"} }""";

    private async Task<DateTimeOffset> TimeOfAsync(HttpClient http, string user, string url, string body)
    {
        var response = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 1, timeoutMs: 60_000);
        return context.GetProperty("recent_events")[0].GetProperty("timestamp").GetDateTimeOffset();
    }

    private static void AssertNear(DateTimeOffset expected, DateTimeOffset from, DateTimeOffset until, DateTimeOffset actual, string what) =>
        Assert.True(actual >= expected - TimeSpan.FromSeconds(1) && actual <= expected + (until - from) + TimeSpan.FromSeconds(1),
            $"{what}: expected about {expected:O}, got {actual:O}");

    [Fact]
    public async Task The_underscore_parameter_removes_the_clock_skew_when_the_body_has_no_sent_at()
    {
        using var http = gateway.Node.CreateClient();
        var user = "qs-" + Guid.NewGuid().ToString("N")[..8];
        var from = DateTimeOffset.UtcNow;
        var fast = from.AddHours(3);

        var at = await TimeOfAsync(http, user, $"/e/?ver=1.449.2&_={fast.ToUnixTimeMilliseconds()}", Event(user, fast.AddSeconds(-10)));

        AssertNear(from.AddSeconds(-10), from, DateTimeOffset.UtcNow, at, "received + (timestamp − _)");
    }

    [Fact]
    public async Task The_bodys_sent_at_wins_over_the_underscore_parameter()
    {
        using var http = gateway.Node.CreateClient();
        var user = "qs-" + Guid.NewGuid().ToString("N")[..8];
        var from = DateTimeOffset.UtcNow;

        var at = await TimeOfAsync(http, user, $"/e/?_={from.AddHours(3).ToUnixTimeMilliseconds()}",
            Event(user, from.AddSeconds(-10), $"\"sent_at\": \"{from:O}\","));

        AssertNear(from.AddSeconds(-10), from, DateTimeOffset.UtcNow, at, "the body's sent_at, not _");
    }

    [Fact]
    public async Task An_underscore_parameter_in_seconds_is_ignored()
    {
        using var http = gateway.Node.CreateClient();
        var user = "qs-" + Guid.NewGuid().ToString("N")[..8];
        var sent = DateTimeOffset.UtcNow.AddHours(3).AddSeconds(-10);

        var at = await TimeOfAsync(http, user, $"/e/?_={DateTimeOffset.UtcNow.AddHours(3).ToUnixTimeSeconds()}", Event(user, sent));

        // No usable sent_at: the timestamp as sent (3 hours ahead is within the 23-hour bound).
        Assert.Equal(sent.UtcTicks / 10, at.UtcTicks / 10);
    }
}
