using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SessionInsights.Gateway.Capture;

/// <summary>
/// Turns the <c>$elements</c> array older posthog-js versions send into PostHog's elements chain
/// string (the format of PostHog's <c>elements_to_string</c>), which enrichment reads.
/// </summary>
public static class ElementsChainBuilder
{
    /// <summary>The chain, or null when the array holds no element objects.</summary>
    public static string? Build(JsonElement elements)
    {
        var chain = new StringBuilder();
        foreach (var el in elements.EnumerateArray())
        {
            if (el.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            if (chain.Length > 0)
            {
                chain.Append(';');
            }
            AppendElement(chain, el);
        }
        return chain.Length == 0 ? null : chain.ToString();
    }

    private static void AppendElement(StringBuilder chain, JsonElement el)
    {
        chain.Append(Text(el, "tag_name"));
        var classes = Text(el, "attr__class");
        foreach (var cls in classes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
        {
            chain.Append('.').Append(cls.Replace("\"", ""));
        }
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["nth-child"] = Number(el, "nth_child"),
            ["nth-of-type"] = Number(el, "nth_of_type"),
        };
        AddIfPresent(attributes, "text", Text(el, "$el_text"));
        AddIfPresent(attributes, "href", Text(el, "attr__href"));
        AddIfPresent(attributes, "attr_id", Text(el, "attr__id"));
        foreach (var p in el.EnumerateObject())
        {
            if (p.Name.StartsWith("attr__", StringComparison.Ordinal))
            {
                attributes[p.Name] = Scalar(p.Value);
            }
        }
        chain.Append(':');
        foreach (var (key, value) in attributes)
        {
            chain.Append(Escape(key)).Append("=\"").Append(Escape(value)).Append('"');
        }
    }

    private static void AddIfPresent(SortedDictionary<string, string> attributes, string key, string value)
    {
        if (value.Length > 0)
        {
            attributes[key] = value;
        }
    }

    private static string Text(JsonElement el, string name) =>
        el.TryGetProperty(name, out var v) ? Scalar(v) : "";

    private static string Number(JsonElement el, string name) =>
        el.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : "0";

    private static string Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => "",
    };

    private static string Escape(string s) => s.Replace("\"", "\\\"");
}
