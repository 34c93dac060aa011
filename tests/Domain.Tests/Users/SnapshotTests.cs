using System.Text;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Tests.Support;
using SessionInsights.Domain.Users;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Users;

public class SnapshotTests
{
    private static readonly string[] Labels =
    [
        "Clicked 'Add to Cart' button", "Clicked 'Checkout' button", "Rage-clicked '$1,299' span",
        "Clicked 'Update cart quantity' button", "Clicked 'View Cart' button", "Clicked 'Phantom X Pro' product card",
        "Clicked 'Racing' filter button", "Item added to cart", "Clicked 'Continue Shopping' button",
    ];

    /// <summary>One step of a scenario: an event, or an idle check.</summary>
    private sealed record Step(PostHogEvent? Event, DateTimeOffset Now);

    private static List<Step> Scenario(int seed, int count)
    {
        var rng = new Random(seed);
        var steps = new List<Step>();
        var clock = T0;
        string?[] sessions = ["a", "b", "c", null];
        for (var i = 0; i < count; i++)
        {
            // Mostly seconds apart, sometimes long pauses so sessions close, sometimes late events.
            clock += rng.Next(20) == 0 ? TimeSpan.FromMinutes(45) : TimeSpan.FromSeconds(rng.Next(1, 40));
            if (rng.Next(10) == 0)
            {
                steps.Add(new Step(null, clock));
                continue;
            }
            var at = rng.Next(6) == 0 ? clock - TimeSpan.FromSeconds(rng.Next(1, 600)) : clock;
            var session = sessions[rng.Next(sessions.Length)];
            var e = rng.Next(5) switch
            {
                0 => Ph.PageView(at, $"/p{rng.Next(5)}", session),
                1 => Ph.Event("$rageclick", at, session, label: Labels[rng.Next(Labels.Length)]),
                2 => Ph.Event("item_added", at, session, label: "Item added to cart"),
                _ => Ph.Click(at, Labels[rng.Next(Labels.Length)], session),
            };
            steps.Add(new Step(e, clock));
        }
        return steps;
    }

