namespace SessionInsights.Tests.Shared;

/// <summary>
/// One PostHog event of a journey, independent of how a test sends it: <see cref="At"/> seconds after
/// the journey's start, the event name, its page, its elements chain and extra properties.
/// </summary>
public sealed record JourneyStep(double At, string Event, string Path, string? ElementsChain = null, IReadOnlyDictionary<string, string>? Properties = null);

/// <summary>A journey that fires <see cref="Code"/>, and the smallest change to it that must keep the rule silent.</summary>
public sealed record RuleJourney(string Code, IReadOnlyList<JourneyStep> Fires, string NearMissIs, IReadOnlyList<JourneyStep> NearMiss)
{
    public override string ToString() => Code;
}

/// <summary>
/// For each of the seeds' 25 rules (the <c>seed</c> pack, src/Domain/Patterns/Packs/seed.json) a journey of real
/// PostHog events that fires it, and a near miss. Labels come from the real enricher, so each comment
/// gives the label the rule reads. Shared by the domain test and the HTTP test, so both check the same
/// journeys; a rule added without a journey fails both.
/// </summary>
public static class ShippedRuleJourneys
{
    internal const double Ms = 0.001;

    public static IReadOnlyList<RuleJourney> All { get; } =
    [
        // "Rage-clicked 'Checkout' button" (rage_click + "checkout"); a plain click is not a rage click.
        new("checkout_button_rage_click", [Rage(0, "Checkout", path: "/cart")], "a plain click on Checkout", [Click(0, "Checkout", path: "/cart")]),

        // "Clicked 'Add to Cart' button", then no "checkout" in [add, add + 900 s].
        new("cart_abandonment_with_items",
            [Click(0, "Add to Cart"), Click(900 + Ms, "Checkout", path: "/cart")],
            "Checkout exactly 900 s after the add, the window's closed end",
            [Click(0, "Add to Cart"), Click(900, "Checkout", path: "/cart")]),

        // "Clicked 'Checkout' button", then no "Item added to cart" in [checkout, checkout + 1200 s].
        new("checkout_abandonment",
            [Click(0, "Checkout", path: "/cart"), Custom(1200 + Ms, "item_added_to_cart")],
            "another item added exactly 1200 s after the checkout",
            [Click(0, "Checkout", path: "/cart"), Custom(1200, "item_added_to_cart")]),

        // "Rage-clicked '$899.99' span" (rage_click + "$").
        new("price_rage_click", [Rage(0, "$899.99", "span")], "a rage click on the price without the dollar sign", [Rage(0, "899.99", "span")]),

        // Two "Rage-clicked '+' button" (rage_click + "+", min 2).
        new("cart_quantity_struggle", [Rage(0, "+", path: "/cart"), Rage(5, "+", path: "/cart")], "one rage click on +", [Rage(0, "+", path: "/cart")]),

        // "Rage-clicked img on products page" (no text: the element type is in the label).
        new("product_image_rage_click", [Rage(0, null, "img")], "a plain click on the image", [Click(0, null, "img")]),

        // Two "Rage-clicked 'Racing' button" (rage_click + "racing", min 2).
        new("filter_rage_click", [Rage(0, "Racing"), Rage(3, "Racing")], "one rage click on the filter", [Rage(0, "Racing")]),

        // Three "Clicked 'View Cart' button" and no "checkout" anywhere in the session.
        new("cart_view_without_purchase",
            [Click(0, "View Cart"), Click(10, "View Cart"), Click(20, "View Cart")],
            "a Checkout click before the three cart views",
            [Click(0, "Checkout", path: "/cart"), Click(1, "View Cart"), Click(10, "View Cart"), Click(20, "View Cart")]),

        // Five "Clicked 'Update Cart Quantity' button" within 600 s (window ends closed).
        new("excessive_cart_updates",
            Times(0, 150, 300, 450, 600).Select(t => Click(t, "Update Cart Quantity", path: "/cart")).ToArray(),
            "the fifth update 1 ms outside the 600 s window",
            Times(0, 150, 300, 450, 600 + Ms).Select(t => Click(t, "Update Cart Quantity", path: "/cart")).ToArray()),

        // Eight "Clicked …" in a session of 120 s, no "add to cart".
        new("product_comparison_paralysis",
            Times(0, 20, 40, 60, 80, 100, 110, 120).Select((t, i) => Click(t, $"Drone {i + 1}", "a")).ToArray(),
            "the same clicks in a session 1 ms shorter than 120 s",
            Times(0, 20, 40, 60, 80, 100, 110, 120 - Ms).Select((t, i) => Click(t, $"Drone {i + 1}", "a")).ToArray()),

        // "Rage-clicked 'Toggle navigation' button" (rage labels carry the element type, never the
        // enriched "navigation button", so only the text or the page title can say "navigation").
        new("navigation_confusion", [Rage(0, "Toggle navigation")], "a plain click on the menu toggle", [Click(0, "Toggle navigation")]),

        // Three "Clicked 'Continue Shopping' button", no "checkout" anywhere.
        new("continue_shopping_loop",
            [Click(0, "Continue Shopping", path: "/cart"), Click(30, "Continue Shopping", path: "/cart"), Click(60, "Continue Shopping", path: "/cart")],
            "two Continue Shopping clicks",
            [Click(0, "Continue Shopping", path: "/cart"), Click(30, "Continue Shopping", path: "/cart")]),

        // Ten "Clicked 'Product N' button" in a session of 300 s.
        new("power_shopper",
            [.. Enumerable.Range(0, 10).Select(i => Click(i * 30, $"Product {i + 1}")), Page(300, "/")],
            "nine product clicks in the same 300 s session",
            [.. Enumerable.Range(0, 9).Select(i => Click(i * 30, $"Product {i + 1}")), Page(300, "/")]),

        // Five "Clicked '…' button" across three page views.
        new("category_explorer",
            [Page(0, "/"), Page(10, "/drones"), Page(20, "/accessories"), .. Enumerable.Range(0, 5).Select(i => Click(30 + i, $"Category {i + 1}"))],
            "the same five button clicks across two page views",
            [Page(0, "/"), Page(10, "/drones"), .. Enumerable.Range(0, 5).Select(i => Click(30 + i, $"Category {i + 1}"))]),

        // Four "Clicked '$899.99' span" within 600 s.
        new("price_focused_browser",
            Times(0, 200, 400, 600).Select(t => Click(t, "$899.99", "span")).ToArray(),
            "the fourth price click 1 ms outside the 600 s window",
            Times(0, 200, 400, 600 + Ms).Select(t => Click(t, "$899.99", "span")).ToArray()),

        // Two "Clicked 'Toggle Favorite' button".
        new("favorite_toggler", [Click(0, "Toggle Favorite"), Click(4, "Toggle Favorite")], "one favourite toggle", [Click(0, "Toggle Favorite")]),

        // Five "Clicked 'Filter' button" within 600 s.
        new("filter_power_user",
            Times(0, 100, 200, 300, 400).Select(t => Click(t, "Filter", path: "/drones")).ToArray(),
            "four filter clicks",
            Times(0, 100, 200, 300).Select(t => Click(t, "Filter", path: "/drones")).ToArray()),

        // "Clicked 'Watch Demo' button".
        new("demo_watcher", [Click(0, "Watch Demo")], "the custom event demo_watched (\"Demo watched\")", [Custom(0, "demo_watched")]),

        // Three "Selected product: Phantom X Pro" (the product_clicked template).
        new("specific_product_focus",
            [SelectProduct(0, "Phantom X Pro"), SelectProduct(30, "Phantom X Pro"), SelectProduct(60, "Phantom X Pro")],
            "the third selection is another product",
            [SelectProduct(0, "Phantom X Pro"), SelectProduct(30, "Phantom X Pro"), SelectProduct(60, "Phantom X")]),

        // Two "Clicked 'Remove from Cart' button".
        new("cart_item_remover", [Click(0, "Remove from Cart", path: "/cart"), Click(9, "Remove from Cart", path: "/cart")], "one removal", [Click(0, "Remove from Cart", path: "/cart")]),

        // "Rage-clicked form on signup page" (rage_click + "form").
        new("form_rage_click", [Rage(0, null, "form", "/signup")], "a plain click on the form", [Click(0, null, "form", "/signup")]),

        // Two "Rage-clicked svg on products page".
        new("svg_rage_click_pattern", [Rage(0, null, "svg"), Rage(2, null, "svg")], "one rage click on the icon", [Rage(0, null, "svg")]),

        // "Rage-clicked 'Shop Now' button".
        new("shop_now_frustration", [Rage(0, "Shop Now", path: "/")], "a plain click on Shop Now", [Click(0, "Shop Now", path: "/")]),

        // Four "Clicked 'Racing Drones' a" in a session of 60 s.
        new("racing_category_interest",
            Times(0, 20, 40, 60).Select(t => Click(t, "Racing Drones", "a")).ToArray(),
            "the same clicks in a session 1 ms shorter than 60 s",
            Times(0, 20, 40, 60 - Ms).Select(t => Click(t, "Racing Drones", "a")).ToArray()),

        // "Viewed professional page" and "Clicked 'Compare Professional' button" across two page views.
        new("professional_vs_consumer_comparison",
            [Page(0, "/professional"), Click(10, "Compare Professional", path: "/professional"), Page(20, "/consumer")],
            "the same two positives with one page view",
            [Page(0, "/professional"), Click(10, "Compare Professional", path: "/professional")]),
    ];

