using System.Globalization;

namespace SessionInsights.Cli.Load;

internal sealed record ShopProduct(string Id, string Name, decimal Price, string Category)
{
    public string Slug => Name.ToLowerInvariant().Replace(' ', '-');

    public string PagePath => $"/products/{Slug}";

    /// <summary>The price as the shop shows it, e.g. <c>$1,299.00</c>: the rules look for the <c>$</c>.</summary>
    public string PriceText => Price.ToString("$#,##0.00", CultureInfo.InvariantCulture);
}

/// <summary>The drone shop the simulated users visit; names overlap the default rules on purpose (Phantom X Pro, Racing).</summary>
internal static class ShopCatalog
{
    public const string Origin = "https://shop.example.com";

    public static IReadOnlyList<ShopProduct> Products { get; } =
    [
        new("p-1", "Phantom X Pro", 1299.00m, "Professional"),
        new("p-2", "Racing Raptor", 549.00m, "Racing"),
        new("p-3", "Sky Scout", 199.99m, "Consumer"),
        new("p-4", "Nimbus Mini", 89.00m, "Consumer"),
        new("p-5", "Falcon Racer", 749.00m, "Racing"),
        new("p-6", "Cargo Lifter 8", 2499.00m, "Commercial"),
        new("p-7", "Aero Survey", 1899.50m, "Commercial"),
        new("p-8", "Zephyr Lite", 329.00m, "Consumer"),
        new("p-9", "Vortex FPV", 419.00m, "Racing"),
        new("p-10", "Horizon 4K", 999.00m, "Professional"),
    ];

    public static IReadOnlyList<string> Categories { get; } = ["All", "Professional", "Racing", "Consumer", "Commercial"];

    public static IReadOnlyList<string> Browsers { get; } = ["Chrome", "Safari", "Firefox", "Microsoft Edge"];

    public static IReadOnlyList<(string Os, string Device, int ScreenWidth)> Devices { get; } =
    [
        ("Mac OS X", "Desktop", 1440), ("Windows", "Desktop", 1920), ("iOS", "Mobile", 390), ("Android", "Mobile", 412), ("Linux", "Desktop", 2560),
    ];
}
