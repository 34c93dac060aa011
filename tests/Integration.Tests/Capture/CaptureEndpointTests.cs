using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>The PostHog capture endpoints over real HTTP: encodings, shapes, tokens, atomic batches.</summary>
public sealed class CaptureEndpointTests(CaptureGatewayFixture gateway) : IClassFixture<CaptureGatewayFixture>
{
    private const string Token = CaptureGatewayFixture.Token;

    private static string Event(string user, string path = "/pricing", string extra = "") =>
        $$"""{"event": "$pageview", "distinct_id": "{{user}}", "uuid": "{{Guid.NewGuid()}}", "properties": {"token": "{{Token}}", "$session_id": "s-{{user}}", "$pathname": "{{path}}"{{extra}} } }""";

    public static TheoryData<string, string> Encodings => new()
    {
        { "json single event on /capture", "/capture" },
        { "json array on /batch/", "/batch/" },
        { "batch envelope on /e", "/e" },
        { "gzip by query parameter on /i/v0/e/", "/i/v0/e/?compression=gzip-js" },
        { "gzip by magic bytes on /e/", "/e/" },
        { "base64 body on /batch", "/batch" },
        { "form data= base64 on /e/", "/e/?compression=base64" },
        { "GET data= on /capture/", "/capture/" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Each_encoding_is_stored_and_applied(string name, string url)
    {
        using var http = gateway.Node.CreateClient();
        var user = "enc-" + Guid.NewGuid().ToString("N")[..8];
        var one = Event(user);
        var two = Event(user, "/billing");

        var response = name switch
        {
            var n when n.StartsWith("json single") => await http.PostAsync(url, Json(one)),
            var n when n.StartsWith("json array") => await http.PostAsync(url, Json($"[{one},{two}]")),
            var n when n.StartsWith("batch envelope") => await http.PostAsync(url, Json($$"""{"api_key": "{{Token}}", "batch": [{{one}},{{two}}], "sent_at": "2026-01-01T00:00:00Z"}""")),
            var n when n.StartsWith("gzip") => await http.PostAsync(url, new ByteArrayContent(Gzip($"[{one},{two}]"))),
            var n when n.StartsWith("base64") => await http.PostAsync(url, new StringContent(B64($"[{one},{two}]"))),
            var n when n.StartsWith("form") => await http.PostAsync(url, new FormUrlEncodedContent([new("data", B64($"[{one},{two}]"))])),
            _ => await http.GetAsync($"{url}?data={Uri.EscapeDataString(B64(one))}"),
        };

        await AssertStatusOneAsync(response, name);
        var expected = name.Contains("single") || name.StartsWith("GET") ? 1 : 2;
        await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == expected);
    }

    [Fact]
    public async Task Lz64_form_post_as_older_posthog_js_sends()
    {
        using var http = gateway.Node.CreateClient();
        const string lz = "N4IgpgbmB2AuIC4QBIAOBDA5pAlmA7iADQgAmOAzrDtAMawD6OpiIANgF4C0ArhWACdiIVAID2qQdTAVEoWGIDWMVqgAWtBrBmMFy6MOT8KFHGOhMWSTl1kk06WGujoAtmFYB6UTlo1MIAC+gUA=";

        var response = await http.PostAsync("/e/?compression=lz64", new FormUrlEncodedContent([new("data", lz)]));

        await AssertStatusOneAsync(response, "lz64");
        var context = await ContextReader.WaitForAsync(http, "lz-user", c => ContextReader.EventCount(c) == 1);
        Assert.Equal(["Viewed pricing page"], ContextReader.Labels(context));
    }

    [Fact]
    public async Task Beacon_is_answered_204_and_the_event_arrives()
    {
        using var http = gateway.Node.CreateClient();
        var user = "beacon-" + Guid.NewGuid().ToString("N")[..8];

        var response = await http.PostAsync("/e/?beacon=1", Json(Event(user)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertArrivedAsync(http, user);
    }

    [Fact]
    public async Task Distinct_id_aliases_numbers_and_length_are_normalized()
    {
        using var http = gateway.Node.CreateClient();
        var number = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var longId = "long-" + new string('x', 300);
        var body = $$"""
            [{"event": "$pageview", "$distinct_id": "alias-{{number}}", "properties": {"token": "{{Token}}", "$pathname": "/"} },
             {"event": "$pageview", "properties": {"distinct_id": {{number}}, "$token": "x", "token": "{{Token}}", "$pathname": "/"} },
             {"event": "$pageview", "distinct_id": "{{longId}}", "properties": {"token": "{{Token}}", "$pathname": "/"} }]
            """;

        await AssertStatusOneAsync(await http.PostAsync("/batch", Json(body)), "aliases");

        await ContextReader.WaitForAsync(http, $"alias-{number}", c => ContextReader.EventCount(c) == 1);
        await ContextReader.WaitForAsync(http, number.ToString(), c => ContextReader.EventCount(c) == 1);
        await ContextReader.WaitForAsync(http, longId[..200], c => ContextReader.EventCount(c) == 1);
    }

    [Fact]
    public async Task Old_elements_arrays_become_a_chain_and_a_click_label()
    {
        using var http = gateway.Node.CreateClient();
        var user = "el-" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""
            {"event": "$autocapture", "distinct_id": "{{user}}", "properties": {"token": "{{Token}}", "$event_type": "click", "$pathname": "/plans",
             "$elements": [{"tag_name": "button", "$el_text": "Upgrade to Pro", "attr__class": "btn", "nth_child": 1, "nth_of_type": 1}, {"tag_name": "div"}]} }
            """;

        await AssertStatusOneAsync(await http.PostAsync("/e", Json(body)), "elements");

        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 1);
        Assert.Equal(["Clicked 'Upgrade to Pro' button"], ContextReader.Labels(context));
    }

    [Fact]
    public async Task A_batch_with_one_invalid_event_is_400_and_stores_none()
    {
        using var http = gateway.Node.CreateClient();
        var user = "atomic-" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""{"api_key": "{{Token}}", "batch": [{{Event(user)}}, {{Event(user)}}, {"event": "$pageview", "distinct_id": "{{user}}", "timestamp": "not a time"} ]}""";

        var response = await http.PostAsync("/batch", Json(body));

        await ProblemAssert.ProblemAsync(response, 400, "batch[2].timestamp", "atomic batch");
        Assert.Equal(0, await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}'"));
    }

    [Theory]
    [InlineData("missing token", "{\"event\": \"$pageview\", \"distinct_id\": \"t1\", \"properties\": {}}")]
    [InlineData("wrong token", "{\"event\": \"$pageview\", \"distinct_id\": \"t1\", \"properties\": {\"token\": \"phc_wrong\"}}")]
    [InlineData("wrong batch api_key", "{\"api_key\": \"phc_wrong\", \"batch\": [{\"event\": \"$pageview\", \"distinct_id\": \"t1\", \"properties\": {\"token\": \"phc_test_token\"}}]}")]
    [InlineData("one event in a batch without token", "[{\"event\": \"$pageview\", \"distinct_id\": \"t1\", \"properties\": {\"token\": \"phc_test_token\"}}, {\"event\": \"$pageview\", \"distinct_id\": \"t1\"}]")]
    public async Task Missing_or_wrong_token_is_401(string name, string body)
    {
        using var http = gateway.Node.CreateClient();

        var response = await http.PostAsync("/i/v0/e/", Json(body));

        await ProblemAssert.ProblemAsync(response, 401, "token", name);
        Assert.Equal(0, await gateway.Db.ScalarAsync("SELECT count(*) FROM raw_event WHERE distinct_id = 't1'"));
    }

    [Fact]
    public async Task Second_configured_token_is_accepted_and_the_event_arrives()
    {
        using var http = gateway.Node.CreateClient();
        var user = "tok2-" + Guid.NewGuid().ToString("N")[..8];
        var body = Event(user).Replace(Token, CaptureGatewayFixture.OtherToken);
        Assert.Contains(CaptureGatewayFixture.OtherToken, body);

        await AssertStatusOneAsync(await http.PostAsync("/capture", Json(body)), "second token");
        await AssertArrivedAsync(http, user);
    }

    [Fact]
    public async Task Decompression_bomb_is_413()
    {
        using var http = gateway.Node.CreateClient();
        var bomb = Gzip("[" + new string(' ', 64 * 1024 * 1024) + "]");

        var response = await http.PostAsync("/e/?compression=gzip", new ByteArrayContent(bomb));

        await ProblemAssert.ProblemAsync(response, 413, "body", "bomb");
        Assert.True((await http.GetAsync("/health")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Browser_preflight_and_answers_carry_cors_headers()
    {
        using var http = gateway.Node.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/e/");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://shop.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.False((await http.GetAsync("/health")).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Browser_post_answer_echoes_the_origin_and_allows_credentials()
    {
        using var http = gateway.Node.CreateClient();
        var user = "cors-" + Guid.NewGuid().ToString("N")[..8];
        using var post = new HttpRequestMessage(HttpMethod.Post, "/e/") { Content = Json(Event(user)) };
        post.Headers.Add("Origin", "https://shop.example");

        var response = await http.SendAsync(post);

        // posthog-js sends with credentials: a browser then needs the exact origin (never "*") and
        // Allow-Credentials on the POST's own answer, or it hides the answer from the page.
        await AssertStatusOneAsync(response, "cors post");
        Assert.Equal("https://shop.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Contains("Origin", response.Headers.Vary);
        await AssertArrivedAsync(http, user);

        // Without an Origin (a server SDK) any caller may read the answer, and no credentials are offered.
        var server = await http.PostAsync("/e/", Json(Event(user, "/billing")));
        await AssertStatusOneAsync(server, "server post");
        Assert.Equal("*", server.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(server.Headers.Contains("Access-Control-Allow-Credentials"));
        // Not a capture path: the user data API stays same-origin.
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/session/context/{user}");
        read.Headers.Add("Origin", "https://shop.example");
        Assert.False((await http.SendAsync(read)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Webhook_needs_the_shared_secret_when_one_is_set()
    {
        using var http = gateway.Node.CreateClient();
        var user = "hook-" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""{"event": {"event": "$pageview", "distinct_id": "{{user}}", "timestamp": "2026-01-01T00:00:00Z", "properties": {"$pathname": "/"} } }""";

        var missing = await http.PostAsync("/ingest", Json(body));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/ingest") { Content = Json(body) };
        wrong.Headers.Add("X-Webhook-Secret", "nope");
        var wrongResponse = await http.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/ingest") { Content = Json(body) };
        right.Headers.Add("X-Webhook-Secret", CaptureGatewayFixture.WebhookSecret);
        var rightResponse = await http.SendAsync(right);

        await ProblemAssert.ProblemAsync(missing, 401, "X-Webhook-Secret", "no secret");
        await ProblemAssert.ProblemAsync(wrongResponse, 401, "X-Webhook-Secret", "wrong secret");
        Assert.Equal(HttpStatusCode.Accepted, rightResponse.StatusCode);
    }

    /// <summary>The one event sent for <paramref name="user"/> was stored and applied: the context shows it.</summary>
    private static async Task AssertArrivedAsync(HttpClient http, string user)
    {
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) >= 1, timeoutMs: 60000);
        Assert.Equal(["Viewed pricing page"], ContextReader.Labels(context));
    }

    private static async Task AssertStatusOneAsync(HttpResponseMessage response, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{because}: {(int)response.StatusCode} {text}");
        Assert.Equal(1, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    internal static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }
        return output.ToArray();
    }
}
