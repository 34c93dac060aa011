using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Tests.Enrichment;

public class LabelTemplateTests
{
    private static string Describe(string template) =>
        string.Join("|", LabelTemplate.Compile(template).Parts.Select(p => p.IsPlaceholder ? $"<{p.Text}>" : p.Text));

    [Theory]
    [InlineData("Selected product: {product_name}", "Selected product: |<product_name>")]
    [InlineData("{base_type} in form", "<base_type>| in form")]
    [InlineData("product card", "product card")]
    [InlineData("{a}{b}", "<a>|<b>")]
    [InlineData("a {x{y} b", "a {x|<y>| b")]
    [InlineData("open {brace", "open {brace")]
    [InlineData("empty {} stays", "empty {} stays")]
    [InlineData("", "")]
    public void Compile_SplitsLiteralsAndPlaceholders(string template, string parts)
    {
        Assert.Equal(parts, Describe(template));
    }
}
