using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Tests.Enrichment;

public class PageInfoTests
{
    private static PageInfo From(string propertiesJson)
    {
        using var doc = JsonDocument.Parse(propertiesJson);
        return PageInfo.From(doc.RootElement);
    }

    [Theory]
    [InlineData("""{"$pathname":"/billing"}""", "/billing")]
    [InlineData("""{"$pathname":"/billing/"}""", "/billing")]
    [InlineData("""{"$pathname":"/billing//"}""", "/billing")]
    [InlineData("""{"$pathname":"/"}""", "/")]
    [InlineData("""{"$pathname":"///"}""", "/")]
    [InlineData("""{"$pathname":"pricing"}""", "/pricing")]
    [InlineData("""{"$pathname":"/products/42","$current_url":"https://x.io/cart"}""", "/products/42")]
    [InlineData("""{"$pathname":"","$current_url":"https://x.io/cart"}""", "/cart")]
    [InlineData("""{"$current_url":"https://shop.example.com/products/42/?ref=mail#reviews"}""", "/products/42")]
    [InlineData("""{"$current_url":"http://localhost:3000/"}""", "/")]
    [InlineData("""{"$current_url":"http://localhost:3000"}""", "/")]
    [InlineData("""{"$current_url":"http://localhost:3000?tab=2"}""", "/")]
    [InlineData("""{"$current_url":"http://localhost:3000#top"}""", "/")]
    [InlineData("""{"$current_url":"/cart?step=2"}""", "/cart")]
    [InlineData("""{"$current_url":"https://x.io/search/caf%C3%A9"}""", "/search/caf%C3%A9")]
    [InlineData("""{"$session_entry_url":"http://localhost:3000/shop"}""", "/")]
    [InlineData("""{"$pathname":42}""", "/")]
    [InlineData("""{}""", "/")]
    public void PagePath(string properties, string path)
    {
        Assert.Equal(path, From(properties).Path);
    }

    [Theory]
    [InlineData("""{}""", "home page")]
    [InlineData("""{"$pathname":"/"}""", "home page")]
    [InlineData("""{"$pathname":"/billing"}""", "billing page")]
    [InlineData("""{"$pathname":"/billing/invoices/7"}""", "billing page")]
    [InlineData("""{"$pathname":"/order-history"}""", "order history page")]
    [InlineData("""{"$pathname":"/user_settings"}""", "user settings page")]
    [InlineData("""{"$pathname":"/caf%C3%A9"}""", "café page")]
    [InlineData("""{"$current_url":"https://x.io/checkout/payment?x=1"}""", "checkout page")]
    [InlineData("""{"$pathname":"/billing","title":"Billing – Acme"}""", "Billing – Acme")]
    [InlineData("""{"title":"Acme Shop"}""", "Acme Shop")]
    [InlineData("""{"$pathname":"/billing","title":""}""", "billing page")]
    [InlineData("""{"$pathname":"/billing","title":null}""", "billing page")]
    public void PageTitle(string properties, string title)
    {
        Assert.Equal(title, From(properties).Title);
    }

    [Theory]
    [InlineData("https://a.b/c/d?e#f", "/c/d")]
    [InlineData("https://a.b", "")]
    [InlineData("https://a.b?x=/y", "")]
    [InlineData("/only/path", "/only/path")]
    [InlineData("", "")]
    public void PathOfUrl(string url, string path)
    {
        Assert.Equal(path, Encoding.UTF8.GetString(PageInfo.PathOfUrl(Encoding.UTF8.GetBytes(url))));
    }
}
