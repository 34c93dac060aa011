using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using SessionInsights.Gateway.Demo;
using SessionInsights.Integration.Tests.Api;
using SessionInsights.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionInsights.Integration.Tests.Examples;

/// <summary>
/// examples/SupportBot, built and run as a user runs it (<c>dotnet SupportBot.dll</c>), against a real
/// gateway over real HTTP: the prompt it prints from the text context, the live stream it follows,
/// and its exit codes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class SupportBotTests(GatewayFixture gateway, ITestOutputHelper output)
{
    private const string Bot = "SupportBot";

    /// <summary>
    /// The demo's checkout abandoner: 11 events; the seed rules fire two HIGH patterns, pending:
    /// cart_abandonment_with_items at the Add to Cart click and checkout_abandonment at the Checkout click.
    /// </summary>
    private static readonly DemoJourneys.Step[] Journey = DemoJourneys.All.Single(j => j.Name == "checkout-abandoner").Steps;

    [Fact]
    public async Task Prints_the_prompt_with_the_context_the_question_and_the_token_line()
    {
        using var http = gateway.Node.CreateClient();
        const string user = "bot-prompt-1";
        await PostJourneyAsync(http, user);
        await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == Journey.Length && c.GetProperty("patterns").GetArrayLength() > 0);

        var (exit, printed) = await ExampleProcess.RunAsync(Bot, "--url", Url, "--user", user, "--question", "Why can't I pay?");

        output.WriteLine(printed);
        Assert.True(exit == 0, printed);
        string[] inOrder =
        [
            "=== system ===", "Patterns are heuristics", "Do not reveal ids", $"User {user} | session started ", "Summary: Viewed 5 pages",
            "Patterns:\nHIGH  Went to checkout but did not finish the purchase", "Recent events (oldest first):", "Left checkout page",
            "=== user ===\nWhy can't I pay?\n", "=== context: ",
        ];
        AssertInOrder(printed, inOrder);
        var tokens = TokenLine().Match(printed);
        Assert.True(tokens.Success, printed);
        Assert.Equal(("o200k_base", "0"), (tokens.Groups["tokenizer"].Value, tokens.Groups["events"].Value));

        // A budget below the whole: the line says what the gateway dropped, and the pattern stays.
        var (trimmedExit, trimmed) = await ExampleProcess.RunAsync(Bot, "--url", Url, "--user", user, "--max-tokens", "120");
        Assert.True(trimmedExit == 0, trimmed);
        var dropped = TokenLine().Match(trimmed);
        Assert.True(dropped.Success && int.Parse(dropped.Groups["tokens"].Value) <= 120 && int.Parse(dropped.Groups["events"].Value) > 0, trimmed);
        Assert.Contains("HIGH  Went to checkout", trimmed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_prints_each_item_in_order_and_a_proactive_message_with_the_refreshed_prompt()
    {
        using var http = gateway.Node.CreateClient();
        const string user = "bot-listen-1";
        // The journey's 11 events and the two patterns it fires.
        await using var bot = ExampleProcess.Start(Bot, "--url", Url, "--user", user, "--listen", "--max-items", $"{Journey.Length + 2}");
        await bot.WaitForOutputAsync("listening");

        await PostJourneyAsync(http, user);

        var exit = await bot.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(bot.Output);
        Assert.True(exit == 0, bot.Output);
        AssertInOrder(bot.Output,
        [
            "listening", "event ", "/  Viewed home page", "Clicked 'Add to Cart' product card",
            "pattern ", ":cart_abandonment_with_items  HIGH pending  Added items to the cart",
            "=== system ===", $"User {user} | session started ", "Clicked 'Add to Cart' product card",
            "=== assistant (proactive) ===\nHi! It looks like something may not have gone as planned (added items to the cart",
            "=== context: ", "/products/phantom-x-pro  Item added to cart", "/cart  Clicked 'Checkout' button",
            "pattern ", ":checkout_abandonment  HIGH pending  Went to checkout but did not finish the purchase",
            "=== system ===", "HIGH  Went to checkout", "Clicked 'Checkout' button",
            "=== assistant (proactive) ===\nHi! It looks like something may not have gone as planned (went to checkout",
            "=== context: ", "/checkout  Viewed checkout page", "/checkout  Left checkout page",
        ]);
        // One line per item, in the raw log's order; one proactive message per pattern.
        var ids = ItemLine().Matches(bot.Output).Select(m => long.Parse(m.Groups["seq"].Value)).ToList();
        Assert.Equal(Journey.Length + 2, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(2, Regex.Matches(bot.Output, "=== assistant \\(proactive\\) ===").Count);
    }

    [Fact]
    public async Task A_wrong_key_exits_1_with_the_problem_and_bad_usage_exits_2()
    {
        var (exit, printed) = await ExampleProcess.RunAsync(Bot, "--url", Url, "--user", "bot-nobody", "--key", "sis_wrong");
        Assert.True(exit == 1, printed);
        Assert.Contains("error: HTTP 401 A secret key is required: Authorization is not a secret key in force", printed, StringComparison.Ordinal);

        var (listenExit, listened) = await ExampleProcess.RunAsync(Bot, "--url", Url, "--user", "bot-nobody", "--key", "sis_wrong", "--listen");
        Assert.True(listenExit == 1, listened);
        Assert.Contains("error: HTTP 401 A secret key is required", listened, StringComparison.Ordinal);

        var (tooSmall, problem) = await ExampleProcess.RunAsync(Bot, "--url", Url, "--user", "bot-nobody", "--max-tokens", "49");
        Assert.True(tooSmall == 1, problem);
        Assert.Contains("error: HTTP 400 Invalid request: max_tokens", problem, StringComparison.Ordinal);

        foreach (var args in new[] { new[] { "--url", Url }, ["--url", "localhost", "--user", "u"], ["--url", Url, "--user", "u", "--max-items", "3"], ["--url", Url, "--user", "u", "--max-tokens", "many"], ["--bogus"] })
        {
            var (usage, text) = await ExampleProcess.RunAsync(Bot, args);
            Assert.True(usage == 2, $"{string.Join(' ', args)}: {text}");
            Assert.Contains("usage: SupportBot", text, StringComparison.Ordinal);
        }
    }

    private string Url => gateway.Node.BaseAddress!.ToString().TrimEnd('/');

    private static async Task PostJourneyAsync(HttpClient http, string user)
    {
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-20 * Journey.Length - 60);
        for (var i = 0; i < Journey.Length; i++)
        {
            var sent = await http.PostAsJsonAsync("/ingest", Journey[i](user, $"s-{user}", t0.AddSeconds(20 * i)));
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }
    }

    private static void AssertInOrder(string text, string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' after position {at} in:\n{text}");
            at = found + part.Length;
        }
    }

    [GeneratedRegex(@"=== context: (?<tokens>\d+) tokens \((?<tokenizer>[a-z0-9_]+)\); dropped: (?<events>\d+) events, \d+ patterns, \d+ previous sessions ===")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"^(?:event|pattern|pattern_confirmed) (?<seq>\d+)", RegexOptions.Multiline)]
    private static partial Regex ItemLine();
}
