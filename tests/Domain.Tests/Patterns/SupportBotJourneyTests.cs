using System.Text.Json;
using SessionInsights.Domain.Patterns;
using SessionInsights.Tests.Shared;
using static SessionInsights.Tests.Shared.ShippedRuleJourneys;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>
/// The issue's SaaS journey (pricing → "Upgrade to Pro" → checkout → paid → rage clicks on the pay
/// button), as a support bot reads it: what each pack reports, with which status.
/// </summary>
public class SupportBotJourneyTests
{
    private static JourneyStep[] PaidThenRage(string payButton) =>
    [
        Page(0, "/pricing"),
        Click(20, "Upgrade to Pro", path: "/pricing"),
        Page(30, "/checkout"),
        Custom(90, "payment_succeeded", "/checkout"),
        Rage(100, payButton, path: "/checkout"),
    ];

    private static readonly JourneyStep[] NotPaid =
    [
        Page(0, "/pricing"),
        Click(20, "Upgrade to Pro", path: "/pricing"),
        Page(30, "/checkout"),
    ];

    private static List<(string Code, string Status)> Patterns(JsonElement context) =>
        [.. context.GetProperty("patterns").EnumerateArray().Select(p => (p.GetProperty("code").GetString()!, p.GetProperty("status").GetString()!))];

    [Theory]
    [InlineData("Pay $49.00")]
    [InlineData("Pay now")]
    public void Saas_pack_reports_only_the_pay_button_rage_click_for_a_customer_who_paid(string payButton)
    {
        var context = ShippedRulesTests.Context(RulePacks.Saas, PaidThenRage(payButton), after: TimeSpan.Zero);

        Assert.Equal([("payment_button_rage_click", "confirmed")], Patterns(context));
    }

    [Theory]
    [InlineData("Pay $49.00")]
    [InlineData("Pay now")]
    public void Shop_pack_no_longer_reports_abandonment_or_price_confusion_for_a_customer_who_paid(string payButton)
    {
        var codes = Patterns(ShippedRulesTests.Context(RulePacks.Shop, PaidThenRage(payButton), after: TimeSpan.Zero)).Select(p => p.Code).ToList();

        Assert.Contains("payment_button_rage_click", codes);
        Assert.DoesNotContain("checkout_abandonment", codes);
        Assert.DoesNotContain("price_rage_click", codes);
    }

    [Fact]
    public void Seed_pack_still_shows_what_the_issue_reported()
    {
        // Kept unchanged on purpose, so behaviour against the seeds can be checked.
        var paidDollar = Patterns(ShippedRulesTests.Context(RulePacks.Seed, PaidThenRage("Pay $49.00"), after: TimeSpan.Zero)).Select(p => p.Code).ToList();
        var paidNow = Patterns(ShippedRulesTests.Context(RulePacks.Seed, PaidThenRage("Pay now"), after: TimeSpan.Zero)).Select(p => p.Code).ToList();

        Assert.Contains("checkout_abandonment", paidDollar);
        Assert.Contains("price_rage_click", paidDollar);
        Assert.DoesNotContain(paidNow, c => c.Contains("rage_click", StringComparison.Ordinal));
    }

    [Fact]
    public void A_customer_who_has_not_paid_yet_is_pending_then_confirmed_once_the_windows_pass()
    {
        var justNow = Patterns(ShippedRulesTests.Context(RulePacks.Saas, NotPaid, after: TimeSpan.FromMinutes(1)));
        Assert.Equal([("upgrade_abandonment", "pending"), ("checkout_abandonment", "pending")], justNow);
        Assert.Empty(Patterns(ShippedRulesTests.Context(RulePacks.Saas, NotPaid, after: TimeSpan.FromMinutes(1), confirmedOnly: true)));

        // The checkout page was 10 s after the upgrade click: its 20-minute window ends first.
        var later = Patterns(ShippedRulesTests.Context(RulePacks.Saas, NotPaid, after: TimeSpan.FromSeconds(1200)));
        Assert.Equal([("upgrade_abandonment", "pending"), ("checkout_abandonment", "confirmed")], later);
        Assert.Equal([("checkout_abandonment", "confirmed")], Patterns(ShippedRulesTests.Context(RulePacks.Saas, NotPaid, after: TimeSpan.FromSeconds(1200), confirmedOnly: true)));

        var done = Patterns(ShippedRulesTests.Context(RulePacks.Saas, NotPaid, after: TimeSpan.FromMinutes(31)));
        Assert.Equal([("upgrade_abandonment", "confirmed"), ("checkout_abandonment", "confirmed")], done);
    }
}
