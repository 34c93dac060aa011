using System.Globalization;
using System.Reflection;

namespace SessionInsights.Storage.Migrations;

/// <summary>
/// Reads a backend's migrations from the assembly's embedded <c>{Backend}/Migrations/NNNN_name.sql</c>
/// files, so a deployed service carries its schema with it.
/// </summary>
internal static class EmbeddedMigrations
{
    public static IReadOnlyList<MigrationScript> Load(string backendFolder)
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var prefix = $"SessionInsights.Storage.{backendFolder}.Migrations.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var fileName = resource[prefix.Length..^".sql".Length];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }
            scripts.Add(new MigrationScript(version, fileName, ReadText(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
            {
                throw new InvalidOperationException($"Two {backendFolder} migrations have version {scripts[i].Version}.");
            }
        }
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No {backendFolder} migrations are embedded in {assembly.GetName().Name}.");
        }
        return scripts;
    }

    private static string ReadText(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing resource '{resource}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
