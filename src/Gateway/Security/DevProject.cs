using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Hosting;

namespace SessionInsights.Gateway.Security;

/// <summary>
/// The single-node default's development project: project 1 ("default") gets a capture token and a
/// secret key on first start, kept beside the SQLite file (<c>&lt;file&gt;.keys</c>, readable by its
/// owner only) so that every start can print them and the README's commands work as written. Only
/// the SQLite default does this: a deployment creates its keys with <c>session-insights projects</c>.
/// </summary>
public sealed class DevProject(IProjectStore store, DataLocation data)
{
    public record Keys(string CaptureToken, string SecretKey, string File);

    /// <summary>Set once <see cref="EnsureAsync"/> ran: what the start-up banner prints.</summary>
    public Keys? Current { get; private set; }

    /// <param name="active">The keys in force, as the gateway just loaded them.</param>
    /// <returns>Whether it made keys (the caller's copy of the keys in force is then out of date).</returns>
    public async Task<bool> EnsureAsync(IReadOnlyList<ActiveKey> active, CancellationToken ct)
    {
        var file = data.SqliteFile + ".keys";
        if (Read(file) is { } saved
            && active.Any(k => k.ProjectId == ProjectIds.Default && k.Token == saved.CaptureToken)
            && active.Any(k => k.ProjectId == ProjectIds.Default && k.SecretHash is { } h && h.AsSpan().SequenceEqual(ProjectKeys.Hash(saved.SecretKey))))
        {
            Current = saved with { File = file };
            return false;
        }
        var token = ProjectKeys.NewCaptureToken();
        var secret = ProjectKeys.NewSecretKey();
        await store.AddKeyAsync(ProjectIds.Default, ProjectKeyKind.Capture, token, ct).ConfigureAwait(false);
        await store.AddKeyAsync(ProjectIds.Default, ProjectKeyKind.Secret, secret, ct).ConfigureAwait(false);
        Write(file, token, secret);
        Current = new Keys(token, secret, file);
        return true;
    }

    private static Keys? Read(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        var values = File.ReadLines(file)
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        return values.TryGetValue("capture_token", out var token) && values.TryGetValue("secret_key", out var secret)
            ? new Keys(token, secret, file)
            : null;
    }

    private static void Write(string file, string token, string secret)
    {
        var text = $"""
            # Session Insights: the development project's keys (project 1, "default"), made by the first start.
            # Delete this file to get new ones at the next start; revoke old ones with `session-insights projects`.
            capture_token={token}
            secret_key={secret}

            """;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(file, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
