namespace SessionInsights.Domain.Enrichment;

/// <summary>What the enrichment uses from PostHog's <c>elements_chain</c> (SPEC §3).</summary>
public sealed class ParsedElementsChain
{
    public static readonly ParsedElementsChain Empty = new(null, null, [], []);

    internal ParsedElementsChain(string? elementType, string? elementText, CaptureAttribute[] attributes, string[] hierarchy)
    {
        ElementType = elementType;
        ElementText = elementText;
        Attributes = attributes;
        Hierarchy = hierarchy;
    }

    /// <summary>The clicked element's tag, lower-cased (<c>button</c>, <c>img</c>…); null when there is none.</summary>
    public string? ElementType { get; }

    /// <summary>The clicked element's <c>text</c>, else its <c>alt</c>; null when neither is there or both are blank.</summary>
    public string? ElementText { get; }

    /// <summary>The clicked element's capture attributes, in chain order.</summary>
    public IReadOnlyList<CaptureAttribute> Attributes { get; }

    /// <summary>The tags of the clicked element and up to four ancestors, innermost first.</summary>
    public IReadOnlyList<string> Hierarchy { get; }
}