    internal static double[] Times(params double[] seconds) => seconds;

    internal static JourneyStep Page(double at, string path) => new(at, "$pageview", path);

    /// <summary>An autocapture click; no text gives "Clicked {tag} on {page title}".</summary>
    internal static JourneyStep Click(double at, string? text, string tag = "button", string path = "/products") =>
        new(at, "$autocapture", path, Chain(text, tag), new Dictionary<string, string> { ["$event_type"] = "click" });

    /// <summary>A rage click; no text gives "Rage-clicked {tag} on {page title}".</summary>
    internal static JourneyStep Rage(double at, string? text, string tag = "button", string path = "/products") =>
        new(at, "$rageclick", path, Chain(text, tag));

    internal static JourneyStep Custom(double at, string name, string path = "/products", IReadOnlyDictionary<string, string>? properties = null) =>
        new(at, name, path, null, properties);

    private static JourneyStep SelectProduct(double at, string name) =>
        new(at, "product_clicked", "/products", null, new Dictionary<string, string> { ["product_name"] = name });

    private static string Chain(string? text, string tag) =>
        (text is null ? $"{tag}.item:nth-child=\"1\"nth-of-type=\"1\"" : $"{tag}.item:nth-child=\"1\"nth-of-type=\"1\"text=\"{text}\"") + ";div.container:nth-child=\"1\"";
}
