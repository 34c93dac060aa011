using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Enrichment;

/// <summary>Classifies a PostHog event by name (SPEC §2); see docs/enrichment.md for the table.</summary>
public static class EventClassifier
{
    public static EventClassification Classify(string eventName, JsonElement properties) => eventName switch
    {
        KnownEventNames.PageView => new(EventTypes.PageView, ActionTypes.View),
        KnownEventNames.PageLeave => new(EventTypes.Navigation, ActionTypes.Leave),
        KnownEventNames.RageClick => new(EventTypes.Click, ActionTypes.RageClick),
        KnownEventNames.Autocapture => new(EventTypes.Click, AutocaptureAction(properties)),
        // Extras beyond SPEC §2: PostHog events with a clear meaning (docs/enrichment.md).
        KnownEventNames.DeadClick => new(EventTypes.Click, ActionTypes.DeadClick),
        KnownEventNames.CopyAutocapture => new(EventTypes.Click, ActionTypes.Copy),
        KnownEventNames.Identify => new(EventTypes.Identify, ActionTypes.Identify),
        KnownEventNames.Exception => new(EventTypes.Error, ActionTypes.Exception),
        // Mobile SDKs' $pageview.
        KnownEventNames.Screen => new(EventTypes.PageView, ActionTypes.View),
        _ when eventName.StartsWith('$') => new(EventTypes.Unknown, ActionTypes.Unknown),
        _ => new(EventTypes.Custom, InferCustomAction(eventName)),
    };

    /// <summary>
    /// The action of a custom event from its name: case-insensitive substrings, checked in SPEC
    /// order, first match wins; no match is a click.
    /// </summary>
    public static string InferCustomAction(string eventName)
    {
        var name = eventName.AsSpan();
        if (Has(name, "click") || Has(name, "select") || Has(name, "choose"))
        {
            return ActionTypes.Click;
        }
        if (Has(name, "submit") || Has(name, "complete") || Has(name, "finish"))
        {
            return ActionTypes.Submit;
        }
        if (Has(name, "start") || Has(name, "open") || Has(name, "view") || Has(name, "navigate"))
        {
            return ActionTypes.Navigate;
        }
        return ActionTypes.Click;
    }

    private static string AutocaptureAction(JsonElement properties)
    {
        if (properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty("$event_type"u8, out var type)
            || type.ValueKind != JsonValueKind.String)
        {
            return ActionTypes.Click;
        }
        if (type.ValueEquals("submit"u8))
        {
            return ActionTypes.Submit;
        }
        if (type.ValueEquals("change"u8))
        {
            return ActionTypes.Change;
        }
        return ActionTypes.Click;
    }

    private static bool Has(ReadOnlySpan<char> name, string keyword) =>
        name.Contains(keyword, StringComparison.OrdinalIgnoreCase);
}
