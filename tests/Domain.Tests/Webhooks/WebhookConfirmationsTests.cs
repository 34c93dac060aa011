using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Users;
using SessionInsights.Domain.Webhooks;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Webhooks;

/// <summary>
/// pattern.confirmed rows: the seed rule cart_abandonment_with_items fires pending at an Add to Cart
/// click and is confirmed once its 15-minute window has passed with no checkout.
/// </summary>
public sealed class WebhookConfirmationsTests
{
    private static readonly InsightsOptions Seed = InsightsOptions.Default with { Rules = RulePacks.Load(RulePacks.Seed) };
    private const string User = "user-42";
    private const string Session = "s-42";
    private const long Project = 3;
    private const string Code = "cart_abandonment_with_items";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private static readonly WebhookEndpoint[] Endpoints =
    [
        new("https://bot.example/hooks", "secret-for-every-project", null),
        new("https://other.example/in", "secret-for-project-seven", 7),
    ];

    private static PostHogEvent Event(string name, double seconds, string path, string? chain = null, string extra = "")
    {
        using var doc = JsonDocument.Parse($$"""{ "$session_id":"{{Session}}", "$pathname":"{{path}}","$current_url":"http://localhost:3000{{path}}","token":"t","distinct_id":"{{User}}" {{extra}} }""");
        return new PostHogEvent(Guid.NewGuid(), name, User, At(seconds), doc.RootElement.Clone(), chain);
    }

    /// <summary>A product page, then Add to Cart at 5 s: the abandonment is pending until 5 s + 15 min.</summary>
    private static UserActivity PendingCart(bool collect = true)
    {
        var user = new UserActivity(User, Seed) { ConfirmedPatterns = collect ? [] : null };
        user.Apply(Event("$pageview", 0, "/products"), At(0));
        user.Apply(Event("$autocapture", 5, "/products", "button.btn:text=\"Add to Cart\"", ",\"$event_type\":\"click\""), At(5));
        Assert.Empty(user.ConfirmedPatterns ?? []);
        return user;
    }

    [Fact]
    public void A_timer_confirmation_makes_one_row_per_covering_endpoint_with_the_confirmed_pattern_and_the_window_end()
    {
        var user = PendingCart();
        var confirmedAt = At(5) + Window + TimeSpan.FromSeconds(0.25);

        Assert.NotEmpty(user.ConfirmPatterns(confirmedAt));
        var confirmation = Assert.Single(user.ConfirmedPatterns!);
        Assert.Equal((Session, At(5) + Window), (confirmation.SessionId, confirmation.WindowEnd));

        var rows = WebhookFirings.ConfirmedRows(user.ConfirmedPatterns!, Project, User, confirmedAt, Endpoints, "https://insights.example.com");
        var row = Assert.Single(rows);
        Assert.Equal(("https://bot.example/hooks", Code, Session, WebhookFirings.PatternConfirmed, confirmedAt), (row.Endpoint, row.PatternCode, row.SessionId, row.Kind, row.FiredAt));
        Assert.Equal(WebhookFirings.ConfirmedIdOf(Project, User, Session, Code, At(5) + Window), row.Id);
        using var payload = JsonDocument.Parse(row.Payload);
        var p = payload.RootElement;
        Assert.Equal(["kind", "id", "project", "user_id", "session_id", "pattern", "window_ended_at", "confirmed_at", "context_url"], p.EnumerateObject().Select(x => x.Name));
        Assert.Equal(("pattern.confirmed", row.Id.ToString("D"), 3, User, Session), (p.GetProperty("kind").GetString(), p.GetProperty("id").GetString(), p.GetProperty("project").GetInt64(), p.GetProperty("user_id").GetString(), p.GetProperty("session_id").GetString()));
        var pattern = p.GetProperty("pattern");
        Assert.Equal((Code, "HIGH", "confirmed"), (pattern.GetProperty("code").GetString(), pattern.GetProperty("severity").GetString(), pattern.GetProperty("status").GetString()));
        Assert.Equal((1, "2025-12-09T10:00:05Z"), (pattern.GetProperty("evidence").GetProperty("count").GetInt32(), pattern.GetProperty("evidence").GetProperty("last_seen").GetString()));
        Assert.Equal(("2025-12-09T10:15:05Z", "2025-12-09T10:15:05.25Z"), (p.GetProperty("window_ended_at").GetString(), p.GetProperty("confirmed_at").GetString()));
        Assert.Equal("https://insights.example.com/session/context/user-42", p.GetProperty("context_url").GetString());
    }

