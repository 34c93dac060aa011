namespace SessionInsights.Domain.Enrichment;

/// <summary>Label templates, enrichment rules and label length (SPEC §4), all configuration.</summary>
public sealed record EnrichmentOptions
{
    public IReadOnlyDictionary<string, string> CustomEventTemplates { get; init; } = new Dictionary<string, string>
    {
        ["product_clicked"] = "Selected product: {product_name}",
        ["form_submitted"] = "Submitted {form_name} form",
    };

    public IReadOnlyDictionary<string, string> EnrichmentRules { get; init; } = new Dictionary<string, string>
    {
        ["nav"] = "navigation {base_type}",
        ["product-id"] = "product card",
        ["product-name"] = "product card",
        ["form-id"] = "{base_type} in form",
    };

    public int SemanticLabelMaxLength { get; init; } = 150;

    public static EnrichmentOptions Default { get; } = new();
}
