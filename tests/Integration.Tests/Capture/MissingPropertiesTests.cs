using System.Net;
using System.Text;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>
/// Issue 18 part 3: an event without properties, or with <c>"properties": null</c>, gets the same answer on
/// /ingest and on the capture endpoints: accepted as empty properties, as PostHog's capture does.
/// </summary>
public sealed class MissingPropertiesTests(CaptureGatewayFixture gateway) : IClassFixture<CaptureGatewayFixture>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "/ingest", "" },
        { "/ingest", "\"properties\": null," },
        { "/batch", "" },
        { "/batch", "\"properties\": null," },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_event_without_properties_is_accepted_as_empty_properties(string path, string properties)
    {
        using var http = gateway.Node.CreateClient();
        var user = "noprops-" + Guid.NewGuid().ToString("N")[..8];
        var evt = $$"""{"event": "signed_up", "distinct_id": "{{user}}", {{properties}} "timestamp": "{{DateTimeOffset.UtcNow:O}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (path == "/ingest")
        {
            request.Content = new StringContent($$"""{"event": {{evt}}}""", Encoding.UTF8, "application/json");
            request.Headers.Add("X-Webhook-Secret", CaptureGatewayFixture.WebhookSecret);
        }
        else
        {
            request.Content = new StringContent($$"""{"api_key": "{{CaptureGatewayFixture.Token}}", "batch": [{{evt}}]}""", Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (path == "/ingest" ? HttpStatusCode.Accepted : HttpStatusCode.OK), $"{(int)response.StatusCode} {body}");
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 1, timeoutMs: 60_000);
        var only = context.GetProperty("recent_events")[0];
        Assert.Equal("Signed up", only.GetProperty("semantic_label").GetString());
        Assert.Equal("/", only.GetProperty("page_path").GetString());
        Assert.Equal(1, await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}' AND CAST(properties AS text) = '{{}}'"));
    }
}
