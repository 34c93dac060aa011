using static SessionInsights.Tests.Shared.ShippedRuleJourneys;

namespace SessionInsights.Tests.Shared;

/// <summary>
/// Journeys of the <c>shop</c> and <c>saas</c> rule packs (src/Domain/Patterns/Packs), like
/// <see cref="ShippedRuleJourneys"/> for <c>seed</c>: per rule, real PostHog events that fire it and the
/// smallest change that must keep it silent. Where a shop rule reads the same labels as its seed
/// rule, the seed journey is reused; the near misses of fixed rules are the seeds' false alarms.
/// </summary>
public static class PackRuleJourneys
{
    public static IReadOnlyList<RuleJourney> ForPack(string pack) => pack switch
    {
        "seed" => ShippedRuleJourneys.All,
        "shop" => Shop,
        "saas" => Saas,
        _ => throw new ArgumentException($"no journeys for pack '{pack}'", nameof(pack)),
    };

    private static readonly string[] ReusedInShop =
    [
        "checkout_button_rage_click", "cart_abandonment_with_items", "cart_quantity_struggle", "product_image_rage_click",
        "cart_view_without_purchase", "excessive_cart_updates", "product_comparison_paralysis", "navigation_confusion",
        "continue_shopping_loop", "power_shopper", "category_explorer", "price_focused_browser", "favorite_toggler",
        "filter_power_user", "demo_watcher", "cart_item_remover", "svg_rage_click_pattern", "shop_now_frustration",
    ];

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    public static IReadOnlyList<RuleJourney> Shop { get; } =
    [
        .. ShippedRuleJourneys.All.Where(j => ReusedInShop.Contains(j.Code)),

        // "Rage-clicked 'Pay now' button": the seeds had no rule for it; "Payment" is not the word "pay".
        new("payment_button_rage_click", [Rage(0, "Pay now", path: "/checkout")], "a rage click on 'Payment options'", [Rage(0, "Payment options", path: "/checkout")]),

        // Checkout, then no purchase event within 1200 s (the seeds' rule was cancelled by adding to cart).
        new("checkout_abandonment",
            [Click(0, "Checkout", path: "/cart"), Custom(1200 + Ms, "order_completed", "/checkout")],
            "the order completed exactly 1200 s after the checkout",
            [Click(0, "Checkout", path: "/cart"), Custom(1200, "order_completed", "/checkout")]),

        // "Rage-clicked '$899.99' span": the element's text starts with a price.
        new("price_rage_click", [Rage(0, "$899.99", "span")], "rage clicks on the 'Pay $49.00' button", [Rage(0, "Pay $49.00", path: "/checkout")]),

        // Two "Rage-clicked 'Filter' button" (the seeds keyed this on "racing", their shop's category).
        new("filter_rage_click", [Rage(0, "Filter"), Rage(3, "Filter")], "one rage click on the filter", [Rage(0, "Filter")]),

        // "Rage-clicked form on signup page"; "Platform" holds "form" but not the word.
        new("form_rage_click", [Rage(0, null, "form", "/signup")], "a rage click on the 'Platform' button", [Rage(0, "Platform", path: "/signup")]),
    ];

    private static readonly string[] Paid = ["payment_succeeded"];

    public static IReadOnlyList<RuleJourney> Saas { get; } =
    [
        // "Clicked 'Upgrade to Pro' button", then no payment event within 1800 s.
        new("upgrade_abandonment",
            [Page(0, "/pricing"), Click(10, "Upgrade to Pro", path: "/pricing"), Custom(10 + 1800 + Ms, Paid[0], "/checkout")],
            "the payment succeeded exactly 1800 s after the upgrade click",
            [Page(0, "/pricing"), Click(10, "Upgrade to Pro", path: "/pricing"), Custom(10 + 1800, Paid[0], "/checkout")]),

        // A page view under /checkout, then no payment event within 1200 s.
        new("checkout_abandonment",
            [Page(0, "/checkout"), Custom(1200 + Ms, Paid[0], "/checkout")],
            "the payment succeeded exactly 1200 s after the checkout page",
            [Page(0, "/checkout"), Custom(1200, Paid[0], "/checkout")]),

        // The payment_failed event, a fact; a button whose text says so is not.
        new("payment_failed",
            [Custom(0, "payment_failed", "/checkout")],
            "a click on 'Payment failed? Contact us'",
            [Click(0, "Payment failed? Contact us", path: "/checkout")]),

        // Two failed payments within 3600 s.
        new("repeated_payment_failures",
            [Custom(0, "payment_failed", "/checkout"), Custom(3600, "charge_failed", "/checkout")],
            "the second failure 1 ms outside the hour",
            [Custom(0, "payment_failed", "/checkout"), Custom(3600 + Ms, "charge_failed", "/checkout")]),

        // "Rage-clicked 'Pay $49.00' button" (the word "pay"), not price confusion.
        new("payment_button_rage_click",
            [Rage(0, "Pay $49.00", path: "/checkout")],
            "a rage click on 'Payment history'",
            [Rage(0, "Payment history", path: "/account")]),

        // Rage clicks anywhere under /billing.
        new("billing_page_rage_click",
            [Rage(0, "Update card", path: "/billing/payment-method")],
            "the same rage click under /settings/billing",
            [Rage(0, "Update card", path: "/settings/billing")]),

        // limit_reached, whatever the limit.
        new("plan_limit_reached",
            [Custom(0, "limit_reached", "/projects", Props(("limit", "projects")))],
            "the limit_approaching event",
            [Custom(0, "limit_approaching", "/projects", Props(("limit", "projects")))]),

        // limit_reached with the property limit = "seats".
        new("seat_limit_reached",
            [Custom(0, "limit_reached", "/team", Props(("limit", "seats")))],
            "limit_reached for projects",
            [Custom(0, "limit_reached", "/team", Props(("limit", "projects")))]),

        // Three $exception events within 300 s.
        new("repeated_errors",
            [Error(0), Error(100), Error(300)],
            "the third error 1 ms outside the five minutes",
            [Error(0), Error(100), Error(300 + Ms)]),

        // A page view under /onboarding, then no onboarding_completed within 1800 s.
        new("onboarding_drop_off",
            [Page(0, "/onboarding/welcome"), Custom(1800 + Ms, "onboarding_completed", "/onboarding/done")],
            "onboarding completed exactly 1800 s later",
            [Page(0, "/onboarding/welcome"), Custom(1800, "onboarding_completed", "/onboarding/done")]),

        // Three pricing page views and no upgrade click.
        new("pricing_hesitation",
            [Page(0, "/pricing"), Page(60, "/pricing"), Page(120, "/pricing")],
            "the same views and a click on 'Upgrade to Pro'",
            [Page(0, "/pricing"), Page(60, "/pricing"), Page(120, "/pricing"), Click(130, "Upgrade to Pro", path: "/pricing")]),

        // "Clicked 'Cancel subscription' button"; a dialog's "Cancel" is not it.
        new("cancellation_intent",
            [Click(0, "Cancel subscription", path: "/billing")],
            "a click on 'Cancel'",
            [Click(0, "Cancel", path: "/billing")]),
    ];

    private static JourneyStep Error(double at) =>
        new(at, "$exception", "/app", null, Props(("$exception_message", "TypeError: x is undefined")));
}
