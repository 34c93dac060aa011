using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// <c>Insights__RulesFile</c> pointing at a bad rule file stops a real gateway process at start-up,
/// with a message that names the rule and the field, instead of running with the rule silently off.
/// </summary>
public sealed class RulesFileStartupTests
{
    private const string GoodRule = """{"code": "demo_watcher", "severity": "LOW", "description": "Watched a demo", "filter": {"semantic_contains": "watch demo"}}""";

    public static TheoryData<string, string, string, string> BadRules => new()
    {
        {
            "unknown severity",
            """{"code": "urgent_rule", "severity": "URGENT", "description": "d", "filter": {"semantic_contains": "x"}}""",
            "rules[1] 'urgent_rule'",
            "field 'severity' has unknown value 'URGENT'"
        },
        {
            "misspelt filter field",
            """{"code": "typo_rule", "severity": "LOW", "description": "d", "filter": {"semantic_contain": "x"}}""",
            "rules[1] 'typo_rule'",
            "field 'filter.semantic_contain' is not a known field"
        },
        {
            "negative window without a negative filter",
            """{"code": "window_rule", "severity": "HIGH", "description": "d", "filter": {"semantic_contains": "x"}, "negative_time_window_seconds": 60}""",
            "rules[1] 'window_rule'",
            "field 'negative_time_window_seconds' needs a 'negative_filter'"
        },
        {
            "misspelt field of a property condition",
            """{"code": "seat_rule", "severity": "HIGH", "description": "d", "filter": {"event_name": "limit_reached", "property": {"name": "limit", "is": "seats"}}}""",
            "rules[1] 'seat_rule'",
            "field 'filter.property.is' is not a known field"
        },
        {
            "min_count of zero",
            """{"code": "zero_rule", "severity": "LOW", "description": "d", "filter": {"semantic_contains": "x"}, "min_count": 0}""",
            "rules[1] 'zero_rule'",
            "field 'min_count' must be at least 1 (got 0)"
        },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task Bad_rule_stops_the_gateway_naming_the_rule_and_the_field(string name, string badRule, string rule, string field)
    {
        var dir = Directory.CreateTempSubdirectory("si-rules-");
        try
        {
            var file = Path.Combine(dir.FullName, "rules.json");
            await File.WriteAllTextAsync(file, $$"""{"rules": [{{GoodRule}}, {{badRule}}]}""");
            await using var db = await StorageBackend.CreateAsync("sqlite");
            var env = db.NodeEnvironment();
            env["Insights__RulesFile"] = file;

            var (exitCode, output, _) = await NodeProcess.RunToExitAsync("SessionInsights.Gateway", ["--urls", "http://127.0.0.1:0"], env, TimeSpan.FromSeconds(120));

            Assert.True(exitCode != 0, $"{name}: the gateway exited 0:\n{output}");
            Assert.Contains(rule, output, StringComparison.Ordinal);
            Assert.Contains(field, output, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("two", "the key must be a project id")]
    [InlineData("2", "'urgent_rule'")]
    public async Task A_bad_project_rules_setting_stops_the_gateway_naming_the_setting(string project, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("si-rules-");
        try
        {
            var file = Path.Combine(dir.FullName, "rules.json");
            await File.WriteAllTextAsync(file, $$"""{"rules": [{{GoodRule}}, {{BadRules.First()[1]}}]}""");
            await using var db = await StorageBackend.CreateAsync("sqlite");
            var env = db.NodeEnvironment();
            env[$"Insights__ProjectRulesFiles__{project}"] = file;

            var (exitCode, output, stderr) = await NodeProcess.RunToExitAsync("SessionInsights.Gateway", ["--urls", "http://127.0.0.1:0"], env, TimeSpan.FromSeconds(120));

            Assert.Equal(2, exitCode);
            Assert.Contains($"Insights:ProjectRulesFiles:{project}", stderr, StringComparison.Ordinal);
            Assert.Contains(problem, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_rule_pack_stops_the_gateway_naming_the_setting()
    {
        await using var db = await StorageBackend.CreateAsync("sqlite");
        var env = db.NodeEnvironment();
        env["Insights__RulePack"] = "retail";

        var (exitCode, output, stderr) = await NodeProcess.RunToExitAsync("SessionInsights.Gateway", ["--urls", "http://127.0.0.1:0"], env, TimeSpan.FromSeconds(120));

        Assert.True(exitCode != 0, $"the gateway exited 0:\n{output}");
        Assert.Contains("Insights:RulePack 'retail' is not a rule pack (known: shop, saas, seed)", output + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_rules_file_stops_the_gateway_naming_the_setting_and_the_path()
    {
        await using var db = await StorageBackend.CreateAsync("sqlite");
        var env = db.NodeEnvironment();
        var missing = Path.Combine(Path.GetTempPath(), $"si-no-such-rules-{Guid.NewGuid():N}.json");
        env["Insights__RulesFile"] = missing;

        var (exitCode, output, _) = await NodeProcess.RunToExitAsync("SessionInsights.Gateway", ["--urls", "http://127.0.0.1:0"], env, TimeSpan.FromSeconds(120));

        Assert.True(exitCode != 0, $"the gateway exited 0:\n{output}");
        Assert.Contains($"Insights:RulesFile '{missing}' cannot be read", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
    }
}
