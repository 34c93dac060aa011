using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Benchmarks;

/// <summary>A realistic shop event mix, parsed once up front so the benchmark measures the domain only.</summary>
internal static class SyntheticEvents
{
    private static readonly string[] Paths = ["/", "/products", "/products/phantom-x-pro", "/cart", "/checkout", "/about"];
    private static readonly string[] Buttons = ["Add to Cart", "Shop Now", "$1,299.00", "Checkout", "Continue Shopping", "Racing"];

    public static PostHogEvent[] Generate(int users, int eventsPerUser, int seed = 7)
    {
        var random = new Random(seed);
        var result = new PostHogEvent[users * eventsPerUser];
        var t0 = new DateTimeOffset(2025, 12, 8, 12, 0, 0, TimeSpan.Zero);
        var i = 0;
        for (var e = 0; e < eventsPerUser; e++)
        {
            for (var u = 0; u < users; u++)
            {
                var path = Paths[random.Next(Paths.Length)];
                var kind = random.Next(10);
                var (name, chain, extra) = kind switch
                {
                    < 4 => ("$pageview", (string?)null, ""),
                    < 8 => ("$autocapture", Chain(Buttons[random.Next(Buttons.Length)], random.Next(3) == 0), ",\"$event_type\":\"click\""),
                    8 => ("$rageclick", Chain(Buttons[random.Next(Buttons.Length)], false), ""),
                    _ => ("product_clicked", null, ",\"product_name\":\"Phantom X Pro\",\"price\":1299"),
                };
                var props = $"{{\"$session_id\":\"s-{u}\",\"$pathname\":\"{path}\",\"$current_url\":\"https://shop.example.com{path}\",\"$browser\":\"Chrome\",\"$os\":\"Linux\",\"$screen_width\":1920,\"token\":\"phc_x\",\"distinct_id\":\"u-{u}\",\"plan\":\"pro\"{extra}}}";
                using var doc = JsonDocument.Parse(props);
                result[i++] = new PostHogEvent(Guid.NewGuid(), name, $"u-{u}", t0.AddSeconds(e * 7 + u % 5), doc.RootElement.Clone(), chain);
            }
        }
        return result;
    }

    private static string Chain(string text, bool capture) =>
        $"button.btn.btn-primary:attr__class=\"btn btn-primary\"{(capture ? "attr__data-ph-capture-attribute-product-id=\"p-17\"" : "")}nth-child=\"1\"nth-of-type=\"1\"text=\"{text}\";div.card.p-4:attr__class=\"card p-4\"nth-child=\"2\"nth-of-type=\"2\";div.grid:nth-child=\"1\";main.container:nth-child=\"1\";body:nth-child=\"2\"";
}
