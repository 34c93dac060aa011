using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Events;

public class EventEnvelopeTests
{
    private static string UnwrappedName(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return EventEnvelope.Unwrap(doc.RootElement).GetProperty("event").GetString()!;
    }

    [Fact]
    public void BareEvent_IsItself()
    {
        Assert.Equal("$pageview", UnwrappedName("""{"event":"$pageview","distinct_id":"u"}"""));
    }

    [Fact]
    public void SeedsEnvelope_GivesTheInnerEvent()
    {
        Assert.Equal("$pageview", UnwrappedName("""{"event":{"event":"$pageview","distinct_id":"u"}}"""));
    }

    [Fact]
    public void WebhookEnvelopeWithPerson_GivesTheInnerEvent()
    {
        Assert.Equal("product_clicked", UnwrappedName(
            """{"event":{"event":"product_clicked","distinct_id":"u"},"person":{"id":"p","properties":{"email":"a@b.c"}}}"""));
    }

    [Fact]
    public void NonObject_IsReturnedForTheParserToReject()
    {
        using var doc = JsonDocument.Parse("[1,2]");
        Assert.Equal(JsonValueKind.Array, EventEnvelope.Unwrap(doc.RootElement).ValueKind);
    }
}