    /// <summary>Everything observable about a step, as text.</summary>
    private static string Run(UserActivity user, Step step, List<EnrichedEvent>? stored = null)
    {
        var text = new StringBuilder();
        if (step.Event is null)
        {
            foreach (var row in user.CloseIdleSessions(step.Now))
            {
                text.Append(row).Append('\n');
            }
        }
        else
        {
            var applied = user.Apply(step.Event, step.Now);
            stored?.Add(applied.Event);
            text.Append(applied.Event with { Context = EventContext.Empty }).Append('\n').Append(applied.Session).Append('\n');
        }
        text.Append(user.NextIdleCheck(step.Now)).Append('\n');
        text.Append(Encoding.UTF8.GetString(user.RenderContext(50, TimeSpan.FromHours(2), step.Now)));
        text.Append(user.CanServeFromMemory(20));
        text.AppendJoin(',', user.RecentEvents(500, null, step.Now).Select(e => e.EnrichedEventId));
        return text.ToString();
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 1)]
    [InlineData(3, 23)]
    public void Restoring_and_continuing_gives_the_same_output_as_never_snapshotting(int seed, int every)
    {
        var options = Support.Users.Options(capacity: 30);
        var steps = Scenario(seed, 400);
        var reference = Support.Users.New(options: options);
        var restored = Support.Users.New(options: options);
        var sawRows = 0;
        var stored = new List<EnrichedEvent>();

        for (var i = 0; i < steps.Count; i++)
        {
            if (i % every == 0)
            {
                restored = Support.Users.Restore(restored, stored, options);
            }
            var expected = Run(reference, steps[i]);
            Assert.Equal(expected, Run(restored, steps[i], stored));
            sawRows += expected.Contains("SessionRecord", StringComparison.Ordinal) ? 1 : 0;
        }

        // The scenario exercises what it should: patterns, closes and evictions.
        var final = Support.Users.Context(reference, 20, null, steps[^1].Now);
        Assert.NotEqual(0, final.GetProperty("patterns").GetArrayLength());
        Assert.True(sawRows > 300);
        Assert.False(reference.CanServeFromMemory(31));
        Assert.Equal(reference.ToSnapshot(), Support.Users.Restore(reference, stored, options).ToSnapshot());
    }

    [Fact]
    public void An_empty_user_round_trips()
    {
        var user = Support.Users.Restore(Support.Users.New(), []);
        var ctx = Support.Users.Context(user);
        Assert.Equal(0, ctx.GetProperty("recent_events").GetArrayLength());
        Assert.Null(user.NextIdleCheck(T0));
    }

    [Fact]
    public void The_snapshot_is_compact()
    {
        var user = Support.Users.New();
        foreach (var step in Scenario(5, 300))
        {
            Run(user, step);
        }
        var snapshot = user.ToSnapshot();
        using var doc = System.Text.Json.JsonDocument.Parse(snapshot);

        // No recent events (storage has them); a session's size is bounded by its rules' evidence
        // (at most ten ids per rule), not by its length.
        Assert.False(doc.RootElement.TryGetProperty("recent", out _));
        var sessions = doc.RootElement.GetProperty("sessions");
        Assert.NotEqual(0, sessions.GetArrayLength());
        foreach (var session in sessions.EnumerateArray())
        {
            Assert.True(session.GetProperty("n").GetInt32() > 50);
            Assert.InRange(session.GetRawText().Length, 500, 12_000);
        }
        var text = Encoding.UTF8.GetString(snapshot);
        Assert.DoesNotContain(":false", text, StringComparison.Ordinal);
        Assert.DoesNotContain(":null", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_state_survives_only_for_rules_whose_definition_is_unchanged()
    {
        var before = Rules.Many(
            Rules.Rule("kept", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2"),
            Rules.Rule("redefined", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2,\"time_window_seconds\":60"));
        var user = Support.Users.New(options: Support.Users.Options(before));
        var first = user.Apply(Ph.Click(At(0), "Clicked 'Buy'"), At(0)).Event;

        var after = Rules.Many(
            Rules.Rule("redefined", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2,\"time_window_seconds\":30", "HIGH"),
            Rules.Rule("kept", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2", "MEDIUM"),
            Rules.Rule("new", "\"filter\":{\"semantic_contains\":\"buy\"}"));
        var restored = Support.Users.Restore(user, [first], Support.Users.Options(after));
        restored.Apply(Ph.Click(At(1), "Clicked 'Buy'"), At(1));

        var codes = Support.Users.Context(restored).GetProperty("patterns").EnumerateArray()
            .Select(p => (p.GetProperty("code").GetString(), p.GetProperty("severity").GetString())).ToList();
        // "kept" counts both events; "redefined" restarted and has seen one; "new" starts now.
        Assert.Equal([("kept", "MEDIUM"), ("new", "LOW")], codes);
    }

    [Fact]
    public void A_snapshot_of_another_format_version_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"v":99}""");
        var ex = Assert.Throws<System.Text.Json.JsonException>(() => UserActivity.FromSnapshot("u1", bytes, [], Support.Users.Options()));
        Assert.Contains("version 99", ex.Message);
    }

    [Fact]
    public void Restored_recent_events_serve_reads_from_memory_only_when_storage_cannot_hold_more()
    {
        var user = Support.Users.New(options: Support.Users.Options(capacity: 4));
        var stored = new List<EnrichedEvent>();
        for (var i = 0; i < 3; i++)
        {
            stored.Add(user.Apply(Ph.Click(At(i)), At(i)).Event);
        }

        var partial = Support.Users.Restore(user, stored, Support.Users.Options(capacity: 4));
        Assert.True(partial.CanServeFromMemory(500)); // storage returned fewer than it was asked for: that is all

        stored.Add(user.Apply(Ph.Click(At(3)), At(3)).Event);
        var full = Support.Users.Restore(user, stored, Support.Users.Options(capacity: 4));
        Assert.True(full.CanServeFromMemory(4));
        Assert.False(full.CanServeFromMemory(5)); // a full list may have older events behind it

        var recent = Support.Users.Context(full, 500).GetProperty("recent_events");
        Assert.Equal([1, 2, 3, 4], recent.EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
    }
}
