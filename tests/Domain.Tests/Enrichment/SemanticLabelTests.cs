using SessionInsights.Domain.Enrichment;
using static SessionInsights.Domain.Tests.Enrichment.TestEvents;

namespace SessionInsights.Domain.Tests.Enrichment;

/// <summary>Every row of the SPEC §4 label table, the enriched type rules and the templates.</summary>
public class SemanticLabelTests
{
    private const string Billing = """{"$pathname":"/billing"}""";

    [Fact]
    public void Pageview_ViewedPageTitle()
    {
        Assert.Equal("Viewed billing page", Label("$pageview", Billing));
        Assert.Equal("Viewed home page", Label("$pageview"));
        Assert.Equal("Viewed Pricing – Acme", Label("$pageview", """{"title":"Pricing – Acme"}"""));
    }

    [Fact]
    public void RageClick_WithText_QuotesTextAndPlainType()
    {
        // Rage clicks use the element type as is, never the enrichment rules.
        Assert.Equal("Rage-clicked 'About' button", Label("$rageclick", chain: RealChains.AboutNavButton));
    }

    [Fact]
    public void RageClick_WithAltText_QuotesIt()
    {
        Assert.Equal("Rage-clicked 'Racing Raptor' img", Label("$rageclick", chain: RealChains.ProductImage));
    }

    [Fact]
    public void RageClick_NoText_ElementTypeOnPage()
    {
        Assert.Equal("Rage-clicked svg on billing page", Label("$rageclick", Billing, RealChains.FavoriteIcon));
    }

    [Fact]
    public void RageClick_NoChain_OnPage()
    {
        Assert.Equal("Rage-clicked on billing page", Label("$rageclick", Billing));
    }

    [Fact]
    public void RageClick_TextButNoElementType_UsesElement()
    {
        Assert.Equal("Rage-clicked 'Go' element", Label("$rageclick", chain: ":text=\"Go\""));
    }

    [Fact]
    public void Click_WithText_NavRule_NavigationType()
    {
        Assert.Equal("Clicked 'About' navigation button", Label("$autocapture", """{"$event_type":"click"}""", RealChains.AboutNavButton));
    }

    [Theory]
    [InlineData("product-id")]
    [InlineData("product-name")]
    public void Click_WithText_ProductRules_ProductCard(string attribute)
    {
        Assert.Equal("Clicked 'Phantom X Pro' product card",
            Label("$autocapture", chain: $"div.card:attr__data-ph-capture-attribute-{attribute}=\"1\"text=\"Phantom X Pro\""));
    }

    [Fact]
    public void Click_WithText_FormRule_TypeInForm()
    {
        Assert.Equal("Clicked 'Pay now' button in form",
            Label("$autocapture", """{"$event_type":"submit"}""", "button:attr__data-ph-capture-attribute-form-id=\"checkout\"text=\"Pay now\""));
    }

    [Fact]
    public void Click_WithText_FirstAttributeWithARule_InChainOrder_Wins()
    {
        const string chain = "a:attr__data-ph-capture-attribute-action=\"x\"attr__data-ph-capture-attribute-form-id=\"f\"attr__data-ph-capture-attribute-nav=\"n\"text=\"Go\"";
        Assert.Equal("Clicked 'Go' a in form", Label("$autocapture", chain: chain));

        const string reversed = "a:attr__data-ph-capture-attribute-nav=\"n\"attr__data-ph-capture-attribute-form-id=\"f\"text=\"Go\"";
        Assert.Equal("Clicked 'Go' navigation a", Label("$autocapture", chain: reversed));
    }

    [Fact]
    public void Click_WithText_NoRuleForItsAttributes_PlainType()
    {
        Assert.Equal("Clicked 'Add to Cart' button",
            Label("$autocapture", chain: "button.btn:attr__data-ph-capture-attribute-action=\"add-to-cart\"text=\"Add to Cart\""));
    }

    [Fact]
    public void Click_WithAltText_IsQuoted()
    {
        Assert.Equal("Clicked 'Racing Raptor' img", Label("$autocapture", chain: RealChains.ProductImage));
    }

