using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// The OpenAPI document cannot drift from the gateway: every operation it lists has a case below, a
/// real request whose answer is checked against what the document says for it (status code listed,
/// content type listed, JSON valid against the schema: required fields present, no undocumented
/// field, types and the one time format); every route the gateway maps (GET / lists them from the
/// routing table) is in the document; every example in the document is valid against its schema.
/// A new endpoint needs one line in <see cref="Cases"/> (docs/api.md, "Conformance test").
/// </summary>
public sealed partial class OpenApiConformanceTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string User = "conformance-user";
    private const string Session = "s-conformance";
    private const string RuleCode = "conformance_rule";
    private const string DashboardRuleCode = "conformance_dashboard_rule";
    private const string RuleBody = """{"code":"conformance_rule","description":"Viewed the cart","severity":"low","filter":{"semantic_words":"cart"}}""";
    private const string DashboardRuleBody = """{"code":"conformance_dashboard_rule","description":"Viewed the cart","severity":"MEDIUM","filter":{"semantic_words":"cart"}}""";
    private const string Draft = """{"rule":{"code":"draft","description":"Viewed the cart","severity":"HIGH","filter":{"semantic_words":"cart"}}}""";

    /// <summary>Responses whose times the document cannot pair with generated_at: JSON arrays (a field would change their shape).</summary>
    private static readonly HashSet<string> ArrayAnswers = ["GET /events/failed", "GET /insights/api/failed", "GET /insights/api/rate-limits"];

    /// <summary>
    /// One or more real requests per "METHOD /path" of the document, run in this order (writes to a rule
    /// after its create). A case may send several requests, e.g. the JSON and the text form, or a 400.
    /// </summary>
    private static readonly (string Operation, Func<HttpClient, Task<HttpResponseMessage>> Send)[] Cases =
    [
        ("POST /ingest", h => h.PostAsJsonAsync("/ingest", Envelope(Pageview(User, Session, DateTimeOffset.UtcNow.AddSeconds(-1), "/pricing")))),
        ("POST /ingest", h => h.PostAsync("/ingest", Json("""{"event": {"event": "$pageview"}}"""))),
        ("POST /batch", h => h.PostAsync("/batch", Json(CaptureEvent("/batch")))),
        ("GET /batch", h => h.GetAsync("/batch?data=" + Uri.EscapeDataString(CaptureEvent("/batch-get")))),
        ("POST /capture", h => h.PostAsync("/capture?beacon=1", Json(CaptureEvent("/capture")))),
        ("GET /capture", h => h.GetAsync("/capture?data=" + Uri.EscapeDataString(CaptureEvent("/capture-get")))),
        ("POST /e", h => h.PostAsync("/e", Json(CaptureEvent("/e")))),
        ("GET /e", h => h.GetAsync("/e")),
        ("POST /i/v0/e", h => h.PostAsync("/i/v0/e", Json(CaptureEvent("/i")))),
        ("GET /i/v0/e", h => h.GetAsync("/i/v0/e?data=" + Uri.EscapeDataString(CaptureEvent("/i-get")))),
        ("GET /session/context/{user_id}", h => h.GetAsync($"/session/context/{User}")),
        ("GET /session/context/{user_id}", h => h.GetAsync($"/session/context/{User}?format=text&max_tokens=400")),
        ("GET /session/context/{user_id}", h => h.GetAsync($"/session/context/{User}?max_tokens=1")),
        ("GET /session/stream/{user_id}", h => h.GetAsync($"/session/stream/{User}", HttpCompletionOption.ResponseHeadersRead)),
        ("GET /session/stream/{user_id}", h => h.GetAsync($"/session/stream/{User}?last_event_id=%0A", HttpCompletionOption.ResponseHeadersRead)),
        ("GET /session/{session_id}", h => h.GetAsync($"/session/{Session}")),
        ("GET /session/{session_id}", h => h.GetAsync("/session/no-such-session")),
        ("GET /events/failed", h => h.GetAsync("/events/failed")),
        ("POST /events/dead-letters/retry", h => h.PostAsync("/events/dead-letters/retry", null)),
        ("GET /ingestion-warnings", h => h.GetAsync("/ingestion-warnings")),
        ("GET /health", h => h.GetAsync("/health")),
        ("GET /rules", h => h.GetAsync("/rules")),
        ("POST /rules", h => h.PostAsync("/rules", Json(RuleBody))),
        ("POST /rules", h => h.PostAsync("/rules", Json(RuleBody))), // 409: taken
        ("GET /rules/{code}", h => h.GetAsync($"/rules/{RuleCode}")),
        ("PUT /rules/{code}", h => h.PutAsync($"/rules/{RuleCode}", Json(RuleBody.Replace("low", "HIGH", StringComparison.Ordinal)))),
        ("POST /rules/{code}/disable", h => h.PostAsync($"/rules/{RuleCode}/disable", null)),
        ("POST /rules/{code}/enable", h => h.PostAsync($"/rules/{RuleCode}/enable", null)),
        ("POST /rules/{code}/backtest", h => h.PostAsync($"/rules/{RuleCode}/backtest", null)),
        ("POST /rules/backtest", h => h.PostAsync("/rules/backtest", Json(Draft))),
        ("POST /rules/backtest", h => h.PostAsync("/rules/backtest", Json("""{"rule": {"code": "x"}}"""))),
        ("DELETE /rules/{code}", h => h.DeleteAsync($"/rules/{RuleCode}")),
        ("DELETE /rules/{code}", h => h.DeleteAsync($"/rules/{RuleCode}")), // 404 now
        ("DELETE /users/{distinct_id}", h => h.DeleteAsync("/users/conformance-erased")),
        ("GET /insights/api/overview", h => h.GetAsync("/insights/api/overview")),
        ("GET /insights/api/patterns", h => h.GetAsync("/insights/api/patterns")),
        ("GET /insights/api/failed", h => h.GetAsync("/insights/api/failed")),
        ("POST /insights/api/failed/{uuid}/retry", h => h.PostAsync($"/insights/api/failed/{Guid.NewGuid()}/retry", null)),
        ("GET /insights/api/dead-letters", h => h.GetAsync("/insights/api/dead-letters")),
        ("POST /insights/api/dead-letters/retry", h => h.PostAsync("/insights/api/dead-letters/retry", null)),
        ("GET /insights/api/ingestion-warnings", h => h.GetAsync("/insights/api/ingestion-warnings")),
        ("GET /insights/api/rate-limits", h => h.GetAsync("/insights/api/rate-limits")),
        ("GET /insights/api/logs", h => h.GetAsync("/insights/api/logs")),
        ("GET /insights/api/webhooks", h => h.GetAsync("/insights/api/webhooks")),
        ("GET /insights/api/user/{user_id}", h => h.GetAsync($"/insights/api/user/{User}")),
        ("GET /insights/api/rules", h => h.GetAsync("/insights/api/rules")),
        ("POST /insights/api/rules/validate", h => h.PostAsync("/insights/api/rules/validate", Json(DashboardRuleBody))),
        ("POST /insights/api/rules", h => h.PostAsync("/insights/api/rules", Json(DashboardRuleBody))),
        ("GET /insights/api/rules/{code}", h => h.GetAsync($"/insights/api/rules/{DashboardRuleCode}")),
        ("PUT /insights/api/rules/{code}", h => h.PutAsync($"/insights/api/rules/{DashboardRuleCode}", Json(DashboardRuleBody))),
        ("POST /insights/api/rules/{code}/disable", h => h.PostAsync($"/insights/api/rules/{DashboardRuleCode}/disable", null)),
        ("POST /insights/api/rules/{code}/enable", h => h.PostAsync($"/insights/api/rules/{DashboardRuleCode}/enable", null)),
        ("POST /insights/api/rules/backtest", h => h.PostAsync("/insights/api/rules/backtest", Json(Draft))),
        ("DELETE /insights/api/rules/{code}", h => h.DeleteAsync($"/insights/api/rules/{DashboardRuleCode}")),
    ];

    [Fact]
    public async Task Every_operation_of_the_document_has_a_case_and_every_mapped_route_is_documented()
    {
        using var http = gateway.Node.CreateClient();
        var documented = Operations(await DocumentAsync(http)).Select(o => o.Key).ToHashSet();
        var index = await http.GetStringAsync("/");
        var mapped = IndexLine().Matches(index).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToHashSet();

        Assert.True(mapped.Count >= 40, $"GET / lists only {mapped.Count} routes:\n{index}");
        Assert.Empty(mapped.Except(documented).Order()); // mapped by the gateway, missing from the document
        Assert.Empty(documented.Except(Cases.Select(c => c.Operation)).Order()); // documented, without a conformance case
        Assert.Empty(Cases.Select(c => c.Operation).Except(documented).Order()); // a case for an operation the document lost
    }

    [Fact]
    public async Task Every_answer_is_what_the_document_says()
    {
        using var http = gateway.Node.CreateClient();
        await PrepareAsync(http);
        var validator = new OpenApiValidator(await DocumentAsync(http));
        var operations = Operations(validator.Document);
        var problems = new List<string>();
        var statuses = new List<string>();
        var times = 0;

        foreach (var (operation, send) in Cases)
        {
            using var response = await send(http);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            statuses.Add($"{operation} {status}");
            var where = $"{operation} → {status}";
            if (!operations[operation].GetProperty("responses").TryGetProperty(status, out var documented))
            {
                problems.Add($"{where}: status not in the document ({await response.Content.ReadAsStringAsync()})");
                continue;
            }
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            // A stream (server-sent events) never ends: its case asks for the headers only, and it is not read.
            var body = mediaType == "text/event-stream" ? "(stream)" : await response.Content.ReadAsStringAsync();
            if (!documented.TryGetProperty("content", out var content))
            {
                if (body.Length > 0)
                {
                    problems.Add($"{where}: the document lists no body, the answer has one ({mediaType})");
                }
                continue;
            }
            if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
            {
                problems.Add($"{where}: content type {mediaType} is not one of {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}");
                continue;
            }
            if (!mediaType.EndsWith("json", StringComparison.Ordinal))
            {
                if (body.Length == 0)
                {
                    problems.Add($"{where}: empty {mediaType} body");
                }
                continue;
            }
            var json = JsonDocument.Parse(body).RootElement;
            problems.AddRange(validator.Validate(json, media.GetProperty("schema")).Select(p => $"{where}: {p}"));
            // Every time anywhere (also in free-form parts such as an event's context) has the one format,
            // and an object that carries times says when the server answered.
            var found = Strings(json).Where(s => LooksLikeTime().IsMatch(s)).ToList();
            times += found.Count;
            problems.AddRange(found.Where(s => !OpenApiValidator.WireTime().IsMatch(s)).Select(s => $"{where}: time '{s}' is not RFC 3339 UTC with Z and at most microseconds"));
            if (found.Count > 0 && json.ValueKind == JsonValueKind.Object && !json.TryGetProperty("generated_at", out _) && mediaType == "application/json")
            {
                problems.Add($"{where}: carries times but no generated_at");
            }
            if (found.Count > 0 && json.ValueKind == JsonValueKind.Array && !ArrayAnswers.Contains(operation))
            {
                problems.Add($"{where}: an array of times (no room for generated_at): list it in ArrayAnswers or make it an object");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Prepend($"{problems.Count} problems; statuses: {string.Join(", ", statuses)}")));
        // The checks must have had something to check: answers with times, and errors as well as successes.
        Assert.True(times >= 30, $"only {times} times were checked");
        Assert.Contains(statuses, s => s.EndsWith(" 400", StringComparison.Ordinal));
        Assert.Contains(statuses, s => s.EndsWith(" 404", StringComparison.Ordinal));
        foreach (var expected in new[] { "GET /session/context/{user_id} 200", "POST /batch 200", "POST /capture 204", "POST /rules 201", "POST /rules 409",
                     "PUT /rules/{code} 200", "POST /rules/{code}/backtest 200", "POST /rules/backtest 200", "DELETE /rules/{code} 404", "POST /insights/api/rules 201" })
        {
            Assert.Contains(expected, statuses);
        }
    }

    [Fact]
    public async Task Every_example_of_the_document_is_valid_against_its_schema()
    {
        using var http = gateway.Node.CreateClient();
        var validator = new OpenApiValidator(await DocumentAsync(http));
        var checkedExamples = 0;
        var problems = new List<string>();
        foreach (var (key, operation) in Operations(validator.Document))
        {
            var media = operation.GetProperty("responses").EnumerateObject().Select(r => r.Value)
                .Concat(operation.TryGetProperty("requestBody", out var request) ? [request] : [])
                .Where(r => r.TryGetProperty("content", out _))
                .SelectMany(r => r.GetProperty("content").EnumerateObject())
                .Where(c => c.Name.EndsWith("json", StringComparison.Ordinal) && c.Value.TryGetProperty("example", out _));
            foreach (var m in media)
            {
                checkedExamples++;
                problems.AddRange(validator.Validate(m.Value.GetProperty("example"), m.Value.GetProperty("schema")).Select(p => $"{key} example: {p}"));
            }
        }
        Assert.Empty(problems);
        Assert.True(checkedExamples >= 15, $"only {checkedExamples} examples");
    }

    /// <summary>A user with a session and a pattern, so the answers have events, times and patterns to check.</summary>
    private static async Task PrepareAsync(HttpClient http)
    {
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);
        foreach (var e in new[] { Pageview(User, Session, t0, "/cart"), Pageview(User, Session, t0.AddSeconds(5), "/checkout"), Click(User, Session, t0.AddSeconds(9), "/checkout", "Pay now") })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(e))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(Pageview("conformance-erased", "s-erased", t0, "/")))).StatusCode);
        await ContextReader.WaitForAsync(http, User, c => ContextReader.EventCount(c) >= 3 && c.GetProperty("patterns").GetArrayLength() > 0);
        await ContextReader.WaitUntilAsync(async () => (await http.GetAsync($"/session/{Session}")).IsSuccessStatusCode, "the session view exists");
    }

    private static async Task<JsonElement> DocumentAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement.Clone();

    private static Dictionary<string, JsonElement> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch")
                .Select(m => (Key: $"{m.Name.ToUpperInvariant()} {p.Name}", m.Value)))
            .ToDictionary(o => o.Key, o => o.Value);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string CaptureEvent(string path) =>
        $$$"""{"event": "$pageview", "distinct_id": "conformance-capture", "uuid": "{{{Guid.NewGuid()}}}", "properties": {"token": "phc_conformance", "$session_id": "s-capture", "$pathname": "{{{path}}}"}}""";

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex LooksLikeTime();

    /// <summary>A line of GET /: "POST /rules/{code}/enable   Switches a rule on".</summary>
    [GeneratedRegex(@"^(GET|POST|PUT|DELETE|PATCH) (/\S*)", RegexOptions.Multiline)]
    private static partial Regex IndexLine();
}
