using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Tests.Enrichment;

public class ElementsChainParserTests
{
    [Fact]
    public void RealNavButton_TypeTextAttributeAndFiveLevelHierarchy()
    {
        var chain = ElementsChainParser.Parse(RealChains.AboutNavButton);

        Assert.Equal("button", chain.ElementType);
        Assert.Equal("About", chain.ElementText);
        Assert.Equal([new CaptureAttribute("nav", "about")], chain.Attributes);
        // Nine segments in the chain; only the innermost five count.
        Assert.Equal(["button", "nav", "div", "div", "header"], chain.Hierarchy);
    }

    [Fact]
    public void RealProductImage_AltIsTheTextAndAncestorAttributesAreNotTheElements()
    {
        var chain = ElementsChainParser.Parse(RealChains.ProductImage);

        Assert.Equal("img", chain.ElementType);
        Assert.Equal("Racing Raptor", chain.ElementText);
        Assert.Empty(chain.Attributes);
        Assert.Equal(["img", "div", "div", "div", "main"], chain.Hierarchy);
    }

    [Fact]
    public void RealIconInButton_NoTextNoAttributes()
    {
        var chain = ElementsChainParser.Parse(RealChains.FavoriteIcon);

        Assert.Equal("svg", chain.ElementType);
        Assert.Null(chain.ElementText);
        Assert.Empty(chain.Attributes);
        Assert.Equal(["svg", "button"], chain.Hierarchy);
    }

    [Fact]
    public void TagWithoutClasses_AttributesRightAfterTheColon()
    {
        var chain = ElementsChainParser.Parse("a:href=\"/pricing\"text=\"Pricing\"" + ";" + RealChains.BareDiv);

        Assert.Equal("a", chain.ElementType);
        Assert.Equal("Pricing", chain.ElementText);
        Assert.Equal(["a", "div"], chain.Hierarchy);
    }

    [Fact]
    public void TagOnly_HasATypeAndNothingElse()
    {
        var chain = ElementsChainParser.Parse("button");

        Assert.Equal("button", chain.ElementType);
        Assert.Null(chain.ElementText);
        Assert.Equal(["button"], chain.Hierarchy);
    }

    [Theory]
    [InlineData("BUTTON.Primary:text=\"Go\"", "button")]
    [InlineData("H1.title:text=\"Go\"", "h1")]
    [InlineData("my-widget.x:text=\"Go\"", "my")]
    [InlineData("Custom9Tag:text=\"Go\"", "custom9tag")]
    public void ElementType_IsTheLeadingLettersAndDigitsLowerCased(string chain, string type)
    {
        Assert.Equal(type, ElementsChainParser.Parse(chain).ElementType);
    }

    [Fact]
    public void EscapedQuotesInAValue_AreUnescapedAndDoNotEndIt()
    {
        var chain = ElementsChainParser.Parse("button:text=\"Say \\\"hi\\\" now\"nth-child=\"1\";div");

        Assert.Equal("Say \"hi\" now", chain.ElementText);
        Assert.Equal(["button", "div"], chain.Hierarchy);
    }

    [Fact]
    public void SemicolonsAndColonsInValues_DoNotSplitSegmentsOrAttributes()
    {
        var chain = ElementsChainParser.Parse(
            "a.link:attr__href=\"/search?q=a;b\"text=\"Time: 10:30; room 4\"attr__data-ph-capture-attribute-nav=\"x;y:z\";li:text=\"a;b\";ul");

        Assert.Equal("Time: 10:30; room 4", chain.ElementText);
        Assert.Equal([new CaptureAttribute("nav", "x;y:z")], chain.Attributes);
        Assert.Equal(["a", "li", "ul"], chain.Hierarchy);
    }

    [Fact]
    public void NonAsciiText_IsKeptIntact()
    {
        var chain = ElementsChainParser.Parse("button.btn:text=\"Добавить в корзину 🛒 — ça coûte 5 €\";div");

        Assert.Equal("Добавить в корзину 🛒 — ça coûte 5 €", chain.ElementText);
    }

