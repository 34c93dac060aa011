using System.Net;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests;

/// <summary>Bad input gets a 4xx problem naming the field, and writes nothing anywhere.</summary>
public sealed class BadInputTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Ok = "\"distinct_id\":\"u1\",\"timestamp\":\"2025-12-08T21:48:08Z\",\"properties\":{}";

    public static TheoryData<string, string, int, string> Cases => new()
    {
        { "malformed JSON", "{\"event\": {\"event\": \"$pageview\",", 400, "body" },
        { "empty body", "", 400, "body" },
        { "array body", "[1,2]", 400, "body" },
        { "no event", "{}", 400, "event" },
        { "event name missing", $"{{\"event\": {{{Ok}}}}}", 400, "event" },
        { "empty event name", $"{{\"event\": {{\"event\": \"\", {Ok}}}}}", 400, "event" },
        { "event name a number", $"{{\"event\": {{\"event\": 5, {Ok}}}}}", 400, "event" },
        { "distinct_id missing", "{\"event\": {\"event\": \"$pageview\", \"timestamp\": \"2025-12-08T21:48:08Z\", \"properties\": {}}}", 400, "distinct_id" },
        { "distinct_id a bool", "{\"event\": {\"event\": \"$pageview\", \"distinct_id\": true, \"timestamp\": \"2025-12-08T21:48:08Z\", \"properties\": {}}}", 400, "distinct_id" },
        { "timestamp missing", "{\"event\": {\"event\": \"$pageview\", \"distinct_id\": \"u1\", \"properties\": {}}}", 400, "timestamp" },
        { "timestamp not a date", "{\"event\": {\"event\": \"$pageview\", \"distinct_id\": \"u1\", \"timestamp\": \"yesterday\", \"properties\": {}}}", 400, "timestamp" },
        { "properties an array", "{\"event\": {\"event\": \"$pageview\", \"distinct_id\": \"u1\", \"timestamp\": \"2025-12-08T21:48:08Z\", \"properties\": []}}", 400, "properties" },
        { "elements_chain a number", $"{{\"event\": {{\"event\": \"$autocapture\", {Ok}, \"elements_chain\": 5}}}}", 400, "elements_chain" },
        { "NUL in the event name (PostgreSQL cannot store it)", $"{{\"event\": {{\"event\": \"page\\u0000view\", {Ok}}}}}", 400, "body" },
        { "uuid not a uuid", $"{{\"event\": {{\"event\": \"$pageview\", {Ok}, \"uuid\": \"nope\"}}}}", 400, "uuid" },
        // JavaScript that cut text inside an emoji writes the lone half as \ud83d: valid JSON, not text.
        { "half an emoji in the event name", "{\"event\": {\"event\": \"Great \\ud83d\", \"distinct_id\": \"u1\", \"timestamp\": \"2025-12-08T21:48:08Z\"}}", 400, "event" },
        { "half an emoji in distinct_id", "{\"event\": {\"event\": \"$pageview\", \"distinct_id\": \"u\\udc00\", \"timestamp\": \"2025-12-08T21:48:08Z\"}}", 400, "distinct_id" },
        { "half an emoji in $session_id", "{\"event\": {\"event\": \"$pageview\", \"distinct_id\": \"u1\", \"timestamp\": \"2025-12-08T21:48:08Z\", \"properties\": {\"$session_id\": \"s\\ud83d\"}}}", 400, "properties.$session_id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rejected_with_problem_details_naming_the_field(string name, string body, int status, string field)
    {
        var db = gateway.Db;
        using var http = gateway.Node.CreateClient();

        var response = await http.PostAsync("/ingest", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.ProblemAsync(response, status, field, name);
        await ProblemAssert.NothingWrittenAsync(db);
    }

    [Fact]
    public async Task Five_megabyte_body_is_413_and_nothing_is_written()
    {
        var db = gateway.Db;
        using var http = gateway.Node.CreateClient();
        var huge = new string('x', 5 * 1024 * 1024);
        var body = $"{{\"event\": {{\"event\": \"$pageview\", {Ok[..^2]}{{\"blob\": \"{huge}\"}}}}}}";

        var response = await http.PostAsync("/ingest", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.ProblemAsync(response, 413, "body", "5 MB");
        await ProblemAssert.NothingWrittenAsync(db);
        Assert.True((await http.GetAsync("/health")).IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("recent_events_limit=0", "recent_events_limit")]
    [InlineData("recent_events_limit=501", "recent_events_limit")]
    [InlineData("recent_events_limit=ten", "recent_events_limit")]
    [InlineData("lookback_hours=-1", "lookback_hours")]
    [InlineData("lookback_hours=abc", "lookback_hours")]
    [InlineData("patterns=pending", "patterns")]
    [InlineData("patterns=Confirmed", "patterns")]
    public async Task Bad_context_query_is_400_naming_the_parameter(string query, string field)
    {
        using var http = gateway.Node.CreateClient();

        var response = await http.GetAsync($"/session/context/u1?{query}");

        await ProblemAssert.ProblemAsync(response, 400, field, query);
    }

    [Fact]
    public async Task Failed_events_list_is_empty_when_nothing_failed_and_checks_its_limit()
    {
        using var http = gateway.Node.CreateClient();

        var list = await http.GetAsync("/events/failed");
        var tooMany = await http.GetAsync("/events/failed?limit=5000");

        // This class's gateway only ever sees input the gateway rejects, so the domain failed nothing.
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("application/json", list.Content.Headers.ContentType?.MediaType);
        var text = await list.Content.ReadAsStringAsync();
        var failed = JsonDocument.Parse(text).RootElement;
        Assert.Equal(JsonValueKind.Array, failed.ValueKind);
        Assert.True(failed.GetArrayLength() == 0, $"expected no failed events: {text}");
        Assert.Equal(0, await gateway.Db.ScalarAsync("SELECT count(*) FROM raw_event WHERE status = 'DEAD_LETTER'"));
        await ProblemAssert.ProblemAsync(tooMany, 400, "limit", "limit=5000");
        await ProblemAssert.ProblemAsync(await http.GetAsync("/events/failed?limit=abc"), 400, "limit", "limit=abc");
        await ProblemAssert.ProblemAsync(await http.GetAsync("/events/failed?limit=0"), 400, "limit", "limit=0");
    }
}
