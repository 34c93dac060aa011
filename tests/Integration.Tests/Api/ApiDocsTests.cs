using System.Net;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Api;

/// <summary><c>/docs</c> is a working page over the OpenAPI document, and the document lists the API.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiDocsTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Docs_page_is_html_that_loads_its_script_and_the_openapi_document()
    {
        using var http = gateway.Node.CreateClient();

        var response = await http.GetAsync("/docs");

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"app\">", page, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"openapi/v1.json\"", page, StringComparison.Ordinal);
        // The page is only useful if the script it loads is served from where it points.
        var pageUri = response.RequestMessage!.RequestUri!;
        var script = await http.GetAsync(new Uri(pageUri, "scalar.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        // Scalar resolves the source against the site root (the page's path minus /docs/).
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Openapi_document_is_json_listing_every_main_path_and_method()
    {
        using var http = gateway.Node.CreateClient();

        var response = await http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.GetProperty("paths");
        var expected = new (string Path, string Method)[]
        {
            ("/ingest", "post"),
            ("/batch", "post"),
            ("/capture", "post"),
            ("/e", "post"),
            ("/i/v0/e", "post"),
            ("/session/context/{user_id}", "get"),
            ("/session/stream/{user_id}", "get"),
            ("/session/{session_id}", "get"),
            ("/events/failed", "get"),
            ("/ingestion-warnings", "get"),
            ("/rules/backtest", "post"),
            ("/health", "get"),
        };
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
            Assert.True(item.TryGetProperty(method, out _), $"{path} has no {method}");
        }
        // Orleans' dashboard is its own UI, not this API; the context's 200 has both of its forms.
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/dashboard", StringComparison.Ordinal));
        var forms = paths.GetProperty("/session/context/{user_id}").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(["application/json", "text/plain"], forms.EnumerateObject().Select(c => c.Name).Order());
        Assert.Equal("#/components/schemas/UserContextDocument", forms.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal(["events_limit", "session_id"], Parameters(paths, "/session/{session_id}"));
        Assert.Equal(["format", "lookback_hours", "max_tokens", "patterns", "previous_sessions", "recent_events_limit", "tokenizer", "user_id"], Parameters(paths, "/session/context/{user_id}"));
    }

    private static List<string> Parameters(JsonElement paths, string path) =>
        [.. paths.GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order()];
}
