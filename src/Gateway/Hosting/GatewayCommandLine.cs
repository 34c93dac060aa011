namespace SessionInsights.Gateway.Hosting;

/// <summary>
/// The gateway's command line, parsed before ASP.NET sees it. ASP.NET's own parser reads
/// <c>--demo --urls X</c> as "demo = --urls" and ignores the URL, and takes any typo as a setting;
/// here every option works wherever it stands and an unknown one is an error.
/// </summary>
/// <param name="ConfigurationArgs">What ASP.NET's configuration gets: <c>--urls</c> and settings as <c>--Section:Key=value</c>.</param>
public sealed record GatewayCommandLine(
    bool Demo,
    bool DemoOnly,
    bool ResetData,
    bool Verbose,
    bool Help,
    IReadOnlyList<string> ConfigurationArgs)
{
    public const string Usage =
        "usage: session-insights-gateway [--urls URL] [--demo | --demo-only] [--reset-data] [--verbose] [--Section:Key=value ...]";

    private static readonly string[] ValueOptions = ["urls", "environment", "contentRoot", "applicationName"];

    /// <summary>Parses <paramref name="args"/>; on a mistake returns null and the reason in <paramref name="error"/>.</summary>
    public static GatewayCommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        bool demo = false, demoOnly = false, reset = false, verbose = false, help = false;
        var configuration = new List<string>();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--demo": demo = true; continue;
                case "--demo-only": demoOnly = true; continue;
                case "--reset-data": reset = true; continue;
                case "--verbose" or "-v": verbose = true; continue;
                case "--help" or "-h" or "-?": help = true; continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }
            var body = arg[2..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            var isSetting = name.Contains(':', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal);
            if (!isSetting && !ValueOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                error = $"unknown option '--{name}'";
                return null;
            }
            string value;
            if (equals >= 0)
            {
                value = body[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                error = $"option '--{name}' needs a value";
                return null;
            }
            // Configuration keys use ':'; accept the environment-variable spelling too.
            configuration.Add($"--{name.Replace("__", ":", StringComparison.Ordinal)}={value}");
        }
        if (demo && demoOnly)
        {
            error = "--demo and --demo-only cannot be used together";
            return null;
        }
        return new GatewayCommandLine(demo, demoOnly, reset, verbose, help, configuration);
    }
}
