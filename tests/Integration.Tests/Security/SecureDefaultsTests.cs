using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Security;

/// <summary>
/// What a deployment gets without deciding anything: with PostgreSQL the gateway refuses to start
/// while the dashboard and /metrics would be open; the single-node default starts with nothing to
/// configure, makes a development project and prints its keys, which work (docs/security.md).
/// </summary>
public sealed partial class SecureDefaultsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("si-security-").FullName;

    [Fact]
    public async Task With_postgres_and_no_dashboard_credentials_the_gateway_refuses_to_start_naming_the_settings()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        env["Security__AllowAnonymous"] = null;

        var (exitCode, output, stderr) = await NodeProcess.RunToExitAsync("SessionInsights.Gateway", ["--urls", "http://127.0.0.1:0"], env, TimeSpan.FromSeconds(120), _directory);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            "session-insights: with PostgreSQL the dashboard and /metrics need credentials: set Dashboard__Username and Dashboard__Password (or, knowingly, Security__AllowAnonymous=true)",
            stderr.Trim());
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task The_single_node_default_prints_its_development_keys_and_they_work_and_stay_across_restarts()
    {
        var env = new Dictionary<string, string?> { ["Security__AllowAnonymous"] = null, ["Grains__FlushDelay"] = "00:00:00.020" };
        string token, secret;
        await using (var first = await NodeProcess.StartGatewayAsync(env, ["--urls", "http://127.0.0.1:0"], _directory))
        {
            await first.WaitForLogAsync("Development project (project 1)", TimeSpan.FromSeconds(60));
            (token, secret) = DevKeys(first.Log);
            var keysFile = Path.Combine(_directory, "data", "session-insights.db.keys");
            Assert.Contains("kept in " + keysFile, first.Log);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keysFile));
            }

            using var http = first.CreateClient();
            var body = new JsonObject { ["api_key"] = token, ["batch"] = new JsonArray(Pageview("dev-user", "s-dev", DateTimeOffset.UtcNow.AddSeconds(-5), "/pricing")) };
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
            using var keyed = first.CreateClient();
            keyed.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + secret);
            Assert.Equal(["Viewed pricing page"], ContextReader.Labels(await ContextReader.WaitForAsync(keyed, "dev-user", c => ContextReader.EventCount(c) == 1)));
            // Anonymous access is on by default on a single node: no key is the default project...
            Assert.Equal(1, ContextReader.EventCount(await ContextReader.GetAsync(http, "dev-user")));
            // ...but a wrong key is still refused.
            using var wrong = first.CreateClient();
            wrong.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer sis_wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/session/context/dev-user")).StatusCode);
            Assert.Contains("Anonymous access on", first.Log);
            await first.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        await using (var again = await NodeProcess.StartGatewayAsync(env, ["--urls", "http://127.0.0.1:0"], _directory))
        {
            await again.WaitForLogAsync("Development project (project 1)", TimeSpan.FromSeconds(60));
            Assert.Equal((token, secret), DevKeys(again.Log));
            await again.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        await using var reset = await NodeProcess.StartGatewayAsync(env, ["--reset-data", "--urls", "http://127.0.0.1:0"], _directory);
        await reset.WaitForLogAsync("Development project (project 1)", TimeSpan.FromSeconds(60));
        Assert.NotEqual(token, DevKeys(reset.Log).Token);
    }

    private static (string Token, string Secret) DevKeys(string log)
    {
        var match = DevKeysLine().Match(log);
        Assert.True(match.Success, log);
        return (match.Groups["token"].Value, match.Groups["secret"].Value);
    }

    [GeneratedRegex(@"capture token (?<token>phc_\S+), secret key (?<secret>sis_\S+) \(kept in")]
    private static partial Regex DevKeysLine();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
