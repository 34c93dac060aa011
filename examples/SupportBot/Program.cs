using SupportBot;

// An example support bot: reads a user's context from Session Insights and prints the prompt it would
// send to a model (no model is called), or listens to the user's live stream. README.md beside this file.
const string Usage = """
    usage: SupportBot --url URL --user USER_ID [--key SECRET_KEY] [--max-tokens N] [--question TEXT]
                      [--listen [--max-items N]]
      --key          the project's secret key (sis_…); default: env SESSIONINSIGHTS_KEY; none: anonymous
      --max-tokens   the context's budget, 50-100000 (default 1500)
      --question     the user's chat message (default: a generic "I need help")
      --listen       follow the live stream; a HIGH or confirmed pattern prints a proactive message
      --max-items    with --listen: stop after N stream items (default: until Ctrl+C)
    exit codes: 0 done, 1 HTTP error, 2 bad usage
    """;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--listen")
    {
        options["listen"] = "";
    }
    else if (args[i] is "--url" or "--key" or "--user" or "--max-tokens" or "--question" or "--max-items" && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else
    {
        return Fail($"unknown or incomplete option '{args[i]}'");
    }
}
if (!options.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var baseUri))
{
    return Fail("--url must be the gateway's absolute URL, e.g. http://localhost:5000");
}
if (!options.TryGetValue("user", out var user) || string.IsNullOrWhiteSpace(user))
{
    return Fail("--user is required");
}
var maxTokens = 1500;
if (options.TryGetValue("max-tokens", out var mt) && (!int.TryParse(mt, out maxTokens) || maxTokens < 1))
{
    // The gateway checks the range (50-100000) and says so in a 400.
    return Fail("--max-tokens must be a positive whole number");
}
int? maxItems = null;
if (options.TryGetValue("max-items", out var mi))
{
    if (!int.TryParse(mi, out var n) || n < 1 || !options.ContainsKey("listen"))
    {
        return Fail("--max-items must be a positive whole number, with --listen");
    }
    maxItems = n;
}
var key = options.GetValueOrDefault("key") ?? Environment.GetEnvironmentVariable("SESSIONINSIGHTS_KEY");
var question = options.GetValueOrDefault("question") ?? "Hi, I need some help.";

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C ends the listener cleanly instead of killing the process mid-line.
    e.Cancel = true;
    stop.Cancel();
};
using var http = new HttpClient { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
var gateway = new Gateway(http, key, user, maxTokens);
try
{
    if (!options.ContainsKey("listen"))
    {
        var context = await gateway.ReadContextAsync(stop.Token);
        Console.Write(Prompt.Build(context, Prompt.UserTurn(question)));
        return 0;
    }
    await new Listener(gateway, question, maxItems).RunAsync(stop.Token);
    return 0;
}
catch (GatewayException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"error: {url} did not answer: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 0;
}

static int Fail(string problem)
{
    Console.Error.WriteLine($"error: {problem}\n{Usage}");
    return 2;
}
