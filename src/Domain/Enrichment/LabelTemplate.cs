namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// A configured text with <c>{name}</c> placeholders (custom-event templates, enrichment rules),
/// split once at startup so filling it per event is only appends.
/// </summary>
/// <remarks>
/// A <c>{</c> without a closing <c>}</c>, or with nothing between, stays literal text.
/// </remarks>
internal sealed class LabelTemplate
{
    private LabelTemplate(Part[] parts) => Parts = parts;

    public Part[] Parts { get; }

    public static LabelTemplate Compile(string template)
    {
        var parts = new List<Part>();
        var literalStart = 0;
        var p = 0;
        while (p < template.Length)
        {
            var open = template.IndexOf('{', p);
            if (open < 0)
            {
                break;
            }
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }
            // "{a{b}": the placeholder is the innermost "{b}".
            var innerOpen = template.LastIndexOf('{', close - 1, close - open);
            if (close == innerOpen + 1)
            {
                p = close + 1;
                continue;
            }
            if (innerOpen > literalStart)
            {
                parts.Add(new Part(template[literalStart..innerOpen], false));
            }
            parts.Add(new Part(template[(innerOpen + 1)..close], true));
            literalStart = p = close + 1;
        }
        if (literalStart < template.Length)
        {
            parts.Add(new Part(template[literalStart..], false));
        }
        return new LabelTemplate([.. parts]);
    }

    /// <summary>Literal text, or a placeholder's name.</summary>
    public readonly record struct Part(string Text, bool IsPlaceholder);
}
