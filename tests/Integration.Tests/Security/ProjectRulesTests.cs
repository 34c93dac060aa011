using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Security;

/// <summary>
/// Rules are per project: <c>Insights__ProjectRulesFiles__{id}</c> gives one project its own pattern
/// rules while the others keep theirs, on one gateway, for users doing the same thing.
/// </summary>
public sealed class ProjectRulesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("si-project-rules-").FullName;

    [Fact]
    public async Task A_project_with_its_own_rules_gets_its_patterns_and_the_others_keep_the_default_rules()
    {
        var database = Path.Combine(_directory, "data.db");
        var created = SecuredGateway.ParseKeys(await CommandRunner.RunAsync(CommandRunner.RepoRoot, TimeSpan.FromMinutes(2), "env",
            [$"Storage__SqlitePath={database}", "dotnet", SecuredGateway.CliPath, "projects", "create", "docs-team"]));
        var rules = Path.Combine(_directory, "docs-rules.json");
        await File.WriteAllTextAsync(rules, """
            {"rules": [{"code": "docs_reader", "severity": "LOW", "description": "Read the documentation",
                        "filter": {"semantic_contains": "docs"}, "min_count": 1}]}
            """);
        var env = new Dictionary<string, string?>
        {
            ["Storage__SqlitePath"] = database,
            [$"Insights__ProjectRulesFiles__{created.ProjectId}"] = rules,
        };
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        foreach (var t in new[] { created.CaptureToken, "phc_anonymous_default_project" })
        {
            var body = new JsonObject { ["api_key"] = t, ["batch"] = new JsonArray(Pageview("same-user", "s-docs", at, "/docs")) };
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
        }

        using var keyed = node.CreateClient();
        keyed.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + created.SecretKey);
        var own = await ContextReader.WaitForAsync(keyed, "same-user", c => ContextReader.EventCount(c) == 1);
        var others = await ContextReader.WaitForAsync(http, "same-user", c => ContextReader.EventCount(c) == 1);
        Assert.Equal(["docs_reader"], ContextReader.PatternCodes(own));
        Assert.DoesNotContain("docs_reader", ContextReader.PatternCodes(others));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
