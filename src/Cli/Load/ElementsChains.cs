using System.Text;

namespace SessionInsights.Cli.Load;

/// <summary>
/// Builds <c>elements_chain</c> strings the way posthog-js writes them: innermost element first,
/// classes sorted after the tag, <c>attr__class</c> in source order, capture attributes, nth-child /
/// nth-of-type and the element's text.
/// </summary>
internal static class ElementsChains
{
    /// <summary>The page shell every clicked element sits in.</summary>
    private static readonly string PageShell =
        Element("main", "mx-auto max-w-7xl px-4 py-8", 2) + ";" + Element("div", "min-h-screen bg-gray-50", 1) + ";div:attr__id=\"root\"attr_id=\"root\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"";

    private static readonly string HeaderShell =
        Element("nav", "flex items-center gap-6", 2) + ";" + Element("header", "bg-white shadow-sm sticky top-0 z-10", 1) + ";" + Element("div", "min-h-screen bg-gray-50", 1) + ";body:nth-child=\"2\"nth-of-type=\"1\"";

    public static string NavButton(string text, string nav, int position) =>
        Element("button", "cursor-pointer transition-colors text-gray-700 hover:text-indigo-600", position, text, ("data-ph-capture-attribute-nav", nav)) + ";" + HeaderShell;

    public static string CartIcon(int itemsInCart) =>
        Element("span", "absolute -top-1 -right-1 bg-indigo-600 text-white text-xs rounded-full w-5 h-5", 2, itemsInCart.ToString(System.Globalization.CultureInfo.InvariantCulture))
        + ";" + Element("button", "relative text-gray-700 hover:text-indigo-600", 3, null, ("data-ph-capture-attribute-nav", "cart")) + ";" + HeaderShell;

    public static string Logo() => Element("h1", "text-indigo-600 cursor-pointer", 1, "SkyTech Drones") + ";" + HeaderShell;

    public static string HeroButton(string text) =>
        Element("a", "btn btn-primary px-6 py-3", 1, text, ("href", "/products")) + ";" + Element("section", "hero text-center", 1) + ";" + PageShell;

    public static string CategoryFilter(string category, int position) =>
        Element("button", "cursor-pointer px-4 py-2 rounded-full transition-colors bg-gray-100 text-gray-700 hover:bg-gray-200", position, category, ("data-ph-capture-attribute-category", category))
        + ";" + Element("div", "flex flex-wrap gap-2", 2) + ";" + PageShell;

    /// <summary>A click on a product card in the grid; the capture attributes make it a "product card".</summary>
    public static string ProductCard(ShopProduct p, int position) =>
        Element("div", "bg-white rounded-lg shadow-sm hover:shadow-md transition-all cursor-pointer group", position, p.Name,
            ("data-ph-capture-attribute-product-id", p.Id), ("data-ph-capture-attribute-product-name", p.Name))
        + ";" + Grid();

    public static string ProductImage(ShopProduct p, int position) =>
        Element("img", "w-full h-full object-cover group-hover:scale-105 transition-transform duration-300", 1, null,
            ("alt", p.Name), ("src", $"https://images.example.com/drones/{p.Id}.jpg?w=640&fit=crop"))
        + ";" + Element("div", "relative aspect-video bg-gray-100 rounded-t-lg overflow-hidden", 1)
        + ";" + Element("div", "bg-white rounded-lg shadow-sm cursor-pointer group", position, null, ("data-ph-capture-attribute-product-id", p.Id))
        + ";" + Grid();

    public static string Price(ShopProduct p) =>
        Element("span", "text-xl font-bold text-indigo-600", 1, p.PriceText) + ";" + Element("div", "flex items-center justify-between", 4) + ";" + PageShell;

    public static string AddToCart(ShopProduct p) =>
        Element("button", "btn btn-primary", 1, "Add to Cart", ("data-ph-capture-attribute-product-id", p.Id))
        + ";" + Element("div", "card", 2) + ";" + PageShell;

    public static string FavoriteIcon(ShopProduct p, int position) =>
        "svg.lucide.lucide-heart.text-gray-600:attr__class=\"lucide lucide-heart text-gray-600\"attr__fill=\"none\"attr__height=\"18\"attr__stroke=\"currentColor\"attr__viewBox=\"0 0 24 24\"attr__width=\"18\"attr__xmlns=\"http://www.w3.org/2000/svg\"nth-child=\"1\"nth-of-type=\"1\";"
        + Element("button", "absolute top-3 right-3 p-2 bg-white rounded-full shadow-md", 2, null, ("data-ph-capture-attribute-action", "toggle-favorite"))
        + ";" + Element("div", "bg-white rounded-lg shadow-sm cursor-pointer group", position, null, ("data-ph-capture-attribute-product-id", p.Id), ("data-ph-capture-attribute-product-name", p.Name))
        + ";" + Grid();

    public static string ActionButton(string text, string action, string classes = "px-4 py-2 bg-indigo-600 text-white rounded-lg hover:bg-indigo-700") =>
        Element("button", classes, 1, text, ("data-ph-capture-attribute-action", action)) + ";" + Element("div", "flex gap-3", 4) + ";" + PageShell;

    public static string QuantityButton(string symbol, ShopProduct p) =>
        Element("button", "w-8 h-8 rounded border border-gray-300 hover:bg-gray-50", symbol == "+" ? 3 : 1, symbol, ("data-ph-capture-attribute-action", symbol == "+" ? "increase-quantity" : "decrease-quantity"))
        + ";" + Element("div", "flex items-center gap-2", 2) + ";" + Element("li", "cart-item flex py-4", 1, null, ("data-ph-capture-attribute-product-id", p.Id)) + ";" + PageShell;

    public static string PlaceOrder() =>
        Element("button", "w-full py-3 bg-indigo-600 text-white rounded-lg", 6, "Place Order", ("data-ph-capture-attribute-form-id", "checkout"))
        + ";" + Element("form", "space-y-4", 1, null, ("id", "checkout-form")) + ";" + PageShell;

    public static string DeadText(string text) =>
        Element("p", "text-gray-600", 2, text) + ";" + Element("div", "mb-6 flex items-center justify-between", 1) + ";" + PageShell;

    private static string Grid() => Element("div", "grid grid-cols-1 md:grid-cols-2 lg:grid-cols-3 gap-6 mb-12", 2) + ";" + PageShell;

    /// <summary>One element: <c>tag.sorted.classes:attr__class="…"attr__…nth-child="n"nth-of-type="n"text="…"</c>.</summary>
    private static string Element(string tag, string classes, int nth, string? text = null, params (string Name, string Value)[] attributes)
    {
        var sb = new StringBuilder(tag);
        var classList = classes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var c in classList.Order(StringComparer.Ordinal))
        {
            sb.Append('.').Append(c);
        }
        sb.Append(':');
        if (classList.Length > 0)
        {
            sb.Append("attr__class=\"").Append(Escape(classes)).Append('"');
        }
        foreach (var (name, value) in attributes)
        {
            sb.Append("attr__").Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }
        sb.Append("nth-child=\"").Append(nth).Append("\"nth-of-type=\"1\"");
        if (text is not null)
        {
            sb.Append("text=\"").Append(Escape(text)).Append('"');
        }
        return sb.ToString();
    }

    private static string Escape(string value) => value.Replace("\"", "\\\"", StringComparison.Ordinal);
}
