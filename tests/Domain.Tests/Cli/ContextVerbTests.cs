using System.Text;
using System.Text.Json;
using SessionInsights.Cli;
using SessionInsights.Cli.Verbs;

namespace SessionInsights.Domain.Tests.Cli;

public sealed class ContextVerbTests : IDisposable
{
    // Newest first, as PostHog exports are: the verb must apply them in timestamp order.
    private const string Export = """
        [
          {"event": "$pageview", "distinct_id": "bob", "timestamp": "2025-12-09 10:05:00", "uuid": "0193a1b2-0000-7000-8000-00000000000b",
           "properties": {"$session_id": "s-bob", "$pathname": "/pricing"}},
          {"event": {"event": "$autocapture", "distinct_id": "alice", "timestamp": "2025-12-09T10:02:00Z", "uuid": "0193a1b2-0000-7000-8000-000000000003",
           "properties": {"$session_id": "s-alice", "$pathname": "/cart", "$event_type": "click"},
           "elements_chain": "button.btn:attr__class=\"btn\"nth-child=\"1\"nth-of-type=\"1\"text=\"Checkout\";div.cart"}},
          {"event": "item_added_to_cart", "distinct_id": "alice", "timestamp": "2025-12-09T10:01:00Z", "uuid": "0193a1b2-0000-7000-8000-000000000002",
           "properties": {"$session_id": "s-alice", "$pathname": "/products/phantom-x-pro"}},
          {"event": "$pageview", "distinct_id": "alice", "timestamp": "2025-12-09T10:00:00Z", "uuid": "0193a1b2-0000-7000-8000-000000000001",
           "properties": {"$session_id": "s-alice", "$pathname": "/products/phantom-x-pro"}},
          {"event": "$pageview", "timestamp": "2025-12-09T10:00:00Z", "properties": {}}
        ]
        """;

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"context-verb-{Guid.NewGuid():N}.json");

    public ContextVerbTests() => File.WriteAllText(_file, Export);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void EveryUser_KeyedById_EventsInTimestampOrder()
    {
        var (code, output, errors) = Run(_file);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(["alice", "bob"], output.EnumerateObject().Select(p => p.Name));
        var alice = output.GetProperty("alice");
        Assert.Equal("alice", alice.GetProperty("user_id").GetString());
        Assert.Equal(
            ["Viewed products page", "Item added to cart", "Clicked 'Checkout' button"],
            alice.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("semantic_label").GetString()));
        Assert.Equal([1, 2, 3], alice.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("0193a1b2-0000-7000-8000-000000000001", alice.GetProperty("recent_events")[0].GetProperty("raw_event_id").GetString());
        Assert.Equal(JsonValueKind.String, alice.GetProperty("last_session_summary").ValueKind);
        Assert.Equal(JsonValueKind.Array, alice.GetProperty("patterns").ValueKind);
        // The invalid entry (no distinct_id) is reported, and the rest still read.
        Assert.Contains("index 4", errors);
        Assert.Contains("distinct_id", errors);
    }

    [Fact]
    public void OneUser_IsTheBareContext()
    {
        var (code, output, _) = Run(_file, "--user", "bob");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("bob", output.GetProperty("user_id").GetString());
        Assert.Equal(1, output.GetProperty("recent_events").GetArrayLength());
    }

    [Fact]
    public void Limit_KeepsTheLatestEvents()
    {
        var (_, output, _) = Run("--limit", "2", _file, "--user", "alice");

        Assert.Equal(
            ["Item added to cart", "Clicked 'Checkout' button"],
            output.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("semantic_label").GetString()));
    }

    [Fact]
    public void UnknownUser_IsAnEmptyContext_AndSaysSo()
    {
        var (code, output, errors) = Run(_file, "--user", "nobody");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(0, output.GetProperty("recent_events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, output.GetProperty("last_session_summary").ValueKind);
        Assert.Contains("no events for user 'nobody'", errors);
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "501")]
    [InlineData("--user")]
    [InlineData("--bogus", "1")]
    public void BadArguments_AreUsageErrors(params string[] extra)
    {
        var (code, _, errors) = Run([_file, .. extra]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("usage:", errors);
    }

    [Fact]
    public void MissingFile_IsUnreadable()
    {
        var stderr = new StringWriter();

        Assert.Equal(ExitCodes.InputUnreadable, new ContextVerb().Run([_file + ".missing"], new MemoryStream(), stderr));
        Assert.Contains("cannot read", stderr.ToString());
    }

    private static (int Code, JsonElement Output, string Errors) Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var code = new ContextVerb().Run(args, stdout, stderr);
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        var output = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (code, output, stderr.ToString());
    }
}