    [Fact]
    public void Click_WithoutText_TypeOnPage()
    {
        Assert.Equal("Clicked svg on billing page", Label("$autocapture", Billing, RealChains.FavoriteIcon));
    }

    [Fact]
    public void Click_WithoutChain_ElementOnPage()
    {
        Assert.Equal("Clicked element on billing page", Label("$autocapture", Billing));
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("change")]
    public void SubmitAndChangeAutocapture_AreClickTypeLabels(string eventType)
    {
        Assert.Equal("Clicked select on home page", Label("$autocapture", $$"""{"$event_type":"{{eventType}}"}""", "select.border:nth-child=\"2\""));
    }

    [Fact]
    public void PageLeave_LeftPageTitle()
    {
        Assert.Equal("Left billing page", Label("$pageleave", Billing));
    }

    [Fact]
    public void Custom_DefaultTemplate_ProductClicked()
    {
        Assert.Equal("Selected product: Phantom X Pro", Label("product_clicked", """{"product_name":"Phantom X Pro"}"""));
    }

    [Fact]
    public void Custom_DefaultTemplate_FormSubmitted()
    {
        Assert.Equal("Submitted signup form", Label("form_submitted", """{"form_name":"signup"}"""));
    }

    [Theory]
    [InlineData("""{"product_name":42}""", "Selected product: 42")]
    [InlineData("""{"product_name":4.50}""", "Selected product: 4.50")]
    [InlineData("""{"product_name":true}""", "Selected product: true")]
    [InlineData("""{"product_name":"Caf\u00e9 \"Deluxe\""}""", "Selected product: Café \"Deluxe\"")]
    [InlineData("""{"product_name":""}""", "Selected product: ")]
    public void Custom_Template_StringsByValue_OthersByJsonText(string properties, string label)
    {
        Assert.Equal(label, Label("product_clicked", properties));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"product_name":null}""")]
    [InlineData("""{"productName":"X"}""")]
    public void Custom_TemplatePlaceholderMissing_FallsBackToTheName(string properties)
    {
        Assert.Equal("Product clicked", Label("product_clicked", properties));
    }

    [Fact]
    public void Custom_TemplateWithSeveralPlaceholders_NeedsAll()
    {
        var options = new EnrichmentOptions
        {
            CustomEventTemplates = new Dictionary<string, string> { ["plan_changed"] = "changed plan from {from} to {to}" },
        };

        Assert.Equal("Changed plan from free to pro", Label("plan_changed", """{"from":"free","to":"pro"}""", options: options));
        Assert.Equal("Plan changed", Label("plan_changed", """{"from":"free"}""", options: options));
    }

    [Fact]
    public void Custom_NoTemplate_NameWithSpacesLowerCased()
    {
        Assert.Equal("Item added to cart", Label("item_added_to_cart"));
        Assert.Equal("Item added to cart", Label("Item_Added_To_CART"));
        Assert.Equal("Checkout step", Label("checkout step"));
    }

    [Fact]
    public void Unknown_EventOnPage()
    {
        Assert.Equal("Event on billing page", Label("$some_future_event", Billing));
    }

    [Fact]
    public void Truncation_ExactlyMax_IsKept()
    {
        var name = new string('a', 150);
        var label = Label(name);

        Assert.Equal(150, label.Length);
        Assert.Equal("A" + new string('a', 149), label);
    }

    [Fact]
    public void Truncation_MaxPlusOne_IsCutToMaxMinusThreePlusEllipsis()
    {
        var label = Label(new string('a', 151));

        Assert.Equal(150, label.Length);
        Assert.Equal("A" + new string('a', 146) + "...", label);
    }

    [Fact]
    public void Truncation_UsesTheConfiguredMaximum()
    {
        var options = new EnrichmentOptions { SemanticLabelMaxLength = 20 };

        Assert.Equal("Clicked 'A very l...", Label("$autocapture", chain: "button:text=\"A very long button caption\"", options: options));
        Assert.Equal("Viewed billing page", Label("$pageview", Billing, options: options));
    }

    [Fact]
    public void Truncation_DoesNotSplitASurrogatePair()
    {
        var options = new EnrichmentOptions
        {
            SemanticLabelMaxLength = 12,
            CustomEventTemplates = new Dictionary<string, string> { ["x"] = "{v}" },
        };

        // Cutting at 12 − 3 = 9 characters would keep only the emoji's high surrogate (index 8).
        Assert.Equal("Abcdefgh...", Label("x", """{"v":"abcdefgh😀zzzz"}""", options: options));
        Assert.Equal("Abcdefg😀...", Label("x", """{"v":"abcdefg😀zzzzz"}""", options: options));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(-1)]
    public void MaxLengthTooSmallForAnEllipsis_IsRejectedWhenTheEnricherIsBuilt(int max)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EventEnricher(new EnrichmentOptions { SemanticLabelMaxLength = max }));
        Assert.Equal("SemanticLabelMaxLength", ex.ParamName);
    }

    [Fact]
    public void SmallestMaxLength_KeepsOneCharacterAndTheEllipsis()
    {
        Assert.Equal("V...", Label("$pageview", options: new EnrichmentOptions { SemanticLabelMaxLength = 4 }));
    }

    [Fact]
    public void FirstCharacter_IsUpperCased()
    {
        var options = new EnrichmentOptions
        {
            CustomEventTemplates = new Dictionary<string, string> { ["x"] = "éléphant {n}" },
        };

        Assert.Equal("Éléphant 1", Label("x", """{"n":1}""", options: options));
    }

    [Fact]
    public void ConfiguredEnrichmentRule_ReplacesBaseTypeWherever()
    {
        var options = new EnrichmentOptions
        {
            EnrichmentRules = new Dictionary<string, string> { ["cta"] = "call-to-action {base_type} ({base_type})" },
        };

        Assert.Equal("Clicked 'Go' call-to-action a (a)",
            Label("$autocapture", chain: "a:attr__data-ph-capture-attribute-cta=\"1\"text=\"Go\"", options: options));
    }

    [Fact]
    public void DeadClick_WithText_SaysNoResponse()
    {
        Assert.Equal("Clicked 'About' navigation button (no response)", Label("$dead_click", chain: RealChains.AboutNavButton));
    }

    [Fact]
    public void DeadClick_WithoutText_SaysNoResponse()
    {
        Assert.Equal("Clicked div on billing page (no response)", Label("$dead_click", Billing, RealChains.BareDiv));
    }

    [Fact]
    public void CopyAutocapture_CopiedTextOnPage()
    {
        Assert.Equal("Copied text on billing page", Label("$copy_autocapture", """{"$pathname":"/billing","$selected_content":"secret"}"""));
    }

    [Fact]
    public void Identify_IdentifiedUser()
    {
        Assert.Equal("Identified user", Label("$identify", """{"$anon_distinct_id":"anon-1"}"""));
    }

    [Theory]
    [InlineData(""" "$exception_message":"x is undefined","$exception_type":"TypeError" """, "Error on billing page: x is undefined")]
    [InlineData(""" "$exception_type":"TypeError" """, "Error on billing page: TypeError")]
    [InlineData(""" "$exception_list":[{"type":"RangeError","value":"Invalid array length"}] """, "Error on billing page: Invalid array length")]
    [InlineData(""" "$exception_list":[{"type":"RangeError"}] """, "Error on billing page: RangeError")]
    [InlineData(""" "$exception_list":[] """, "Error on billing page")]
    [InlineData(""" "$exception_message":"" """, "Error on billing page")]
    public void Exception_ErrorOnPageWithMessage(string exceptionProperties, string label)
    {
        Assert.Equal(label, Label("$exception", """{"$pathname":"/billing",""" + exceptionProperties + "}"));
    }

    [Fact]
    public void Exception_WithoutDetails_ErrorOnPage()
    {
        Assert.Equal("Error on billing page", Label("$exception", Billing));
    }

    [Fact]
    public void Screen_ViewedScreenName()
    {
        Assert.Equal("Viewed Settings screen", Label("$screen", """{"$screen_name":"Settings"}"""));
        Assert.Equal("Viewed home page", Label("$screen"));
    }
}
