using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Domain.Context;
using SessionInsights.Gateway.Demo;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// <c>GET /session/context/{id}?format=text&amp;max_tokens=N</c> over real HTTP, on the demo's journeys.
/// Prints the JSON-vs-text token table of docs/patterns-and-sessions.md §4.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContextForPromptTests(GatewayFixture gateway, ITestOutputHelper output)
{
    [Fact]
    public async Task Text_and_budgets_serve_the_demo_users_with_the_tokenizers_counts()
    {
        using var http = gateway.Node.CreateClient();
        var users = new List<(string User, int Events)>();
        foreach (var (name, steps) in DemoJourneys.All)
        {
            var user = $"demo-{name}-1";
            var session = $"s-prompt-{name}";
            var t0 = DateTimeOffset.UtcNow.AddSeconds(-20 * steps.Length - 60);
            for (var i = 0; i < steps.Length; i++)
            {
                var sent = await http.PostAsJsonAsync("/ingest", steps[i](user, session, t0.AddSeconds(20 * i)));
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            }
            users.Add((user, steps.Length));
        }
        var o200k = ContextTokenizers.Get("o200k_base")!;
        var cl100k = ContextTokenizers.Get("cl100k_base")!;
        output.WriteLine("| user | events | JSON tokens | text tokens | JSON / text |");
        foreach (var (user, events) in users)
        {
            await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == events && c.GetProperty("patterns").GetArrayLength() > 0);

            var json = await GetAsync(http, $"/session/context/{user}?tokenizer=o200k_base");
            Assert.Equal("application/json", json.ContentType);
            Assert.Equal(o200k.CountTokens(json.Body), json.Tokens);
            Assert.Equal(("0", "o200k_base"), (json.Headers[ContextEndpoints.EventsDroppedHeader], json.Headers[ContextEndpoints.TokenizerHeader]));

            var text = await GetAsync(http, $"/session/context/{user}?format=text");
            Assert.Equal("text/plain", text.ContentType);
            Assert.StartsWith($"User {user} | session started ", text.Body, StringComparison.Ordinal);
            Assert.Contains("\nRecent events (oldest first):\n", text.Body, StringComparison.Ordinal);
            Assert.Equal(o200k.CountTokens(text.Body), text.Tokens);
            Assert.True(text.Tokens * 2 < json.Tokens, $"text {text.Tokens} tokens, JSON {json.Tokens}");

            // Accept: text/plain asks for the same text; cl100k counts it its own way.
            var accepted = await GetAsync(http, $"/session/context/{user}?tokenizer=cl100k_base", "text/plain");
            Assert.Equal("text/plain", accepted.ContentType);
            Assert.Equal(cl100k.CountTokens(accepted.Body), accepted.Tokens);
            Assert.Equal("cl100k_base", accepted.Headers[ContextEndpoints.TokenizerHeader]);

            // A budget below the whole: the newest events stay, the count is within it.
            foreach (var format in new[] { "text", "json" })
            {
                var full = format == "text" ? text : json;
                // Well below the whole: relative times and a pattern's status move between reads, a few tokens either way.
                var budget = full.Tokens - 40;
                var trimmed = await GetAsync(http, $"/session/context/{user}?format={format}&max_tokens={budget}");
                Assert.InRange(trimmed.Tokens, 1, budget);
                Assert.Equal(o200k.CountTokens(trimmed.Body), trimmed.Tokens);
                Assert.True(int.Parse(trimmed.Headers[ContextEndpoints.EventsDroppedHeader], System.Globalization.CultureInfo.InvariantCulture) >= 1);
                if (format == "json")
                {
                    var doc = JsonDocument.Parse(trimmed.Body).RootElement;
                    Assert.Equal(events - int.Parse(trimmed.Headers[ContextEndpoints.EventsDroppedHeader], System.Globalization.CultureInfo.InvariantCulture), ContextReader.EventCount(doc));
                    Assert.Equal(ContextReader.PatternCodes(JsonDocument.Parse(json.Body).RootElement), ContextReader.PatternCodes(doc));
                }
            }
            output.WriteLine($"| {user} | {events} | {json.Tokens} | {text.Tokens} | {(double)json.Tokens / text.Tokens:0.0}× |");
            output.WriteLine(text.Body);
        }

        // Plain reads stay as they were: JSON, no token headers.
        var plain = await http.GetAsync($"/session/context/{users[0].User}");
        Assert.Equal("application/json", plain.Content.Headers.ContentType?.MediaType);
        Assert.False(plain.Headers.Contains(ContextEndpoints.TokensHeader));
        // The JSON floor (user, summary, last_session) takes more than 50 tokens: a 400 saying how many are needed.
        var tooSmall = await http.GetAsync($"/session/context/{users[0].User}?max_tokens=50");
        await ProblemAssert.ProblemAsync(tooSmall, 400, "max_tokens", "max_tokens=50 below the floor");
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("format=TEXT", "format")]
    [InlineData("max_tokens=49", "max_tokens")]
    [InlineData("max_tokens=100001", "max_tokens")]
    [InlineData("max_tokens=1e3", "max_tokens")]
    [InlineData("max_tokens=-100", "max_tokens")]
    [InlineData("tokenizer=gpt2", "tokenizer")]
    [InlineData("format=text&tokenizer=", "tokenizer")]
    public async Task Bad_format_budget_or_tokenizer_is_400_naming_it(string query, string field)
    {
        using var http = gateway.Node.CreateClient();

        var response = await http.GetAsync($"/session/context/nobody-prompt?{query}");

        await ProblemAssert.ProblemAsync(response, 400, field, query);
    }

    private sealed record Answer(string Body, string? ContentType, int Tokens, Dictionary<string, string> Headers);

    private static async Task<Answer> GetAsync(HttpClient http, string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(body, response.Content.Headers.ContentType?.MediaType, int.Parse(headers[ContextEndpoints.TokensHeader], System.Globalization.CultureInfo.InvariantCulture), headers);
    }
}