    [Fact]
    public void The_id_is_the_same_for_a_replay_or_another_activation_and_differs_for_another_window_or_the_firing()
    {
        var first = PendingCart();
        first.ConfirmPatterns(At(5) + Window);
        var id = WebhookFirings.ConfirmedRows(first.ConfirmedPatterns!, Project, User, At(5) + Window, Endpoints, null)[0].Id;

        // Replayed and confirmed later, by a later event passing the deadline rather than the timer: same id.
        var replayed = PendingCart();
        replayed.Apply(Event("$pageview", 5 + Window.TotalSeconds + 60, "/products"), At(3600));
        var again = Assert.Single(replayed.ConfirmedPatterns!);
        Assert.Equal(id, WebhookFirings.ConfirmedRows([again], Project, User, At(3600), Endpoints, null)[0].Id);

        Assert.Equal(8, id.Version);
        Assert.NotEqual(id, WebhookFirings.ConfirmedIdOf(Project, User, Session, Code, At(6) + Window));
        Assert.NotEqual(id, WebhookFirings.ConfirmedIdOf(Project, User, "s-43", Code, At(5) + Window));
        Assert.NotEqual(id, WebhookFirings.IdOf(WebhookFirings.PatternConfirmed, Project, User, Session, Code, Guid.Empty));
    }

    [Fact]
    public void Nothing_is_collected_unless_asked_and_nothing_is_written_without_a_covering_endpoint()
    {
        var quiet = PendingCart(collect: false);
        Assert.NotEmpty(quiet.ConfirmPatterns(At(5) + Window));
        Assert.Null(quiet.ConfirmedPatterns);

        var user = PendingCart();
        // Not yet due: nothing confirmed.
        Assert.Empty(user.ConfirmPatterns(At(4) + Window));
        Assert.Empty(user.ConfirmedPatterns!);
        user.ConfirmPatterns(At(5) + Window);
        Assert.Empty(WebhookFirings.ConfirmedRows(user.ConfirmedPatterns!, Project, User, At(5) + Window, [Endpoints[1]], null));
        Assert.Empty(WebhookFirings.ConfirmedRows(user.ConfirmedPatterns!, Project, User, At(5) + Window, [], null));
        Assert.Empty(WebhookFirings.ConfirmedRows([], Project, User, At(5) + Window, Endpoints, null));

        // Broken by a checkout within the window: the pattern is gone, nothing confirmed.
        var bought = PendingCart();
        bought.Apply(Event("$autocapture", 60, "/cart", "button.btn:text=\"Checkout\"", ",\"$event_type\":\"click\""), At(60));
        bought.ConfirmPatterns(At(60) + Window + Window);
        Assert.DoesNotContain(bought.ConfirmedPatterns!, c => c.Rule == Seed.Rules.Rules.ToList().FindIndex(r => r.Code == Code));

        // Applied after its window had passed (an event dated long ago): it fires confirmed, so no confirmation follows.
        var late = new UserActivity(User, Seed) { ConfirmedPatterns = [] };
        late.Apply(Event("$pageview", 0, "/products"), At(3600));
        var fired = late.Apply(Event("$autocapture", 5, "/products", "button.btn:text=\"Add to Cart\"", ",\"$event_type\":\"click\""), At(3600));
        Assert.Contains(Code, fired.Session!.PatternsJson);
        late.ConfirmPatterns(At(7200));
        Assert.Empty(late.ConfirmedPatterns!);
    }
}
