using System.Net.Http.Headers;
using System.Text;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>
/// A corpus of malformed capture requests: each gets its documented 4xx with problem details naming
/// the field, the node stays healthy, and no table gains a row (this class's gateway sees nothing valid).
/// </summary>
public sealed class CaptureBadInputTests(CaptureGatewayFixture gateway) : IClassFixture<CaptureGatewayFixture>
{
    private const string T = CaptureGatewayFixture.Token;
    private const string Ok = "\"distinct_id\": \"u1\", \"properties\": {\"token\": \"" + T + "\"}";

    private sealed record Case(string Url, string? ContentType, Func<byte[]>? Body, int Status, string Field, bool Get = false);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Event(string fields) => Utf8("{\"event\": \"$pageview\", " + fields + "}");

    private static readonly Dictionary<string, Case> Corpus = new()
    {
        ["broken gzip"] = new("/e/", null, () => [0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9], 400, "body"),
        ["truncated gzip"] = new("/e/", null, () => CaptureEndpointTests.Gzip("[{\"event\": \"$pageview\", " + Ok + "}]")[..20], 400, "body"),
        ["truncated base64"] = new("/batch", "text/plain", () => Utf8(Convert.ToBase64String(Event(Ok))[..^3]), 400, "body"),
        ["base64 with invalid characters"] = new("/batch", "text/plain", () => Utf8("eyJldmVudCI6!!!*"), 400, "body"),
        ["base64 of non-JSON"] = new("/batch?compression=base64", "text/plain", () => Utf8(Convert.ToBase64String(Utf8("hello there"))), 400, "body"),
        ["lz64 garbage"] = new("/e/?compression=lz64", "application/x-www-form-urlencoded", () => Utf8("data=%21%21%21%21"), 400, "body"),
        ["lz64 truncated"] = new("/e/?compression=lz64", "application/x-www-form-urlencoded", () => Utf8("data=N4IgpgbmB2AuIC4QBIAOBDA5"), 400, "body"),
        ["form without data"] = new("/e/", "application/x-www-form-urlencoded", () => Utf8("compression=base64&foo=1"), 400, "data"),
        ["form with empty data"] = new("/e/", "application/x-www-form-urlencoded", () => Utf8("data="), 400, "data"),
        ["GET without data"] = new("/capture/", null, null, 400, "data", Get: true),
        ["GET with broken base64"] = new("/capture/?data=%25%25%25", null, null, 400, "body", Get: true),
        ["empty body"] = new("/capture", "application/json", () => [], 400, "body"),
        ["whitespace body"] = new("/capture", "application/json", () => Utf8("   \n "), 400, "body"),
        ["malformed JSON"] = new("/capture", "application/json", () => Utf8("{\"event\": \"$pageview\","), 400, "body"),
        ["JSON number"] = new("/capture", "application/json", () => Utf8("5"), 400, "body"),
        ["JSON string"] = new("/capture", "application/json", () => Utf8("\"event\""), 400, "body"),
        ["JSON null"] = new("/capture", "application/json", () => Utf8("null"), 400, "body"),
        ["array of numbers"] = new("/batch", "application/json", () => Utf8("[1, 2]"), 400, "batch[0]"),
        ["empty array"] = new("/batch", "application/json", () => Utf8("[]"), 400, "body"),
        ["batch not an array"] = new("/batch", "application/json", () => Utf8("{\"api_key\": \"" + T + "\", \"batch\": {}}"), 400, "batch"),
        ["empty batch"] = new("/batch", "application/json", () => Utf8("{\"api_key\": \"" + T + "\", \"batch\": []}"), 400, "batch"),
        ["batch element a string"] = new("/batch", "application/json", () => Utf8("{\"api_key\": \"" + T + "\", \"batch\": [\"$pageview\"]}"), 400, "batch[0]"),
        ["event name missing"] = new("/capture", "application/json", () => Utf8("{" + Ok + "}"), 400, "event"),
        ["event name a number"] = new("/capture", "application/json", () => Utf8("{\"event\": 7, " + Ok + "}"), 400, "event"),
        ["event name empty"] = new("/capture", "application/json", () => Utf8("{\"event\": \"  \", " + Ok + "}"), 400, "event"),
        ["distinct_id missing"] = new("/capture", "application/json", () => Event("\"properties\": {\"token\": \"" + T + "\"}"), 400, "distinct_id"),
        ["distinct_id a bool"] = new("/capture", "application/json", () => Event("\"distinct_id\": true, \"properties\": {\"token\": \"" + T + "\"}"), 400, "distinct_id"),
        ["distinct_id an object"] = new("/capture", "application/json", () => Event("\"distinct_id\": {\"id\": 1}, \"properties\": {\"token\": \"" + T + "\"}"), 400, "distinct_id"),
        ["distinct_id empty"] = new("/capture", "application/json", () => Event("\"distinct_id\": \"\", \"properties\": {\"token\": \"" + T + "\"}"), 400, "distinct_id"),
        ["properties an array"] = new("/capture", "application/json", () => Event("\"api_key\": \"" + T + "\", \"distinct_id\": \"u1\", \"properties\": [1]"), 400, "properties"),
        ["properties a string"] = new("/capture", "application/json", () => Event("\"api_key\": \"" + T + "\", \"distinct_id\": \"u1\", \"properties\": \"x\""), 400, "properties"),
        ["timestamp not a date"] = new("/capture", "application/json", () => Event(Ok + ", \"timestamp\": \"yesterday\""), 400, "timestamp"),
        ["timestamp a number"] = new("/capture", "application/json", () => Event(Ok + ", \"timestamp\": 1700000000"), 400, "timestamp"),
        ["uuid not a uuid"] = new("/capture", "application/json", () => Event(Ok + ", \"uuid\": \"nope\""), 400, "uuid"),
        ["uuid all zero"] = new("/capture", "application/json", () => Event(Ok + ", \"uuid\": \"00000000-0000-0000-0000-000000000000\""), 400, "uuid"),
        ["elements_chain a number"] = new("/capture", "application/json", () => Event(Ok + ", \"elements_chain\": 5"), 400, "elements_chain"),
        ["half an emoji in a batch event's distinct_id"] = new("/batch", "application/json", () => Utf8("[{\"event\": \"$pageview\", " + Ok + "}, {\"event\": \"$pageview\", \"distinct_id\": \"u\\ud83d\", \"properties\": {\"token\": \"" + T + "\"}}]"), 400, "batch[1].distinct_id"),
        ["second event of a batch invalid"] = new("/batch", "application/json", () => Utf8("[{\"event\": \"$pageview\", " + Ok + "}, {\"event\": 1, " + Ok + "}]"), 400, "batch[1].event"),
        ["deep JSON"] = new("/capture", "application/json", () => Event(Ok[..^1] + ", \"deep\": " + new string('[', 500) + new string(']', 500) + "}"), 400, "body"),
        ["invalid UTF-8"] = new("/capture", "application/json", () => [.. Event(Ok)[..20], 0xff, 0xfe, 0xc3, .. Event(Ok)[20..]], 400, "body"),
        ["huge string in a single event"] = new("/capture", "application/json", () => Event(Ok[..^1] + ", \"blob\": \"" + new string('x', 3 * 1024 * 1024) + "\"}"), 413, "body"),
        ["body over 20 MB"] = new("/batch", "application/json", () => Utf8("[" + new string(' ', 21 * 1024 * 1024) + "]"), 413, "body"),
        ["gzip bomb"] = new("/batch?compression=gzip", null, () => CaptureEndpointTests.Gzip("[" + new string(' ', 100 * 1024 * 1024) + "]"), 413, "body"),
        ["gzip bomb found by magic bytes"] = new("/i/v0/e/", "text/plain", () => CaptureEndpointTests.Gzip("{\"event\": \"" + new string('a', 30 * 1024 * 1024) + "\"}"), 413, "body"),
        ["lz64 bomb (8 KB expanding to 10 MB of text)"] = new("/e/?compression=lz64", "application/x-www-form-urlencoded",
            () => Utf8("data=" + Uri.EscapeDataString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Capture", "lz64-bomb.txt")))), 413, "body"),
        ["no token"] = new("/capture", "application/json", () => Event("\"distinct_id\": \"u1\", \"properties\": {}"), 401, "token"),
        ["wrong token"] = new("/capture", "application/json", () => Event("\"distinct_id\": \"u1\", \"properties\": {\"token\": \"phc_nope\"}"), 401, "token"),
        ["token a number"] = new("/capture", "application/json", () => Event("\"api_key\": 5, \"distinct_id\": \"u1\", \"properties\": {}"), 401, "token"),
        ["wrong batch api_key"] = new("/batch", "application/json", () => Utf8("{\"api_key\": \"phc_nope\", \"batch\": [{\"event\": \"$pageview\", " + Ok + "}]}"), 401, "token"),
        ["NUL character in event name"] = new("/capture", "application/json", () => Event(Ok).AsSpan().ToArray() is var b ? Utf8(Encoding.UTF8.GetString(b).Replace("$pageview", "page\\u0000view")) : b, 400, "body"),
    };

    public static TheoryData<string> Names => [.. Corpus.Keys];

    [Fact]
    public void Corpus_has_at_least_forty_cases() => Assert.True(Corpus.Count >= 40, $"{Corpus.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Rejected_with_its_4xx_and_nothing_is_written(string name)
    {
        var c = Corpus[name];
        using var http = gateway.Node.CreateClient();
        using var request = new HttpRequestMessage(c.Get ? HttpMethod.Get : HttpMethod.Post, c.Url);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body());
            if (c.ContentType is not null)
            {
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(c.ContentType);
            }
        }

        var response = await http.SendAsync(request);

        await ProblemAssert.ProblemAsync(response, c.Status, c.Field, name);
        Assert.True((await http.GetAsync("/health")).IsSuccessStatusCode, $"unhealthy after {name}");
        await ProblemAssert.NothingWrittenAsync(gateway.Db);
    }
}
