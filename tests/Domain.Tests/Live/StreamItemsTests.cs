using System.Text.Json;
using SessionInsights.Domain.Live;
using SessionInsights.Domain.Tests.Support;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Live;

/// <summary>What a user's live stream is made of: an event, the patterns it fired, later confirmations.</summary>
public class StreamItemsTests
{
    private static readonly Domain.Patterns.PatternRuleSet Set = Rules.Many(
        Rules.Rule("abandon", "\"filter\":{\"semantic_contains\":\"add\"},\"negative_filter\":{\"semantic_contains\":\"buy\"},\"negative_time_window_seconds\":60"),
        Rules.Rule("plain", "\"filter\":{\"semantic_contains\":\"add\"}"));

    private static List<StreamEntry> Apply(Domain.Users.UserActivity user, long seq, Domain.Events.PostHogEvent e, DateTimeOffset now)
    {
        // As the grain does: what the event's status update confirmed comes before the event.
        var applied = user.Apply(e, now);
        var entries = new List<StreamEntry>(user.Confirmations ?? []);
        user.Confirmations?.Clear();
        StreamEntries.AddApplied(seq, applied, now, entries);
        return entries;
    }

    private static JsonElement Data(StreamEntry entry) => JsonDocument.Parse(entry.Render().Data).RootElement;

    [Fact]
    public void An_event_then_each_pattern_it_fired_with_its_status_and_ids_from_the_raw_log_sequence()
    {
        var user = Support.Users.New(options: Support.Users.Options(Set));

        var first = Apply(user, 41, Ph.Click(At(0), "view", session: "s1"), At(0));
        var second = Apply(user, 42, Ph.Click(At(1), "add", session: "s1"), At(1));
        var third = Apply(user, 40, Ph.Click(At(2), "add", session: "s1"), At(2));

        Assert.Equal([("41", "event")], first.Select(e => (e.Id, e.Type)));
        Assert.Equal([("42", "event"), ("42:abandon", "pattern"), ("42:plain", "pattern")], second.Select(e => (e.Id, e.Type)));
        // Already matching: a second positive fires nothing new (a retried event keeps its older sequence number).
        Assert.Equal([("40", "event")], third.Select(e => (e.Id, e.Type)));
        var evt = Data(second[0]);
        Assert.Equal("s1", evt.GetProperty("session_id").GetString());
        Assert.Equal(2, evt.GetProperty("sequence_number").GetInt32());
        var pending = Data(second[1]);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal("2025-12-09T10:01:01Z", pending.GetProperty("confirms_at").GetString());
        Assert.Equal(evt.GetProperty("raw_event_id").GetString(), pending.GetProperty("raw_event_id").GetString());
        var plain = Data(second[2]);
        Assert.Equal("confirmed", plain.GetProperty("status").GetString());
        Assert.False(plain.TryGetProperty("confirms_at", out _));
        Assert.Equal("LOW", plain.GetProperty("severity").GetString());
    }

    [Fact]
    public void A_pending_pattern_confirmed_by_the_timer_or_a_later_event_becomes_one_confirmation_with_a_stable_id()
    {
        var user = Support.Users.New(options: Support.Users.Options(Set));
        user.Apply(Ph.Click(At(0), "add", session: "s1"), At(0));
        user.Apply(Ph.Click(At(10), "add", session: "s2"), At(10));
        user.Confirmations = [];

        Assert.Single(user.ConfirmPatterns(At(60)));
        var byTimer = Assert.Single(user.Confirmations);
        user.Confirmations.Clear();
        // The other session's window passes; an event in it confirms it on the way.
        var byEvent = Apply(user, 7, Ph.Click(At(75), "view", session: "s2"), At(75));

        Assert.Equal("pattern_confirmed", byTimer.Type);
        var data = Data(byTimer);
        Assert.Equal(("abandon", "confirmed", "s1"), (data.GetProperty("code").GetString(), data.GetProperty("status").GetString(), data.GetProperty("session_id").GetString()));
        Assert.Equal("2025-12-09T10:01:00Z", data.GetProperty("window_ended_at").GetString());
        Assert.Equal([("pattern_confirmed", "s2"), ("event", "s2")], byEvent.Select(e => (e.Type, Data(e).GetProperty("session_id").GetString())));
        // Another activation that confirms the same window gives the same id, so a subscriber drops the repeat.
        var restored = Support.Users.Restore(user, [], Support.Users.Options(Set));
        restored.Confirmations = [];
        restored.ConfirmPatterns(At(100));
        Assert.Contains(byTimer.Id, restored.Confirmations.Select(c => c.Id));
    }

    [Fact]
    public void Without_a_sink_nothing_is_collected()
    {
        var user = Support.Users.New(options: Support.Users.Options(Set));
        user.Apply(Ph.Click(At(0), "add", session: "s1"), At(0));

        Assert.Single(user.ConfirmPatterns(At(60)));
        Assert.Null(user.Confirmations);
    }

    [Fact]
    public void The_backlog_resumes_after_a_known_id_else_gives_everything_but_stale_confirmations()
    {
        var backlog = new StreamBacklog(4);
        var user = Support.Users.New(options: Support.Users.Options(Set));
        user.Apply(Ph.Click(At(0), "add", session: "s1"), At(0));
        user.Confirmations = [];
        user.ConfirmPatterns(At(60));
        var confirmation = user.Confirmations[0];
        var events = Enumerable.Range(1, 5).Select(i => StreamEntry.ForEvent(i, user.Apply(Ph.Click(At(60 + i), "view", session: "s1"), At(60 + i)).Event)).ToList();
        backlog.Add(events[0]);
        backlog.Add(confirmation);
        foreach (var e in events.Skip(1))
        {
            backlog.Add(e);
        }

        // Capacity 4: event 1 and the confirmation fell out.
        Assert.Equal(["3", "4", "5"], backlog.After("2", At(0), out var found).Select(i => i.Id));
        Assert.True(found);
        Assert.Empty(backlog.After("5", At(0), out _));
        Assert.Equal(["2", "3", "4", "5"], backlog.After("1", At(0), out found).Select(i => i.Id));
        Assert.False(found);

        var wide = new StreamBacklog(10);
        wide.Add(confirmation);
        wide.Add(events[0]);
        Assert.Equal(["1"], wide.After(null, At(61), out _).Select(i => i.Id));
        Assert.Equal([confirmation.Id, "1"], wide.After(null, At(59), out _).Select(i => i.Id));
        Assert.Equal(["1"], wide.After(confirmation.Id, At(61), out _).Select(i => i.Id));
    }

    [Fact]
    public void Sent_ids_drop_repeats_and_forget_the_oldest_beyond_capacity()
    {
        var sent = new SentIds(2);

        Assert.True(sent.Add("10"));
        Assert.True(sent.Add("9"));
        Assert.False(sent.Add("10"));
        Assert.True(sent.Add("11"));
        Assert.True(sent.Add("10"));
        Assert.Equal(2, sent.Count);
    }
}
