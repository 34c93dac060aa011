using SessionInsights.Domain.Patterns;
using static SessionInsights.Domain.Tests.Support.Ev;
using static SessionInsights.Domain.Tests.Support.PatternRun;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>The shipped packs: names, loading, and what the shop pack fixes in the seeds' rules.</summary>
public class RulePackTests
{
    [Fact]
    public void Packs_are_named_loaded_once_and_the_default_is_shop()
    {
        Assert.Equal(["shop", "saas", "seed"], RulePacks.Names);
        Assert.Same(RulePacks.Load("shop"), PatternRuleSet.Default);
        Assert.Same(RulePacks.Load("saas"), RulePacks.Load("saas"));
        foreach (var name in RulePacks.Names)
        {
            // The JSON text is a rules file: what Insights:RulesFile accepts.
            Assert.Equal(RulePacks.Load(name).Rules.Select(r => r.Code), PatternRuleSet.FromJson(RulePacks.Json(name)).Rules.Select(r => r.Code));
        }
    }

    [Fact]
    public void An_unknown_pack_is_refused_with_the_known_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => RulePacks.Load("Shop"));
        Assert.Contains("shop, saas, seed", ex.Message);
        Assert.Throws<ArgumentException>(() => RulePacks.Json("retail"));
    }

    [Fact]
    public void The_saas_pack_has_8_to_15_rules_covering_the_issue()
    {
        var codes = RulePacks.Load("saas").Rules.Select(r => r.Code).ToList();

        Assert.InRange(codes.Count, 8, 15);
        Assert.Contains("upgrade_abandonment", codes);
        Assert.Contains("payment_failed", codes);
        Assert.Contains("seat_limit_reached", codes);
        Assert.Contains("repeated_errors", codes);
        Assert.Contains("onboarding_drop_off", codes);
    }

    [Fact]
    public void Shop_checkout_abandonment_is_cancelled_by_an_order_not_by_adding_to_cart()
    {
        var shop = RulePacks.Load("shop");
        var checkout = Click("Clicked 'Checkout' button", At(0), "/cart");

        Assert.DoesNotContain("checkout_abandonment", Matches(shop, checkout, Make("Order completed", At(60), "custom", name: "order_completed")));
        Assert.DoesNotContain("checkout_abandonment", Matches(shop, checkout, Make("Purchase", At(60), "custom", name: "purchase")));
        Assert.Contains("checkout_abandonment", Matches(shop, checkout, Custom("Item added to cart", At(60))));
    }

    [Fact]
    public void Shop_price_rules_key_on_a_price_not_on_any_dollar_sign()
    {
        var shop = RulePacks.Load("shop");

        Assert.Contains("price_rage_click", Matches(shop, RageClick("Rage-clicked '$899.99' span", At(0))));
        Assert.DoesNotContain("price_rage_click", Matches(shop, RageClick("Rage-clicked 'Pay $49.00' button", At(0))));
        Assert.DoesNotContain("price_rage_click", Matches(shop, RageClick("Rage-clicked 'Save $20 today' banner", At(0))));
        Assert.Contains("payment_button_rage_click", Matches(shop, RageClick("Rage-clicked 'Pay $49.00' button", At(0))));
    }

    [Fact]
    public void Shop_word_rules_no_longer_match_inside_words()
    {
        var shop = RulePacks.Load("shop");

        Assert.DoesNotContain("form_rage_click", Matches(shop, RageClick("Rage-clicked 'More information' link", At(0))));
        Assert.DoesNotContain("form_rage_click", Matches(shop, RageClick("Rage-clicked 'Platform' button", At(0))));
        var rageClicks = Enumerable.Range(0, 8).Select(i => RageClick("Rage-clicked 'Shop Now' button", At(i * 20))).ToArray();
        Assert.DoesNotContain("product_comparison_paralysis", Matches(shop, rageClicks));
    }
}
