using System.Text.Json;
using SessionInsights.Gateway.Capture;

namespace SessionInsights.Integration.Tests.Capture;

public sealed class ElementsChainBuilderTests
{
    [Fact]
    public void Builds_posthogs_chain_format_from_elements()
    {
        using var doc = JsonDocument.Parse("""
            [{"tag_name": "button", "$el_text": "Upgrade \"Pro\"", "attr__class": "btn primary", "attr__href": "/up", "nth_child": 2, "nth_of_type": 1},
             {"tag_name": "div", "attr__id": "plans"}]
            """);

        var chain = ElementsChainBuilder.Build(doc.RootElement);

        Assert.Equal(
            "button.btn.primary:attr__class=\"btn primary\"attr__href=\"/up\"href=\"/up\"nth-child=\"2\"nth-of-type=\"1\"text=\"Upgrade \\\"Pro\\\"\";"
            + "div:attr__id=\"plans\"attr_id=\"plans\"nth-child=\"0\"nth-of-type=\"0\"",
            chain);
    }

    [Fact]
    public void No_element_objects_is_no_chain()
    {
        using var doc = JsonDocument.Parse("[1, \"x\"]");

        Assert.Null(ElementsChainBuilder.Build(doc.RootElement));
    }
}
