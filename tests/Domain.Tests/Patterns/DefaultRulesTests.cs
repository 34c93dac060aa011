using SessionInsights.Domain.Patterns;
using static SessionInsights.Domain.Tests.Support.Ev;
using static SessionInsights.Domain.Tests.Support.PatternRun;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>
/// The seeds' rules (the <c>seed</c> pack) on labels as the enricher writes them (SPEC §4). These pin
/// the behaviours the docs' "Deviations and observations" describe, which the shop pack fixes
/// (<see cref="ShopPackTests"/> checks the fixes on the same labels).
/// </summary>
public class DefaultRulesTests
{
    private static readonly PatternRuleSet Rules = RulePacks.Load(RulePacks.Seed);

    [Fact]
    public void Cart_abandonment_fires_as_soon_as_an_item_is_added_and_clears_on_checkout()
    {
        var session = Session(Rules, [PageView("/products", At(0)), Click("Clicked 'Add to Cart' button", At(10), "/products")]);
        // The 15-minute window has not elapsed, yet the pattern already holds: SPEC §6 asks only
        // that no checkout lies in the window, and none does (yet).
        Assert.Contains("cart_abandonment_with_items", Matches(session));

        session.Apply(Click("Clicked 'Checkout' button", At(10 + 900), "/cart"), At(910));
        Assert.DoesNotContain("cart_abandonment_with_items", Matches(session));
    }

    [Fact]
    public void Checkout_abandonment_is_broken_by_adding_to_cart_not_by_an_order()
    {
        var checkout = Click("Clicked 'Checkout' button", At(0), "/cart");
        Assert.Contains("checkout_abandonment", Matches(Rules, checkout, Custom("Order completed", At(60), "/checkout")));
        Assert.DoesNotContain("checkout_abandonment", Matches(Rules, checkout, Custom("Item added to cart", At(60))));
    }

    [Fact]
    public void The_custom_add_to_cart_label_is_not_an_add_to_cart_for_the_rules()
    {
        // "Item added to cart" does not contain "add to cart".
        Assert.DoesNotContain("cart_abandonment_with_items", Matches(Rules, Custom("Item added to cart", At(0))));
    }

    [Fact]
    public void Substring_rules_match_inside_words()
    {
        Assert.Contains("form_rage_click", Matches(Rules, RageClick("Rage-clicked 'More information' link", At(0))));
        Assert.Contains("form_rage_click", Matches(Rules, RageClick("Rage-clicked 'Platform' button", At(0))));
        Assert.Contains("price_rage_click", Matches(Rules, RageClick("Rage-clicked 'Save $20 today' banner", At(0))));
    }

    [Fact]
    public void Clicked_also_counts_rage_clicks()
    {
        var events = Enumerable.Range(0, 8).Select(i => RageClick("Rage-clicked 'Shop Now' button", At(i * 20))).ToArray();
        Assert.Contains("product_comparison_paralysis", Matches(Rules, events));
    }

    [Fact]
    public void A_plain_browsing_session_matches_nothing()
    {
        Assert.Empty(Matches(Rules, PageView("/", At(0)), PageView("/about", At(30)), Click("Clicked 'About' navigation button", At(31))));
    }
}
