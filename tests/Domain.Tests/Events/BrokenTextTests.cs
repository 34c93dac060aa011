using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Events;

/// <summary>Half of a surrogate pair (<c>\ud83d</c>) in a field the parser reads is a named 400, not a crash.</summary>
public class BrokenTextTests
{
    private const string Half = "\"Great \\ud83d\"";

    [Theory]
    [InlineData("event", "{\"event\":" + Half + ",\"distinct_id\":\"u\",\"timestamp\":\"2025-12-08T21:48:08Z\"}")]
    [InlineData("distinct_id", "{\"event\":\"x\",\"distinct_id\":" + Half + ",\"timestamp\":\"2025-12-08T21:48:08Z\"}")]
    [InlineData("properties.$session_id", "{\"event\":\"x\",\"distinct_id\":\"u\",\"timestamp\":\"2025-12-08T21:48:08Z\",\"properties\":{\"$session_id\":" + Half + "}}")]
    [InlineData("elements_chain", "{\"event\":\"x\",\"distinct_id\":\"u\",\"timestamp\":\"2025-12-08T21:48:08Z\",\"elements_chain\":" + Half + "}")]
    public void A_field_the_parser_reads_is_refused_by_name(string field, string json)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.False(PostHogEventParser.TryParse(doc.RootElement, out var evt, out var error));

        Assert.Null(evt);
        Assert.Equal(field, error!.Field);
        Assert.Equal(BrokenText.Problem, error.Problem);
    }

    [Fact]
    public void Broken_text_in_another_property_is_not_read_here_and_passes()
    {
        using var doc = JsonDocument.Parse("{\"event\":\"x\",\"distinct_id\":\"u\",\"timestamp\":\"2025-12-08T21:48:08Z\",\"properties\":{\"note\":" + Half + "}}");

        Assert.True(PostHogEventParser.TryParse(doc.RootElement, out _, out var error), error?.ToString());
    }

    [Fact]
    public void Find_names_the_path_and_whole_pairs_are_text()
    {
        using var broken = JsonDocument.Parse("{\"a\":[\"ok\",{\"b\":" + Half + "}]}");
        using var whole = JsonDocument.Parse("{\"a\":\"\\ud83d\\ude00\"}");

        Assert.Equal("a[1].b", BrokenText.Find(broken.RootElement));
        Assert.Null(BrokenText.Find(whole.RootElement));
    }
}
