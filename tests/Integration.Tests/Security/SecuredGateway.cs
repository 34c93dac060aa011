using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Security;

/// <summary>
/// A gateway as a deployment runs it: PostgreSQL, anonymous access at its default (off), dashboard
/// credentials, and two projects made with the real CLI, "alpha" with a second secret key that is revoked.
/// </summary>
public partial class SecuredGateway : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "s3cret-admin";

    private StorageBackend _db = null!;

    public NodeProcess Node { get; private set; } = null!;

    public ProjectKeys Alpha { get; private set; } = null!;

    public ProjectKeys Beta { get; private set; } = null!;

    /// <summary>Alpha's second secret key, revoked before the gateway started.</summary>
    public string RevokedKey { get; private set; } = "";

    public StorageBackend Db => _db;

    public async Task InitializeAsync()
    {
        _db = await StorageBackend.CreateAsync("postgres");
        Alpha = ParseKeys(await CliAsync("projects", "create", "alpha"));
        Beta = ParseKeys(await CliAsync("projects", "create", "beta"));
        var added = await CliAsync("projects", "add-key", Alpha.ProjectId.ToString(), "secret");
        var revoked = SecretLine().Match(added);
        RevokedKey = revoked.Groups["key"].Value;
        await CliAsync("projects", "revoke-key", revoked.Groups["id"].Value);

        var env = _db.NodeEnvironment();
        env["Security__AllowAnonymous"] = null; // the default: off with PostgreSQL
        env["Security__KeyRefreshSeconds"] = "1";
        env["Dashboard__Username"] = AdminUser;
        env["Dashboard__Password"] = AdminPassword;
        env["Grains__FlushDelay"] = "00:00:00.050";
        Configure(env);
        Node = await NodeProcess.StartGatewayAsync(env);
    }

    /// <summary>Settings a derived fixture adds to the gateway's.</summary>
    protected virtual void Configure(Dictionary<string, string?> env)
    {
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await _db.DisposeAsync();
    }

    /// <summary>An HTTP client that sends <paramref name="authorization"/> (or nothing) with every request.</summary>
    public HttpClient Client(string? authorization)
    {
        var http = Node.CreateClient();
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }
        return http;
    }

    public HttpClient ClientOf(ProjectKeys project) => Client("Bearer " + project.SecretKey);

    /// <summary>The real CLI against this test's database, as an operator runs it.</summary>
    public Task<string> CliAsync(params string[] args) =>
        CommandRunner.RunAsync(CommandRunner.RepoRoot, TimeSpan.FromMinutes(2), "env",
            [$"ConnectionStrings__Postgres={_db.NodeEnvironment()["ConnectionStrings__Postgres"]}", "dotnet", CliPath, .. args]);

    /// <summary>The CLI's own build output, beside the gateway's.</summary>
    public static string CliPath => Path.Combine(Path.GetDirectoryName(NodeProcess.AppPath("SessionInsights.Gateway"))!
        .Replace(Path.Combine("src", "Gateway"), Path.Combine("src", "Cli"), StringComparison.Ordinal), "session-insights.dll");

    /// <summary>The project and keys <c>projects create</c> printed.</summary>
    public static ProjectKeys ParseKeys(string output)
    {
        var project = ProjectLine().Match(output);
        Assert.True(project.Success, output);
        return new ProjectKeys(long.Parse(project.Groups[1].Value), CaptureLine().Match(output).Groups[1].Value, SecretLine().Match(output).Groups["key"].Value);
    }

    [GeneratedRegex(@"project (\d+) '[^']+' created")]
    private static partial Regex ProjectLine();

    [GeneratedRegex(@"capture token \(key \d+\): (phc_\S+)")]
    private static partial Regex CaptureLine();

    [GeneratedRegex(@"secret key \(key (?<id>\d+)\): (?<key>sis_\S+)")]
    private static partial Regex SecretLine();
}

public sealed record ProjectKeys(long ProjectId, string CaptureToken, string SecretKey);

/// <summary>Basic auth for the dashboard's credentials.</summary>
public static class AdminAuth
{
    public static AuthenticationHeaderValue Header => new("Basic",
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{SecuredGateway.AdminUser}:{SecuredGateway.AdminPassword}")));
}
