using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>Versioned pattern rules per project (docs/patterns-and-sessions.md, "Changing rules").</summary>
public abstract partial class StorageContractTests
{
    private static readonly PatternRuleSet TwoRules = PatternRuleSet.FromJson("""
        {"rules": [
          {"code": "a", "description": "A", "severity": "LOW", "filter": {"semantic_contains": "a"}},
          {"code": "b", "description": "B", "severity": "HIGH", "filter": {"action_type": "rage_click"}, "min_count": 2}
        ]}
        """);

    private IRuleStore Rules => Storage.Rules;

    private async Task<long> NewProjectAsync() =>
        (await Projects.CreateProjectAsync("rules-" + Guid.NewGuid().ToString("N")[..8])).ProjectId;

    private static string Definition(string code, string contains) =>
        $$$"""{"code":"{{{code}}}","description":"{{{code}}}","severity":"MEDIUM","filter":{"semantic_contains":"{{{contains}}}"}}""";

    [Fact]
    public async Task A_projects_first_read_seeds_its_rules_as_version_1_once()
    {
        var project = await NewProjectAsync();
        Assert.False((await Rules.LoadVersionsAsync()).ContainsKey(project));

        // Many processes may ask at once (every silo's first activation): one seed, same answer for all.
        var loads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Rules.LoadAsync(project, TwoRules)));
        foreach (var state in loads)
        {
            Assert.Equal(1, state.Version);
            Assert.Equal(["a", "b"], state.Rules.Select(r => r.Code));
            Assert.Equal(TwoRules.Definitions, state.Rules.Select(r => r.Definition));
            Assert.All(state.Rules, r => Assert.True(r.Enabled));
        }
        Assert.Equal(1, (await Rules.LoadVersionsAsync())[project]);
        var history = await Rules.LoadHistoryAsync(project, "b");
        Assert.Equal(RuleChangeKind.Seed, Assert.Single(history).Kind);

        // A later read with another seed changes nothing: the store, not the configuration, is the truth now.
        var again = await Rules.LoadAsync(project, PatternRuleSet.FromJson("""{"rules": []}"""));
        Assert.Equal(2, again.Rules.Count);
    }

    [Fact]
    public async Task Every_change_is_a_new_version_with_who_and_when_and_the_current_set_follows()
    {
        var project = await NewProjectAsync();
        var created = await Rules.WriteAsync(project, new RuleChange("c", RuleChangeKind.Create, Definition("c", "x"), "key 1"), TwoRules);
        Assert.Equal(new RuleWriteResult(RuleWriteStatus.Written, 2), created);
        Assert.Equal(RuleWriteStatus.Exists, (await Rules.WriteAsync(project, new RuleChange("c", RuleChangeKind.Create, Definition("c", "y"), "key 1"), TwoRules)).Status);
        Assert.Equal(new RuleWriteResult(RuleWriteStatus.Written, 3), await Rules.WriteAsync(project, new RuleChange("c", RuleChangeKind.Update, Definition("c", "y"), "key 2"), TwoRules));
        Assert.Equal(new RuleWriteResult(RuleWriteStatus.Unchanged, 3), await Rules.WriteAsync(project, new RuleChange("c", RuleChangeKind.Update, Definition("c", "y"), "key 2"), TwoRules));
        Assert.Equal(new RuleWriteResult(RuleWriteStatus.Written, 4), await Rules.WriteAsync(project, new RuleChange("a", RuleChangeKind.Disable, null, "dashboard ops"), TwoRules));
        Assert.Equal(RuleWriteStatus.Unchanged, (await Rules.WriteAsync(project, new RuleChange("a", RuleChangeKind.Disable, null, "dashboard ops"), TwoRules)).Status);
        Assert.Equal(new RuleWriteResult(RuleWriteStatus.Written, 5), await Rules.WriteAsync(project, new RuleChange("b", RuleChangeKind.Delete, null, "key 1"), TwoRules));
        Assert.Equal(RuleWriteStatus.NotFound, (await Rules.WriteAsync(project, new RuleChange("b", RuleChangeKind.Enable, null, "key 1"), TwoRules)).Status);
        Assert.Equal(RuleWriteStatus.NotFound, (await Rules.WriteAsync(project, new RuleChange("zzz", RuleChangeKind.Update, Definition("zzz", "q"), "key 1"), TwoRules)).Status);

        var state = await Rules.LoadAsync(project, TwoRules);
        Assert.Equal(5, state.Version);
        Assert.Equal(5, (await Rules.LoadVersionsAsync())[project]);
        Assert.Equal(["a", "c"], state.Rules.Select(r => r.Code));
        Assert.False(state.Rules[0].Enabled);
        Assert.Equal(("dashboard ops", 4L), (state.Rules[0].ChangedBy, state.Rules[0].Version));
        Assert.Equal(Definition("c", "y"), state.Rules[1].Definition);

        var c = await Rules.LoadHistoryAsync(project, "c");
        Assert.Equal([RuleChangeKind.Create, RuleChangeKind.Update], c.Select(v => v.Kind));
        Assert.Equal([2L, 3L], c.Select(v => v.Version));
        Assert.Equal(["key 1", "key 2"], c.Select(v => v.ChangedBy));
        Assert.Equal(Definition("c", "x"), c[0].Definition);
        Assert.True(c[1].ChangedAt >= c[0].ChangedAt && c[1].ChangedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
        var b = await Rules.LoadHistoryAsync(project, "b");
        Assert.Equal([RuleChangeKind.Seed, RuleChangeKind.Delete], b.Select(v => v.Kind));
        Assert.Null(b[1].Definition);

        // A deleted code can be created again, at the end of the set.
        await Rules.WriteAsync(project, new RuleChange("b", RuleChangeKind.Create, Definition("b", "z"), "key 1"), TwoRules);
        Assert.Equal(["a", "c", "b"], (await Rules.LoadAsync(project, TwoRules)).Rules.Select(r => r.Code));
    }

    [Fact]
    public async Task Concurrent_writers_of_one_project_get_distinct_gap_free_versions_and_projects_do_not_share_rules()
    {
        var project = await NewProjectAsync();
        var other = await NewProjectAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Rules.WriteAsync(project, new RuleChange($"r{i}", RuleChangeKind.Create, Definition($"r{i}", "x"), "key 1"), TwoRules)));
        Assert.Equal(Enumerable.Range(2, 10).Select(v => (long)v), results.Select(r => r.Version).Order());
        Assert.Equal(12, (await Rules.LoadAsync(project, TwoRules)).Rules.Count);

        var otherState = await Rules.LoadAsync(other, TwoRules);
        Assert.Equal((1L, 2), (otherState.Version, otherState.Rules.Count));
        Assert.Empty(await Rules.LoadHistoryAsync(other, "r0"));
    }
}
