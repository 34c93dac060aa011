using System.Globalization;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;
using SessionInsights.Storage;

namespace SessionInsights.Cli.Verbs;

/// <summary>
/// <c>projects create|list|add-key|revoke-key</c>: projects and their keys in the storage the service
/// is configured with (<c>ConnectionStrings__Postgres</c>, else the SQLite file at
/// <c>Storage__SqlitePath</c> or ./data/session-insights.db). A new key is printed once and never
/// again: storage keeps only a capture token itself and a secret key's hash. Running gateways pick up
/// a new key at its first use and stop accepting a revoked one within <c>Security__KeyRefreshSeconds</c>.
/// </summary>
internal sealed class ProjectsVerb : IVerb
{
    private const string Commands = """
          projects create NAME                     a project with one capture token and one secret key (printed once)
          projects list                            projects and their keys (hints only)
          projects add-key PROJECT_ID capture|secret   another key for a project (printed once)
          projects revoke-key KEY_ID               a key stops working
        """;

    public string Name => "projects";

    public string Usage => "projects create|list|add-key|revoke-key ...    manage projects and keys in the configured storage";

    public int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr)
    {
        using var output = new StreamWriter(stdout, leaveOpen: true) { AutoFlush = true };
        if (args is [] or ["-h" or "--help"])
        {
            (args.Count == 0 ? stderr : output).WriteLine($"usage:\n{Commands}");
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }
        try
        {
            return RunAsync(args, output, stderr).GetAwaiter().GetResult();
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine($"projects: {ex.Message}");
            return ExitCodes.Usage;
        }
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter stderr)
    {
        await using var storage = StorageFactory.Create(
            Environment.GetEnvironmentVariable("ConnectionStrings__Postgres"),
            Environment.GetEnvironmentVariable("Storage__SqlitePath") ?? StorageFactory.DefaultSqlitePath);
        await storage.InitializeAsync();
        var projects = storage.Projects;
        switch (args)
        {
            case ["create", var name]:
                var project = await projects.CreateProjectAsync(name.Trim());
                output.WriteLine($"project {project.ProjectId} '{project.Name}' created");
                await AddKeyAsync(projects, project.ProjectId, ProjectKeyKind.Capture, output);
                await AddKeyAsync(projects, project.ProjectId, ProjectKeyKind.Secret, output);
                output.WriteLine("keep the secret key now: it is not shown again");
                return ExitCodes.Success;
            case ["list"]:
                foreach (var p in await projects.ListProjectsAsync())
                {
                    output.WriteLine($"project {p.ProjectId} '{p.Name}' (created {p.CreatedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})");
                    foreach (var k in p.Keys)
                    {
                        var state = k.RevokedAt is { } r ? $"revoked {r.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "in force";
                        output.WriteLine($"  key {k.KeyId}  {Kind(k.Kind),-7}  {k.Hint}  {state}");
                    }
                }
                return ExitCodes.Success;
            case ["add-key", var id, var kind] when long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var projectId):
                var parsed = kind switch
                {
                    "capture" => ProjectKeyKind.Capture,
                    "secret" => ProjectKeyKind.Secret,
                    _ => throw new ArgumentException($"a key is 'capture' or 'secret', not '{kind}'"),
                };
                return await AddKeyAsync(projects, projectId, parsed, output) ? ExitCodes.Success : NotFound($"no project {projectId}");
            case ["revoke-key", var id] when long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId):
                if (!await projects.RevokeKeyAsync(keyId))
                {
                    return NotFound($"no key {keyId} in force");
                }
                output.WriteLine($"key {keyId} revoked");
                return ExitCodes.Success;
            default:
                stderr.WriteLine($"usage:\n{Commands}");
                return ExitCodes.Usage;
        }

        int NotFound(string what)
        {
            stderr.WriteLine($"projects: {what}");
            return ExitCodes.InputUnreadable;
        }
    }

    private static async Task<bool> AddKeyAsync(IProjectStore projects, long projectId, ProjectKeyKind kind, TextWriter output)
    {
        var secret = kind == ProjectKeyKind.Capture ? ProjectKeys.NewCaptureToken() : ProjectKeys.NewSecretKey();
        if (await projects.AddKeyAsync(projectId, kind, secret) is not { } key)
        {
            return false;
        }
        output.WriteLine($"{(kind == ProjectKeyKind.Capture ? "capture token" : "secret key")} (key {key.KeyId}): {secret}");
        return true;
    }

    private static string Kind(ProjectKeyKind kind) => kind == ProjectKeyKind.Capture ? "capture" : "secret";
}
