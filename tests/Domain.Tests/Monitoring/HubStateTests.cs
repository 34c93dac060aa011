using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Domain.Tests.Monitoring;

/// <summary>The insights hub's bookkeeping: nodes up, missing and dropped; rates; log and firing hand-over.</summary>
public sealed class HubStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rates_come_from_each_nodes_cumulative_counters_and_sum_over_the_nodes_up()
    {
        var hub = new HubState();
        hub.Report(Report(Stats("gw", ["gateway"], 0, counters: new() { ["si.ingest.accepted"] = 100, ["si.context.reads"] = 10 })), T0);
        hub.Report(Report(Stats("s1", ["silo"], 0, counters: new() { ["si.events.applied"] = 50 })), T0);
        hub.Report(Report(Stats("gw", ["gateway"], 2, counters: new() { ["si.ingest.accepted"] = 300, ["si.context.reads"] = 30 })), T0.AddSeconds(2));
        hub.Report(Report(Stats("s1", ["silo"], 2, counters: new() { ["si.events.applied"] = 240, ["si.events.duplicates_skipped"] = 10 })), T0.AddSeconds(2));
        hub.Tick(T0.AddSeconds(2));

        var overview = hub.Overview(T0.AddSeconds(2));
        Assert.Equal(100, overview.Traffic.IngestedPerSecond);
        Assert.Equal(100, overview.Traffic.ProcessedPerSecond);
        Assert.Equal(10, overview.Traffic.ContextReadsPerSecond);
        Assert.Equal(300 - 250, overview.Traffic.IngestionLag);
        Assert.Equal(["s1", "gw"], overview.Nodes.Select(n => n.Address));
        Assert.Equal(100, overview.Nodes[0].ProcessedPerSecond);
        Assert.Single(overview.History);
    }

    [Fact]
    public void A_silent_node_is_missing_after_five_seconds_and_forgotten_after_a_minute_without_changing_the_lag()
    {
        var hub = new HubState();
        hub.Report(Report(Stats("gw", ["gateway"], 0, counters: new() { ["si.ingest.accepted"] = 10 })), T0);
        hub.Report(Report(Stats("s1", ["silo"], 0, counters: new() { ["si.events.applied"] = 8 }, gauges: new() { ["si.grains.active_users"] = 3 })), T0);

        hub.Tick(T0.AddSeconds(5));
        Assert.All(hub.Overview(T0.AddSeconds(5)).Nodes, n => Assert.Equal("up", n.Status));

        hub.Report(Report(Stats("gw", ["gateway"], 6, counters: new() { ["si.ingest.accepted"] = 10 })), T0.AddSeconds(6));
        hub.Tick(T0.AddSeconds(6));
        var missing = hub.Overview(T0.AddSeconds(6));
        Assert.Equal("missing", Assert.Single(missing.Nodes, n => n.Address == "s1").Status);
        Assert.Equal(3, Assert.Single(missing.Nodes, n => n.Address == "s1").ActiveUsers);
        Assert.Equal(2, missing.Traffic.IngestionLag);

        hub.Report(Report(Stats("gw", ["gateway"], 61, counters: new() { ["si.ingest.accepted"] = 10 })), T0.AddSeconds(61));
        hub.Tick(T0.AddSeconds(61));
        var dropped = hub.Overview(T0.AddSeconds(61));
        Assert.Equal(["gw"], dropped.Nodes.Select(n => n.Address));
        Assert.Equal(2, dropped.Traffic.IngestionLag);
    }

    [Fact]
    public void A_node_that_restarts_at_the_same_address_gives_no_negative_rate_and_keeps_the_totals()
    {
        var hub = new HubState();
        hub.Report(Report(Stats("gw", ["gateway"], 100, counters: new() { ["si.ingest.accepted"] = 1000 })), T0);
        hub.Report(Report(Stats("gw", ["gateway"], 1, counters: new() { ["si.ingest.accepted"] = 5 })), T0.AddSeconds(1));
        hub.Tick(T0.AddSeconds(1));
        var overview = hub.Overview(T0.AddSeconds(1));
        Assert.Equal(0, overview.Traffic.IngestedPerSecond);
        Assert.Equal(1005, overview.Traffic.IngestionLag);
    }

    [Fact]
    public void Log_lines_are_kept_once_even_when_a_report_is_repeated_and_all_nodes_show_oldest_first()
    {
        var hub = new HubState();
        var ack = hub.Report(Report(Stats("s1", ["silo"], 0), logsFrom: 0, logs: [Line(T0, "a"), Line(T0.AddSeconds(2), "b")]), T0);
        Assert.Equal(2, ack.LogsNext);
        // The ack was lost: the node sends b again with c.
        ack = hub.Report(Report(Stats("s1", ["silo"], 1), logsFrom: 1, logs: [Line(T0.AddSeconds(2), "b"), Line(T0.AddSeconds(3), "c")]), T0.AddSeconds(1));
        Assert.Equal(3, ack.LogsNext);
        hub.Report(Report(Stats("gw", ["gateway"], 1), logsFrom: 0, logs: [Line(T0.AddSeconds(1), "g")]), T0.AddSeconds(1));

        var lines = hub.Logs(10);
        Assert.Equal(["a", "g", "b", "c"], lines.Select(l => l.Message));
        Assert.Equal(["s1", "gw", "s1", "s1"], lines.Select(l => l.Node));
        Assert.Equal(["b", "c"], hub.Logs(2).Select(l => l.Message));
    }

    [Fact]
    public void A_hub_that_restarted_asks_a_node_it_just_met_for_everything_the_node_still_keeps()
    {
        var hub = new HubState();
        var ack = hub.Report(Report(Stats("s1", ["silo"], 50), logsFrom: 40, logs: [Line(T0, "line 40")]), T0);
        Assert.Equal(0, ack.LogsNext);
        Assert.Empty(hub.Logs(10));
        ack = hub.Report(Report(Stats("s1", ["silo"], 51), logsFrom: 38, logs: [Line(T0, "line 38"), Line(T0, "line 39"), Line(T0, "line 40")]), T0.AddSeconds(1));
        Assert.Equal(41, ack.LogsNext);
        Assert.Equal(["line 38", "line 39", "line 40"], hub.Logs(10).Select(l => l.Message));
    }

    [Fact]
    public void Pattern_firings_of_all_nodes_are_summarized_over_the_window()
    {
        var hub = new HubState();
        hub.Report(Report(Stats("s1", ["silo"], 0), firingsFrom: 0, firings: [new(1, "rage", "u1", T0.AddHours(-2)), new(1, "rage", "u2", T0)]), T0);
        hub.Report(Report(Stats("s2", ["silo"], 0), firingsFrom: 0, firings: [new(1, "rage", "u3", T0), new(1, "cart", "u3", T0)]), T0);

        var patterns = hub.Patterns(T0, TimeSpan.FromHours(1), usersPerRule: 10);
        Assert.Equal(["rage", "cart"], patterns.Select(p => p.Rule));
        Assert.Equal(2, patterns[0].Count);
        Assert.Equal(["u2", "u3"], patterns[0].Users.Order());
    }

    [Fact]
    public void Rule_firings_are_counted_per_project_over_the_last_hour_and_day_and_a_resent_report_is_not_counted_twice()
    {
        var hub = new HubState();
        PatternFiring[] firings = [new(1, "rage", "u1", T0.AddHours(-3)), new(1, "rage", "u2", T0.AddMinutes(-5)), new(2, "rage", "u9", T0), new(1, "cart", "u3", T0.AddHours(-25))];
        hub.Report(Report(Stats("s1", ["silo"], 0), firingsFrom: 0, firings: firings), T0);
        hub.Report(Report(Stats("s1", ["silo"], 1), firingsFrom: 0, firings: firings), T0);

        Assert.Equal([new RuleFiringCount("rage", 1, 2)], hub.RuleFirings(1, T0));
        Assert.Equal([new RuleFiringCount("rage", 1, 1)], hub.RuleFirings(2, T0));
        Assert.Empty(hub.RuleFirings(3, T0));
    }

    private static NodeStats Stats(
        string address, string[] roles, double uptime, Dictionary<string, long>? counters = null, Dictionary<string, double>? gauges = null) =>
        new(address, roles, T0.AddSeconds(uptime), uptime, 1, 2, 100, 50, new MetricsSnapshot(counters ?? [], gauges ?? [], []));

    private static NodeReport Report(NodeStats stats, long logsFrom = 0, LogLine[]? logs = null, long firingsFrom = 0, PatternFiring[]? firings = null) =>
        new(stats, logsFrom, logs ?? [], firingsFrom, firings ?? []);

    private static LogLine Line(DateTimeOffset at, string message) => new(at, "Information", "Test", message);
}
