using System.Text.Json;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Tests.Support;
using static SessionInsights.Domain.Tests.Support.Ev;
using static SessionInsights.Domain.Tests.Support.PatternRun;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>Pending while a negative time window may still cancel a pattern, confirmed after.</summary>
public class PatternStatusTests
{
    private static readonly Domain.Patterns.PatternRuleSet Set = Rules.Many(
        Rules.Rule("abandon", "\"filter\":{\"semantic_contains\":\"add\"},\"negative_filter\":{\"semantic_contains\":\"buy\"},\"negative_time_window_seconds\":60"),
        Rules.Rule("anytime", "\"filter\":{\"semantic_contains\":\"add\"},\"negative_filter\":{\"semantic_contains\":\"refund\"}"),
        Rules.Rule("plain", "\"filter\":{\"semantic_contains\":\"add\"}"));

    private static List<(string Code, string Status)> Statuses(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(p => (p.GetProperty("code").GetString()!, p.GetProperty("status").GetString()!))];

    private static List<(string Code, string Status)> ContextStatuses(Domain.Sessions.TrackedSession session, DateTimeOffset now, bool confirmedOnly = false) =>
        Statuses(JsonDocument.Parse(ContextRenderer.Render("u1", [], session, now, confirmedOnly)).RootElement.GetProperty("patterns").GetRawText());

    [Fact]
    public void Only_a_rule_with_a_negative_time_window_is_pending_and_only_until_its_window_ends()
    {
        var session = Session(Set, [Click("add", At(0))]);

        Assert.Equal([("abandon", "pending"), ("anytime", "confirmed"), ("plain", "confirmed")], ContextStatuses(session, At(59.999)));
        // The window is [last positive, last positive + 60 s]; at its end nothing can cancel it any more.
        Assert.Equal([("abandon", "confirmed"), ("anytime", "confirmed"), ("plain", "confirmed")], ContextStatuses(session, At(60)));
        Assert.Equal([("anytime", "confirmed"), ("plain", "confirmed")], ContextStatuses(session, At(30), confirmedOnly: true));
    }

    [Fact]
    public void A_later_positive_moves_the_deadline()
    {
        var session = Session(Set, [Click("add", At(0)), Click("add", At(50))]);

        Assert.Equal("pending", ContextStatuses(session, At(100))[0].Status);
        Assert.Equal(At(110).UtcTicks, session.Patterns.NextConfirmationTicks());
    }

    [Fact]
    public void The_row_keeps_its_status_until_a_status_update_confirms_it()
    {
        var session = Session(Set, [Click("add", At(0))]);
        Assert.Equal(("abandon", "pending"), Statuses(session.ToRecord().PatternsJson)[0]);
        Assert.Equal(At(60).UtcTicks, session.Patterns.NextConfirmationTicks());

        Assert.False(session.UpdatePatternStatus(At(59)));
        Assert.True(session.UpdatePatternStatus(At(60)));

        Assert.Equal(("abandon", "confirmed"), Statuses(session.ToRecord().PatternsJson)[0]);
        Assert.Null(session.Patterns.NextConfirmationTicks());
        Assert.False(session.UpdatePatternStatus(At(61)));
    }

    [Fact]
    public void A_cancelled_pattern_has_no_status_and_a_new_match_starts_pending_again()
    {
        var session = Session(Set, [Click("add", At(0)), Click("buy", At(10))]);
        Assert.DoesNotContain("abandon", Matches(session));
        Assert.Null(session.Patterns.NextConfirmationTicks());

        // A new positive after the purchase starts a new window.
        session.Apply(Click("add", At(20)), At(20));
        Assert.Equal(("abandon", "pending"), Statuses(session.ToRecord().PatternsJson)[0]);
    }

    [Fact]
    public void The_user_confirms_due_patterns_and_returns_only_the_rows_that_changed()
    {
        var user = Support.Users.New(options: Support.Users.Options(Set));
        user.Apply(Ph.Click(At(0), "add", session: "s1"), At(0));
        user.Apply(Ph.Click(At(30), "add", session: "s2"), At(30));

        Assert.Equal(At(60), user.NextPatternConfirmation());
        Assert.Empty(user.ConfirmPatterns(At(59)));
        var first = user.ConfirmPatterns(At(60));
        Assert.Equal(["s1"], first.Select(r => r.SessionId));
        Assert.Equal(("abandon", "confirmed"), Statuses(first[0].PatternsJson)[0]);
        Assert.Equal(At(90), user.NextPatternConfirmation());
        Assert.Equal(["s2"], user.ConfirmPatterns(At(95)).Select(r => r.SessionId));
        Assert.Null(user.NextPatternConfirmation());
    }

    [Fact]
    public void A_restored_session_starts_pending_and_the_next_update_confirms_what_is_due()
    {
        var user = Support.Users.New(options: Support.Users.Options(Set));
        user.Apply(Ph.Click(At(0), "add", session: "s1"), At(0));

        var restored = Support.Users.Restore(user, [], Support.Users.Options(Set));

        Assert.Equal(At(60), restored.NextPatternConfirmation());
        Assert.Equal(["s1"], restored.ConfirmPatterns(At(3600)).Select(r => r.SessionId));
        Assert.Null(restored.NextPatternConfirmation());
    }
}