    [Fact]
    public void AttributeOrder_DoesNotMatter()
    {
        var textFirst = ElementsChainParser.Parse("button:text=\"Buy\"nth-child=\"2\"attr__data-ph-capture-attribute-form-id=\"checkout\"attr__class=\"btn\"");
        var textLast = ElementsChainParser.Parse("button:attr__class=\"btn\"attr__data-ph-capture-attribute-form-id=\"checkout\"nth-child=\"2\"text=\"Buy\"");

        Assert.Equal("Buy", textFirst.ElementText);
        Assert.Equal("Buy", textLast.ElementText);
        Assert.Equal(textFirst.Attributes, textLast.Attributes);
    }

    [Fact]
    public void TextWins_OverAlt_WhicheverComesFirst()
    {
        Assert.Equal("Caption", ElementsChainParser.Parse("img:attr__alt=\"Photo\"text=\"Caption\"").ElementText);
        Assert.Equal("Caption", ElementsChainParser.Parse("img:text=\"Caption\"attr__alt=\"Photo\"").ElementText);
    }

    [Theory]
    [InlineData("img:text=\"\"attr__alt=\"Photo\"", "Photo")]
    [InlineData("img:text=\"  \"attr__alt=\"Photo\"", "Photo")]
    [InlineData("img:text=\"\"", null)]
    [InlineData("img:attr__alt=\"\"", null)]
    public void BlankTextOrAlt_CountsAsMissing(string chain, string? text)
    {
        Assert.Equal(text, ElementsChainParser.Parse(chain).ElementText);
    }

    [Fact]
    public void TextOfAnAncestor_IsNotTheElementsText()
    {
        Assert.Null(ElementsChainParser.Parse("svg:attr__class=\"icon\";button:text=\"Save\"").ElementText);
    }

    [Fact]
    public void AttributeNamedLikeText_IsNotText()
    {
        Assert.Null(ElementsChainParser.Parse("button:attr__text=\"x\"context=\"y\"").ElementText);
    }

    [Fact]
    public void CaptureAttributes_AllOfTheFirstSegment_InChainOrder_WithEscapes()
    {
        var chain = ElementsChainParser.Parse(
            "div.card:attr__data-ph-capture-attribute-product-name=\"The \\\"X\\\" Pro\"nth-child=\"1\"attr__data-ph-capture-attribute-product-id=\"42\"attr__data-ph-capture-attribute-flag=\"\";"
            + "section:attr__data-ph-capture-attribute-nav=\"ancestor\"");

        Assert.Equal(
            [new CaptureAttribute("product-name", "The \"X\" Pro"), new CaptureAttribute("product-id", "42"), new CaptureAttribute("flag", "")],
            chain.Attributes);
    }

    [Fact]
    public void CapturePrefixInsideAValue_IsNotAnAttribute()
    {
        var chain = ElementsChainParser.Parse(
            "button:text=\"attr__data-ph-capture-attribute-x=\\\"1\\\"\"attr__data-ph-capture-attribute-nav=\"home\"");

        Assert.Equal([new CaptureAttribute("nav", "home")], chain.Attributes);
        Assert.Equal("attr__data-ph-capture-attribute-x=\"1\"", chain.ElementText);
    }

    [Fact]
    public void CapturePrefixWithoutAName_IsIgnored()
    {
        Assert.Empty(ElementsChainParser.Parse("button:attr__data-ph-capture-attribute-=\"x\"").Attributes);
    }

    [Fact]
    public void Hierarchy_StopsAtFive()
    {
        var chain = ElementsChainParser.Parse("span;a;li;ul;nav;header;body;html");

        Assert.Equal(["span", "a", "li", "ul", "nav"], chain.Hierarchy);
    }

    [Fact]
    public void Hierarchy_SkipsSegmentsWithoutATag()
    {
        var chain = ElementsChainParser.Parse("span;;.orphan-class;div");

        Assert.Equal(["span", "div"], chain.Hierarchy);
    }

