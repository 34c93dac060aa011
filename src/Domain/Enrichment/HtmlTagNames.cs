using System.Collections.Frozen;

namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// Shared lower-case instances of common tag names, so parsing a chain allocates no string for
/// the tags of a typical page.
/// </summary>
internal static class HtmlTagNames
{
    private static readonly FrozenSet<string> Common = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "a", "abbr", "article", "aside", "b", "body", "button", "canvas", "circle", "code", "dd", "details",
        "dialog", "div", "dl", "dt", "em", "fieldset", "figure", "footer", "form", "g", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "html", "i", "iframe", "img", "input", "label", "legend", "li", "line",
        "main", "nav", "ol", "option", "p", "path", "picture", "polygon", "polyline", "pre", "rect",
        "section", "select", "small", "span", "strong", "summary", "svg", "table", "tbody", "td",
        "textarea", "th", "thead", "tr", "u", "ul", "use", "video");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CommonBySpan =
        Common.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The lower-cased tag name, shared when it is a common one.</summary>
    public static string ToLowerTag(ReadOnlySpan<char> tag)
    {
        // The set compares ignoring case but hands back its own (lower-case) instance.
        if (CommonBySpan.TryGetValue(tag, out var shared))
        {
            return shared;
        }
        return string.Create(tag.Length, tag, static (dest, src) => src.ToLowerInvariant(dest));
    }
}
