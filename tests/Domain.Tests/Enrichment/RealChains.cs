namespace SessionInsights.Domain.Tests.Enrichment;

/// <summary>Elements chains copied from a real PostHog export of a demo drone shop.</summary>
internal static class RealChains
{
    /// <summary>A nav button with a capture attribute; Tailwind classes with colons; nine segments.</summary>
    public const string AboutNavButton =
        "button.cursor-pointer.hover:text-indigo-600.text-gray-700.transition-colors:attr__class=\"cursor-pointer transition-colors text-gray-700 hover:text-indigo-600\"attr__data-ph-capture-attribute-nav=\"about\"nth-child=\"2\"nth-of-type=\"2\"text=\"About\";"
        + "nav.flex.gap-6.items-center:attr__class=\"flex items-center gap-6\"nth-child=\"2\"nth-of-type=\"1\";"
        + "div.flex.items-center.justify-between.py-4:attr__class=\"flex items-center justify-between py-4\"nth-child=\"1\"nth-of-type=\"1\";"
        + "div.max-w-7xl.mx-auto.px-4:attr__class=\"mx-auto max-w-7xl px-4\"nth-child=\"1\"nth-of-type=\"1\";"
        + "header.bg-white.shadow-sm.sticky.top-0.z-10:attr__class=\"bg-white shadow-sm sticky top-0 z-10\"nth-child=\"1\"nth-of-type=\"1\";"
        + "div.bg-gray-50.min-h-screen:attr__class=\"min-h-screen bg-gray-50\"nth-child=\"1\"nth-of-type=\"1\";"
        + "div:attr__id=\"root\"attr_id=\"root\"nth-child=\"1\"nth-of-type=\"1\";"
        + "body:attr__data-gr-ext-installed=\"\"attr__data-new-gr-c-s-check-loaded=\"14.1265.0\"nth-child=\"2\"nth-of-type=\"1\"";

    /// <summary>A product image: no text, an alt, capture attributes only on an ancestor.</summary>
    public const string ProductImage =
        "img.duration-300.group-hover:scale-105.h-full.object-cover.transition-transform.w-full:attr__alt=\"Racing Raptor\"attr__class=\"w-full h-full object-cover group-hover:scale-105 transition-transform duration-300\"attr__src=\"https://images.unsplash.com/photo-1699084582699-dfa7a31ad041?crop=entropy&cs=tinysrgb&fit=max&fm=jpg&q=80&w=1080\"nth-child=\"1\"nth-of-type=\"1\";"
        + "div.aspect-video.bg-gray-100.overflow-hidden.relative.rounded-t-lg:attr__class=\"relative aspect-video bg-gray-100 rounded-t-lg overflow-hidden\"nth-child=\"1\"nth-of-type=\"1\";"
        + "div.bg-white.cursor-pointer.group.hover:shadow-md.rounded-lg.shadow-sm.transition-all:attr__class=\"bg-white rounded-lg shadow-sm hover:shadow-md transition-all cursor-pointer group\"attr__data-ph-capture-attribute-product-id=\"2\"attr__data-ph-capture-attribute-product-name=\"Racing Raptor\"nth-child=\"2\"nth-of-type=\"2\";"
        + "div.gap-6.grid.grid-cols-1.lg:grid-cols-3.mb-12.md:grid-cols-2:attr__class=\"grid grid-cols-1 md:grid-cols-2 lg:grid-cols-3 gap-6 mb-12\"nth-child=\"2\"nth-of-type=\"2\";"
        + "main.max-w-7xl.mx-auto.px-4.py-8:attr__class=\"mx-auto max-w-7xl px-4 py-8\"nth-child=\"2\"nth-of-type=\"1\"";

    /// <summary>An icon inside a button: the svg has no text and no capture attributes.</summary>
    public const string FavoriteIcon =
        "svg.lucide.lucide-heart.text-gray-600:attr__class=\"lucide lucide-heart text-gray-600\"attr__fill=\"none\"attr__height=\"18\"attr__stroke=\"currentColor\"attr__viewBox=\"0 0 24 24\"attr__width=\"18\"attr__xmlns=\"http://www.w3.org/2000/svg\"nth-child=\"1\"nth-of-type=\"1\";"
        + "button.absolute.bg-white.hover:bg-gray-50.p-2.right-3.rounded-full.shadow-md.top-3.transition-colors:attr__class=\"absolute top-3 right-3 p-2 bg-white rounded-full shadow-md hover:bg-gray-50 transition-colors\"attr__data-ph-capture-attribute-action=\"toggle-favorite\"nth-child=\"2\"nth-of-type=\"1\"";

    /// <summary>A div with no classes: "div:" followed directly by attributes.</summary>
    public const string BareDiv = "div:nth-child=\"1\"nth-of-type=\"1\"";
}
