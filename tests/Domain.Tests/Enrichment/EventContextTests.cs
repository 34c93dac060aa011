using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using static SessionInsights.Domain.Tests.Enrichment.TestEvents;

namespace SessionInsights.Domain.Tests.Enrichment;

public class EventContextTests
{
    private static JsonElement Context(string name, string propertiesJson = "{}", string? chain = null) =>
        ContextOf(Enrich(name, propertiesJson, chain));

    private static List<string> Keys(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public void PostHogKeysTokenAndDistinctId_AreLeftOut_OwnPropertiesKeptVerbatim()
    {
        var context = Context("item_added_to_cart", """
            {"$session_id":"s","$current_url":"https://x.io/","$event_type":null,"token":"phc_x","distinct_id":"u",
             "product_id":42,"price":899.99,"in_stock":true,"tags":["fpv","racing"],"variant":{"color":"red"},"note":null}
            """);

        Assert.Equal(["product_id", "price", "in_stock", "tags", "variant", "note", "hierarchy", "posthog_event"], Keys(context));
        Assert.Equal(42, context.GetProperty("product_id").GetInt32());
        Assert.Equal("899.99", context.GetProperty("price").GetRawText());
        Assert.True(context.GetProperty("in_stock").GetBoolean());
        Assert.Equal("""["fpv","racing"]""", context.GetProperty("tags").GetRawText());
        Assert.Equal("red", context.GetProperty("variant").GetProperty("color").GetString());
        Assert.Equal(JsonValueKind.Null, context.GetProperty("note").ValueKind);
    }

    [Fact]
    public void CaptureAttributes_DashesBecomeUnderscores()
    {
        var context = Context("$autocapture", "{}",
            "div.card:attr__data-ph-capture-attribute-product-id=\"2\"attr__data-ph-capture-attribute-product-name=\"Racing Raptor\"text=\"x\"");

        Assert.Equal("2", context.GetProperty("product_id").GetString());
        Assert.Equal("Racing Raptor", context.GetProperty("product_name").GetString());
        Assert.False(context.TryGetProperty("product-id", out _));
    }

    [Fact]
    public void Hierarchy_AndPostHogEvent_AreAdded()
    {
        var context = Context("$autocapture", "{}", RealChains.AboutNavButton);

        Assert.Equal(["button", "nav", "div", "div", "header"], context.GetProperty("hierarchy").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("$autocapture", context.GetProperty("posthog_event").GetString());
        Assert.Equal("about", context.GetProperty("nav").GetString());
    }

    [Fact]
    public void NoPropertiesNoChain_OnlyTheAddedKeys()
    {
        Assert.Equal("""{"hierarchy":[],"posthog_event":"$pageview"}""", Enrich("$pageview").Context.ToString());
    }

    [Fact]
    public void AddedKeys_WinOverPropertiesOfTheSameName_NoDuplicateKeys()
    {
        var context = Context("$autocapture",
            """{"hierarchy":"mine","posthog_event":"mine","product_id":"from-properties","kept":1}""",
            "div:attr__data-ph-capture-attribute-product-id=\"from-chain\"");

        Assert.Equal(["kept", "product_id", "hierarchy", "posthog_event"], Keys(context));
        Assert.Equal("from-chain", context.GetProperty("product_id").GetString());
        Assert.Equal(JsonValueKind.Array, context.GetProperty("hierarchy").ValueKind);
        Assert.Equal("$autocapture", context.GetProperty("posthog_event").GetString());
    }

    [Fact]
    public void AttributesWithTheSameContextKey_FirstOneWins()
    {
        var context = Context("$autocapture", "{}",
            "div:attr__data-ph-capture-attribute-plan-id=\"first\"attr__data-ph-capture-attribute-plan_id=\"second\"");

        Assert.Equal(["plan_id", "hierarchy", "posthog_event"], Keys(context));
        Assert.Equal("first", context.GetProperty("plan_id").GetString());
    }

    [Fact]
    public void EscapedPropertyNames_AreFilteredByTheirDecodedName()
    {
        var context = Context("x", """{"\u0024lib":"web","t\u006fken":"secret","caf\u00e9":"ok"}""");

        Assert.Equal(["café", "hierarchy", "posthog_event"], Keys(context));
    }

    [Fact]
    public void NonAsciiAndQuotes_AreWrittenReadably()
    {
        var e = Enrich("x", """{"city":"Zürich","quote":"it's \"good\""}""");
        var text = Encoding.UTF8.GetString(e.Context.Utf8Json.Span);

        Assert.Contains("\"city\":\"Zürich\"", text);
        Assert.Contains("it's", text);
        Assert.Equal("it's \"good\"", ContextOf(e).GetProperty("quote").GetString());
    }

    [Fact]
    public void ConsecutiveEvents_DoNotShareContextData()
    {
        var first = Enrich("a", """{"only_in_first":1}""", "button:attr__data-ph-capture-attribute-nav=\"x\"");
        var second = Enrich("b", """{"only_in_second":2}""");

        Assert.Equal("""{"only_in_second":2,"hierarchy":[],"posthog_event":"b"}""", second.Context.ToString());
        Assert.Contains("only_in_first", first.Context.ToString());
    }

    [Fact]
    public void HugeProperties_AreWrittenWhole()
    {
        var big = new string('x', 200_000);
        var context = Context("x", $$"""{"blob":"{{big}}"}""");

        Assert.Equal(big, context.GetProperty("blob").GetString());
        Assert.Equal("""{"small":1,"hierarchy":[],"posthog_event":"y"}""", Enrich("y", """{"small":1}""").Context.ToString());
    }
}
