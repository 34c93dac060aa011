using System.Net;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>
/// Issue 18 part 5 over real HTTP: the declared compression is a hint, the body decides (docs/ingestion.md
/// "Validation"). Each mismatch is stored and applied; a body no reading fits is a 400 naming the readings.
/// </summary>
public sealed class CompressionHintTests(CaptureGatewayFixture gateway) : IClassFixture<CaptureGatewayFixture>
{
    private const string Token = CaptureGatewayFixture.Token;

    private static string Events(string user) =>
        $$"""[{"event": "$pageview", "distinct_id": "{{user}}", "uuid": "{{Guid.NewGuid()}}", "properties": {"token": "{{Token}}", "$session_id": "s-{{user}}", "$pathname": "/pricing"} }]""";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, string> Mismatches => new()
    {
        // What posthog-js really sent (the report): a form post of base64 to ?compression=gzip-js.
        { "gzip-js declared, form data= base64 body", "/e/?compression=gzip-js" },
        { "gzip declared, plain JSON body", "/i/v0/e/?compression=gzip" },
        { "gzip declared, base64 body", "/batch/?compression=gzip" },
        { "lz64 declared, gzip body", "/batch?compression=lz64" },
        { "lz64 declared, form data= base64 body", "/capture/?compression=lz64" },
        { "base64 declared, gzip body", "/e?compression=base64" },
        { "base64 declared, plain JSON body", "/capture?compression=base64" },
        { "none declared, form data= gzip-then-base64 body", "/i/v0/e" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task A_body_that_does_not_match_its_declared_compression_is_decoded_by_what_it_is(string name, string url)
    {
        using var http = gateway.Node.CreateClient();
        var user = "hint-" + Guid.NewGuid().ToString("N")[..8];
        var json = Events(user);
        HttpContent content = name switch
        {
            var n when n.EndsWith("form data= base64 body") => new FormUrlEncodedContent([new("data", B64(json))]),
            var n when n.EndsWith("form data= gzip-then-base64 body") =>
                new FormUrlEncodedContent([new("data", Convert.ToBase64String(CaptureEndpointTests.Gzip(json)))]),
            var n when n.EndsWith("plain JSON body") => new StringContent(json, Encoding.UTF8, "application/json"),
            var n when n.EndsWith("gzip body") => new ByteArrayContent(CaptureEndpointTests.Gzip(json)),
            _ => new StringContent(B64(json), Encoding.UTF8, "text/plain"),
        };

        var response = await http.PostAsync(url, content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {text}");
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 1, timeoutMs: 60_000);
        Assert.Equal(["Viewed pricing page"], ContextReader.Labels(context));
    }

    [Fact]
    public async Task An_lz64_body_sent_with_another_declared_compression_is_decoded_as_lz64()
    {
        using var http = gateway.Node.CreateClient();
        // LzStringTests' vector: lz-string 1.5.0's compressToBase64 of a posthog-js event for "lz-user".
        const string lz = "N4IgpgbmB2AuIC4QBIAOBDA5pAlmA7iADQgAmOAzrDtAMawD6OpiIANgF4C0ArhWACdiIVAID2qQdTAVEoWGIDWMVqgAWtBrBmMFy6MOT8KFHGOhMWSTl1kk06WGujoAtmFYB6UTlo1MIAC+gUA=";
        var before = await gateway.Db.CountAsync("raw_event");

        var response = await http.PostAsync("/e/?compression=base64", new FormUrlEncodedContent([new("data", lz)]));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        Assert.Equal(before + 1, await gateway.Db.CountAsync("raw_event"));
    }

    [Theory]
    [InlineData("/e/?compression=gzip-js", "declared: gzip-js")]
    [InlineData("/batch?compression=lz64", "declared: lz64")]
    [InlineData("/capture", "none declared")]
    public async Task A_body_no_reading_fits_is_a_400_naming_what_was_tried(string url, string declared)
    {
        using var http = gateway.Node.CreateClient();
        var before = await gateway.Db.CountAsync("raw_event");

        var response = await http.PostAsync(url, new FormUrlEncodedContent([new("data", "not*any-encoding at all!")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("JSON, gzip, base64", detail, StringComparison.Ordinal);
        Assert.Contains("lz-string", detail, StringComparison.Ordinal);
        Assert.Contains(declared, detail, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.Db.CountAsync("raw_event"));
    }
}