    [Fact]
    public void FirstSegmentWithoutATag_HasNoElementType_ButAncestorsStillCount()
    {
        var chain = ElementsChainParser.Parse(";div:text=\"x\"");

        Assert.Null(chain.ElementType);
        Assert.Null(chain.ElementText);
        Assert.Equal(["div"], chain.Hierarchy);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoChain_IsEmpty(string? chain)
    {
        var parsed = ElementsChainParser.Parse(chain);

        Assert.Null(parsed.ElementType);
        Assert.Null(parsed.ElementText);
        Assert.Empty(parsed.Attributes);
        Assert.Empty(parsed.Hierarchy);
    }

    [Fact]
    public void UnterminatedQuote_SalvagesTheTypeAndTheRestAsText()
    {
        var chain = ElementsChainParser.Parse("button.buy:nth-child=\"1\"text=\"Buy now;div;body");

        Assert.Equal("button", chain.ElementType);
        Assert.Equal("Buy now;div;body", chain.ElementText);
        Assert.Equal(["button"], chain.Hierarchy);
    }

    [Fact]
    public void UnterminatedQuoteInAnAncestor_KeepsWhatCameBefore()
    {
        var chain = ElementsChainParser.Parse("a:text=\"Home\";li:attr__class=\"x;ul;nav");

        Assert.Equal("Home", chain.ElementText);
        Assert.Equal(["a", "li"], chain.Hierarchy);
    }

    [Theory]
    [InlineData(";;;")]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData(":=\"\"=")]
    [InlineData("!!!@@@###")]
    [InlineData("\\\\\\")]
    [InlineData("=\"text\"")]
    public void Garbage_ParsesToNothingWithoutThrowing(string garbage)
    {
        var chain = ElementsChainParser.Parse(garbage);

        Assert.Null(chain.ElementType);
        Assert.Empty(chain.Hierarchy);
    }

    [Fact]
    public void MalformedAttributes_KeepTheTypeAndLaterGoodAttributes()
    {
        var chain = ElementsChainParser.Parse("button:junk\"quoted\"nth-child=2 text=\"Go\";div");

        Assert.Equal("button", chain.ElementType);
        Assert.Equal(["button", "div"], chain.Hierarchy);
    }

    [Theory]
    [InlineData("img:attr__alt=\"Photo\"trailing-junk")]
    [InlineData("img:attr__alt=\"Photo\"trailing-junk;div")]
    public void JunkAfterTheLastAttribute_KeepsWhatWasRead(string chain)
    {
        var parsed = ElementsChainParser.Parse(chain);

        Assert.Equal("img", parsed.ElementType);
        Assert.Equal("Photo", parsed.ElementText);
    }

    [Fact]
    public void JunkAfterACaptureAttribute_KeepsTheAttribute()
    {
        var parsed = ElementsChainParser.Parse("a:attr__data-ph-capture-attribute-nav=\"home\"junk");

        Assert.Equal([new CaptureAttribute("nav", "home")], parsed.Attributes);
    }

    [Fact]
    public void RandomInput_NeverThrows()
    {
        const string alphabet = "abc:;=\"\\.- tx_";
        var random = new Random(20251208);
        var buffer = new char[64];
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(buffer.Length);
            for (var j = 0; j < length; j++)
            {
                buffer[j] = alphabet[random.Next(alphabet.Length)];
            }
            var parsed = ElementsChainParser.Parse(new string(buffer, 0, length));
            Assert.True(parsed.Hierarchy.Count <= ElementsChainParser.HierarchyDepth);
        }
    }

    [Fact]
    public void CommonTags_AreSharedInstances()
    {
        var first = ElementsChainParser.Parse("BUTTON:text=\"a\"");
        var second = ElementsChainParser.Parse("button:text=\"b\"");

        Assert.Same(first.ElementType, second.ElementType);
    }
}
