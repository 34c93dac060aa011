using System.Text.Json;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Tests.Enrichment;

public class EventClassifierTests
{
    private static EventClassification Classify(string name, string propertiesJson = "{}")
    {
        using var doc = JsonDocument.Parse(propertiesJson);
        return EventClassifier.Classify(name, doc.RootElement);
    }

    [Theory]
    [InlineData("$pageview", "pageview", "view")]
    [InlineData("$pageleave", "navigation", "leave")]
    [InlineData("$rageclick", "click", "rage_click")]
    [InlineData("$some_future_event", "unknown", "unknown")]
    [InlineData("$web_vitals", "unknown", "unknown")]
    [InlineData("$", "unknown", "unknown")]
    public void SpecTable_SystemEvents(string name, string eventType, string actionType)
    {
        Assert.Equal(new EventClassification(eventType, actionType), Classify(name));
    }

    [Theory]
    [InlineData("""{"$event_type":"click"}""", "click")]
    [InlineData("""{"$event_type":"submit"}""", "submit")]
    [InlineData("""{"$event_type":"change"}""", "change")]
    [InlineData("""{}""", "click")]
    [InlineData("""{"$event_type":null}""", "click")]
    [InlineData("""{"$event_type":"scroll"}""", "click")]
    [InlineData("""{"$event_type":"SUBMIT"}""", "click")]
    [InlineData("""{"$event_type":3}""", "click")]
    public void SpecTable_Autocapture_ByEventType(string properties, string actionType)
    {
        Assert.Equal(new EventClassification("click", actionType), Classify("$autocapture", properties));
    }

    [Theory]
    [InlineData("product_clicked", "click")]
    [InlineData("item_selected", "click")]
    [InlineData("choose_plan", "click")]
    [InlineData("form_submitted", "submit")]
    [InlineData("payment_completed", "submit")]
    [InlineData("onboarding_finished", "submit")]
    [InlineData("plan_upgrade_started", "navigate")]
    [InlineData("modal_opened", "navigate")]
    [InlineData("page_viewed", "navigate")]
    [InlineData("navigate_to_cart", "navigate")]
    [InlineData("random_event", "click")]
    [InlineData("item_added_to_cart", "click")]
    public void SpecTable_CustomEvents_EachKeyword(string name, string actionType)
    {
        Assert.Equal(new EventClassification("custom", actionType), Classify(name));
    }

    [Theory]
    [InlineData("ProductCLICKED", "click")]
    [InlineData("Checkout_Started", "navigate")]
    [InlineData("SUBMIT", "submit")]
    public void CustomInference_IgnoresCase(string name, string actionType)
    {
        Assert.Equal(actionType, EventClassifier.InferCustomAction(name));
    }

    [Theory]
    // Groups are tried in SPEC order, so an earlier group wins whatever the position in the name.
    [InlineData("submit_then_click", "click")]
    [InlineData("view_and_select", "click")]
    [InlineData("started_and_completed", "submit")]
    [InlineData("opened_then_finished", "submit")]
    // Substrings match inside words: documented consequences.
    [InlineData("preview_shown", "navigate")]
    [InlineData("overview_loaded", "navigate")]
    [InlineData("restart_tour", "navigate")]
    [InlineData("viewport_resized", "navigate")]
    [InlineData("reopen_ticket", "navigate")]
    [InlineData("deselect_all", "click")]
    [InlineData("information_requested", "click")]
    [InlineData("item_chosen", "click")]
    [InlineData("completion_rate", "click")]
    public void CustomInference_FirstGroupInSpecOrderWins(string name, string actionType)
    {
        Assert.Equal(actionType, EventClassifier.InferCustomAction(name));
    }

    [Theory]
    [InlineData("$dead_click", "click", "dead_click")]
    [InlineData("$copy_autocapture", "click", "copy")]
    [InlineData("$identify", "identify", "identify")]
    [InlineData("$exception", "error", "exception")]
    [InlineData("$screen", "pageview", "view")]
    public void ExtraPostHogEvents(string name, string eventType, string actionType)
    {
        Assert.Equal(new EventClassification(eventType, actionType), Classify(name));
    }

    [Fact]
    public void EventNamesAreCaseSensitive_UpperCaseDollarNameIsUnknown()
    {
        Assert.Equal(new EventClassification("unknown", "unknown"), Classify("$PAGEVIEW"));
    }
}
