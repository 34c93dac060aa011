using System.Runtime.InteropServices;
using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// Writes an event's one-line description (SPEC §4 label table, plus the extras in
/// docs/enrichment.md). Templates and enrichment rules are compiled once from the options.
/// </summary>
internal sealed class SemanticLabeler
{
    private const string BaseTypePlaceholder = "base_type";
    private const string NoElement = "element";

    private readonly Dictionary<string, LabelTemplate> _customTemplates;
    private readonly Dictionary<string, LabelTemplate> _enrichmentRules;
    private readonly int _maxLength;

    /// <summary>Room for one character and the "..." of a cut label.</summary>
    internal const int MinMaxLength = 4;

    public SemanticLabeler(EnrichmentOptions options)
    {
        // Fail at startup on a bad setting rather than writing empty or broken labels later.
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SemanticLabelMaxLength, MinMaxLength, "SemanticLabelMaxLength");
        _customTemplates = Compile(options.CustomEventTemplates);
        _enrichmentRules = Compile(options.EnrichmentRules);
        _maxLength = options.SemanticLabelMaxLength;
    }

    public string Label(PostHogEvent e, EventClassification c, PageInfo page, ParsedElementsChain chain)
    {
        var b = new LabelBuilder(stackalloc char[256]);
        try
        {
            Compose(ref b, e, c, page, chain);
            return b.ToLabel(_maxLength);
        }
        finally
        {
            b.Dispose();
        }
    }

    private void Compose(ref LabelBuilder b, PostHogEvent e, EventClassification c, PageInfo page, ParsedElementsChain chain)
    {
        var type = chain.ElementType ?? NoElement;
        var text = chain.ElementText;

        switch (c.ActionType)
        {
            case ActionTypes.View when e.Event == KnownEventNames.Screen && TryGetString(e.Properties, "$screen_name"u8, out var screen):
                b.Append("Viewed ");
                b.AppendUtf8(JsonUtf8.StringValue(screen));
                b.Append(" screen");
                return;
            case ActionTypes.View when c.EventType == EventTypes.PageView:
                b.Append("Viewed ");
                b.Append(page.Title);
                return;
            case ActionTypes.RageClick:
                ComposeRageClick(ref b, chain, page);
                return;
            case ActionTypes.Leave:
                b.Append("Left ");
                b.Append(page.Title);
                return;
            case ActionTypes.Copy:
                b.Append("Copied text on ");
                b.Append(page.Title);
                return;
            case ActionTypes.Identify:
                b.Append("Identified user");
                return;
            case ActionTypes.Exception:
                ComposeException(ref b, e.Properties, page);
                return;
        }

        switch (c.EventType)
        {
            case EventTypes.Click:
                if (text is not null)
                {
                    b.Append("Clicked '");
                    b.Append(text);
                    b.Append("' ");
                    AppendEnrichedType(ref b, type, chain.Attributes);
                }
                else
                {
                    b.Append("Clicked ");
                    b.Append(type);
                    b.Append(" on ");
                    b.Append(page.Title);
                }
                if (c.ActionType == ActionTypes.DeadClick)
                {
                    b.Append(" (no response)");
                }
                return;
            case EventTypes.Custom:
                if (!(_customTemplates.TryGetValue(e.Event, out var template) && TryFill(ref b, template, e.Properties)))
                {
                    AppendHumanizedEventName(ref b, e.Event);
                }
                return;
            default:
                b.Append("Event on ");
                b.Append(page.Title);
                return;
        }
    }

    private static void ComposeRageClick(ref LabelBuilder b, ParsedElementsChain chain, PageInfo page)
    {
        b.Append("Rage-clicked ");
        if (chain.ElementText is { } text)
        {
            b.Append("'");
            b.Append(text);
            b.Append("' ");
            b.Append(chain.ElementType ?? NoElement);
            return;
        }
        if (chain.ElementType is { } type)
        {
            b.Append(type);
            b.Append(' ');
        }
        b.Append("on ");
        b.Append(page.Title);
    }

    /// <summary>
    /// "Error on {page}: {message}". posthog-js has sent the message as <c>$exception_message</c> /
    /// <c>$exception_type</c> and, since 2024, inside <c>$exception_list</c>; the first found wins.
    /// </summary>
    private static void ComposeException(ref LabelBuilder b, JsonElement properties, PageInfo page)
    {
        b.Append("Error on ");
        b.Append(page.Title);
        if (TryGetString(properties, "$exception_message"u8, out var detail)
            || TryGetString(properties, "$exception_type"u8, out detail)
            || TryGetFirstExceptionField(properties, "value"u8, out detail)
            || TryGetFirstExceptionField(properties, "type"u8, out detail))
        {
            b.Append(": ");
            b.AppendUtf8(JsonUtf8.StringValue(detail));
        }
    }

    private static bool TryGetFirstExceptionField(JsonElement properties, ReadOnlySpan<byte> field, out JsonElement value)
    {
        value = default;
        return properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("$exception_list"u8, out var list)
            && list.ValueKind == JsonValueKind.Array
            && list.GetArrayLength() > 0
            && TryGetString(list[0], field, out value);
    }

    /// <summary>The first capture attribute, in chain order, that has a rule decides the type's wording.</summary>
    private void AppendEnrichedType(ref LabelBuilder b, string type, IReadOnlyList<CaptureAttribute> attributes)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            if (_enrichmentRules.TryGetValue(attributes[i].Name, out var rule))
            {
                foreach (var part in rule.Parts)
                {
                    if (!part.IsPlaceholder)
                    {
                        b.Append(part.Text);
                    }
                    else if (part.Text == BaseTypePlaceholder)
                    {
                        b.Append(type);
                    }
                    else
                    {
                        // A rule's other placeholders have nothing to fill them, so they stay as written.
                        b.Append('{');
                        b.Append(part.Text);
                        b.Append('}');
                    }
                }
                return;
            }
        }
        b.Append(type);
    }

    /// <summary>
    /// Fills a custom-event template when every placeholder is a non-null property: strings by
    /// value, anything else (numbers, booleans…) by its JSON text. Returns false, having written
    /// nothing, when one is missing.
    /// </summary>
    private static bool TryFill(ref LabelBuilder b, LabelTemplate template, JsonElement properties)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (var part in template.Parts)
        {
            if (part.IsPlaceholder
                && (!properties.TryGetProperty(part.Text, out var v) || v.ValueKind == JsonValueKind.Null))
            {
                return false;
            }
        }
        foreach (var part in template.Parts)
        {
            if (!part.IsPlaceholder)
            {
                b.Append(part.Text);
                continue;
            }
            var value = properties.GetProperty(part.Text);
            b.AppendUtf8(value.ValueKind == JsonValueKind.String ? JsonUtf8.StringValue(value) : JsonMarshal.GetRawUtf8Value(value));
        }
        return true;
    }

    /// <summary>"Item_Added_To_Cart" → "item added to cart" (capitalized later with the rest of the label).</summary>
    private static void AppendHumanizedEventName(ref LabelBuilder b, string eventName)
    {
        foreach (var ch in eventName)
        {
            b.Append(ch == '_' ? ' ' : char.ToLowerInvariant(ch));
        }
    }

    private static bool TryGetString(JsonElement obj, ReadOnlySpan<byte> name, out JsonElement value)
    {
        value = default;
        return obj.ValueKind == JsonValueKind.Object
            && obj.TryGetProperty(name, out value)
            && value.ValueKind == JsonValueKind.String
            && !value.ValueEquals(""u8);
    }

    private static Dictionary<string, LabelTemplate> Compile(IReadOnlyDictionary<string, string> templates)
    {
        var compiled = new Dictionary<string, LabelTemplate>(templates.Count, StringComparer.Ordinal);
        foreach (var (key, template) in templates)
        {
            compiled[key] = LabelTemplate.Compile(template);
        }
        return compiled;
    }
}
