namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// One <c>data-ph-capture-attribute-NAME="value"</c> of the clicked element: <see cref="Name"/> is
/// NAME as written (e.g. <c>product-id</c>).
/// </summary>
public readonly record struct CaptureAttribute(string Name, string Value);
