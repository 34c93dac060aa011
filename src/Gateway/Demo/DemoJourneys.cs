using System.Text.Json.Nodes;

namespace SessionInsights.Gateway.Demo;

/// <summary>
/// Scripted visits to a drone shop, shaped like real posthog-js traffic (autocapture chains with
/// capture attributes, custom events, rage clicks), chosen so the default rules have something to find.
/// </summary>
public static class DemoJourneys
{
    public delegate JsonObject Step(string user, string session, DateTimeOffset at);

    public static IReadOnlyList<(string Name, Step[] Steps)> All { get; } =
    [
        ("checkout-abandoner",
        [
            Page("/"), Click("button", "Shop Now", "/"), Page("/products"),
            Custom("product_clicked", "/products", ("product_name", "Phantom X Pro")),
            Page("/products/phantom-x-pro"),
            Click("button", "Add to Cart", "/products/phantom-x-pro", ("product-id", "phantom-x-pro")),
            Custom("item_added_to_cart", "/products/phantom-x-pro", ("product_name", "Phantom X Pro")),
            Page("/cart"), Click("button", "Checkout", "/cart"), Page("/checkout"), Leave("/checkout"),
        ]),
        ("price-frustrated",
        [
            Page("/"), Page("/products"), Click("button", "Racing", "/products", ("filter", "racing")),
            Custom("filter_changed", "/products", ("filter", "racing")),
            Rage("span", "$1,299.00", "/products/falcon-racer"), Rage("span", "$1,299.00", "/products/falcon-racer"),
            Click("button", "Contact Support", "/products/falcon-racer", ("nav", "support")),
        ]),
        ("wishlist-browser",
        [
            Page("/"), Page("/products"), Custom("toggle_favorite", "/products", ("product_name", "Sky Scout")),
            Custom("toggle_favorite", "/products", ("product_name", "Nimbus Mini")),
            Page("/cart"), Custom("remove_from_cart", "/cart", ("product_name", "Sky Scout")),
            Custom("remove_from_cart", "/cart", ("product_name", "Nimbus Mini")), Leave("/cart"),
        ]),
    ];

    private static Step Page(string path) => (u, s, t) => Event("$pageview", u, s, t, path, null);

    private static Step Leave(string path) => (u, s, t) => Event("$pageleave", u, s, t, path, null);

    private static Step Click(string tag, string text, string path, params (string Name, string Value)[] attrs) =>
        (u, s, t) => Event("$autocapture", u, s, t, path, Chain(tag, text, attrs), ("$event_type", "click"));

    private static Step Rage(string tag, string text, string path) =>
        (u, s, t) => Event("$rageclick", u, s, t, path, Chain(tag, text, []));

    private static Step Custom(string name, string path, params (string Name, string Value)[] props) =>
        (u, s, t) => Event(name, u, s, t, path, null, props);

    private static string Chain(string tag, string text, (string Name, string Value)[] attrs)
    {
        var capture = string.Concat(attrs.Select(a => $"attr__data-ph-capture-attribute-{a.Name}=\"{a.Value}\""));
        return $"{tag}.btn:attr__class=\"btn\"{capture}nth-child=\"1\"nth-of-type=\"1\"text=\"{text}\";div.card:nth-child=\"2\"nth-of-type=\"2\";main.container:nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"1\"nth-of-type=\"1\"";
    }

    private static JsonObject Event(string name, string user, string session, DateTimeOffset at, string path, string? chain, params (string Name, string Value)[] props)
    {
        var properties = new JsonObject
        {
            ["$session_id"] = session,
            ["$pathname"] = path,
            ["$current_url"] = "https://shop.example.com" + path,
            ["token"] = "demo_token",
        };
        foreach (var (k, v) in props)
        {
            properties[k] = v;
        }
        return new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["uuid"] = Guid.CreateVersion7().ToString(),
                ["event"] = name,
                ["distinct_id"] = user,
                ["timestamp"] = at.ToString("O"),
                ["properties"] = properties,
                ["elements_chain"] = chain,
            },
        };
    }
}
