using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Users;
using SessionInsights.Domain.Webhooks;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Webhooks;

/// <summary>Outbox rows from a real firing: the seed rules, the real enricher, PostHog-shaped events.</summary>
public sealed class WebhookFiringsTests
{
    private static readonly InsightsOptions Seed = InsightsOptions.Default with { Rules = RulePacks.Load(RulePacks.Seed) };
    private const string User = "user-42";
    private const string Session = "s-42";
    private const long Project = 3;

    private static readonly WebhookEndpoint[] Endpoints =
    [
        new("https://bot.example/hooks", "secret-for-every-project", null),
        new("https://crm.example/in", "secret-for-project-three", Project),
        new("https://other.example/in", "secret-for-project-seven", 7),
    ];

    private static PostHogEvent Event(string name, double seconds, string path, string? chain = null, Guid? uuid = null)
    {
        using var doc = JsonDocument.Parse($$"""{ "$session_id":"{{Session}}", "$pathname":"{{path}}","$current_url":"http://localhost:3000{{path}}","token":"t","distinct_id":"{{User}}" }""");
        return new PostHogEvent(uuid ?? Guid.NewGuid(), name, User, At(seconds), doc.RootElement.Clone(), chain);
    }

    private static readonly Guid RageUuid = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");

    private static (AppliedEvent Rage, UserActivity User) Journey()
    {
        var user = new UserActivity(User, Seed);
        user.Apply(Event("$pageview", 0, "/pricing"), At(0));
        var rage = user.Apply(Event("$rageclick", 9, "/pricing", "button.btn:text=\"$49 / month\"", RageUuid), At(9));
        return (rage, user);
    }

    [Fact]
    public void A_firing_makes_one_row_per_endpoint_of_the_project_with_one_id_and_the_context_form_of_the_pattern()
    {
        var (rage, _) = Journey();

        var rows = WebhookFirings.Rows(rage, Project, User, RageUuid, At(9.5), Endpoints, "https://insights.example.com/");

        Assert.Equal(["https://bot.example/hooks", "https://crm.example/in"], rows.Select(r => r.Endpoint));
        var row = rows[0];
        Assert.Equal(rows[1], row with { Endpoint = rows[1].Endpoint });
        Assert.Equal(("price_rage_click", Session, WebhookFirings.PatternFired, At(9.5)), (row.PatternCode, row.SessionId, row.Kind, row.FiredAt));
        using var payload = JsonDocument.Parse(row.Payload);
        var p = payload.RootElement;
        Assert.Equal(["kind", "id", "project", "user_id", "session_id", "pattern", "trigger_event_id", "fired_at", "context_url"], p.EnumerateObject().Select(x => x.Name));
        Assert.Equal(("pattern.fired", row.Id.ToString("D"), 3, User, Session), (p.GetProperty("kind").GetString(), p.GetProperty("id").GetString(), p.GetProperty("project").GetInt64(), p.GetProperty("user_id").GetString(), p.GetProperty("session_id").GetString()));
        var pattern = p.GetProperty("pattern");
        Assert.Equal(("price_rage_click", "HIGH", "confirmed"), (pattern.GetProperty("code").GetString(), pattern.GetProperty("severity").GetString(), pattern.GetProperty("status").GetString()));
        Assert.Equal("Rage-clicked a price: confusion or frustration about cost", pattern.GetProperty("description").GetString());
        var evidence = pattern.GetProperty("evidence");
        Assert.Equal((1, "2025-12-09T10:00:09Z", "2025-12-09T10:00:09Z"), (evidence.GetProperty("count").GetInt32(), evidence.GetProperty("first_seen").GetString(), evidence.GetProperty("last_seen").GetString()));
        Assert.Equal([rage.Event.EnrichedEventId.ToString("D")], evidence.GetProperty("event_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(RageUuid.ToString("D"), p.GetProperty("trigger_event_id").GetString());
        Assert.Equal("2025-12-09T10:00:09.5Z", p.GetProperty("fired_at").GetString());
        Assert.Equal("https://insights.example.com/session/context/user-42", p.GetProperty("context_url").GetString());
    }

    [Fact]
    public void The_id_is_the_same_when_the_events_are_replayed_and_differs_for_another_firing()
    {
        var (first, _) = Journey();
        var (replayed, _) = Journey();

        var id = WebhookFirings.Rows(first, Project, User, RageUuid, At(9.5), Endpoints, null)[0].Id;
        // A replay after a crash runs at another time, maybe on another silo: same id.
        Assert.Equal(id, WebhookFirings.Rows(replayed, Project, User, RageUuid, At(3600), Endpoints, null)[0].Id);
        Assert.Equal(id, WebhookFirings.IdOf(WebhookFirings.PatternFired, Project, User, Session, "price_rage_click", RageUuid));
        Assert.NotEqual(id, WebhookFirings.IdOf(WebhookFirings.PatternFired, Project, User, Session, "price_rage_click", Guid.NewGuid()));
        Assert.NotEqual(id, WebhookFirings.IdOf(WebhookFirings.PatternFired, 4, User, Session, "price_rage_click", RageUuid));
        Assert.Equal(8, id.Version);
    }

    [Fact]
    public void Only_a_new_match_fires_and_without_a_covering_endpoint_there_is_no_row()
    {
        var (rage, user) = Journey();
        var again = user.Apply(Event("$rageclick", 20, "/pricing", "button.btn:text=\"$49 / month\""), At(20));

        Assert.Empty(WebhookFirings.Rows(again, Project, User, again.Event.RawEventId, At(20), Endpoints, null));
        Assert.Empty(WebhookFirings.Rows(rage, 5, User, RageUuid, At(9.5), [Endpoints[2]], null));
        Assert.Empty(WebhookFirings.Rows(rage, Project, User, RageUuid, At(9.5), [], null));
        Assert.Equal("/session/context/a%20b%2Fc", WebhookFirings.ContextUrl("a b/c", null));
    }
}
