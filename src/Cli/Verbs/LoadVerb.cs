using SessionInsights.Cli.Load;

namespace SessionInsights.Cli.Verbs;

/// <summary>
/// <c>load --url URL …</c>: simulated shop traffic against a running service, then a table of
/// throughput, ack latency, context read latency, freshness and errors (and JSON with --json).
/// </summary>
internal sealed class LoadVerb : IVerb
{
    public string Name => "load";

    public string Usage => "load --url URL [options]    send simulated PostHog traffic to a running service and measure it (load --help)";

    public int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr)
    {
        using var output = new StreamWriter(stdout, leaveOpen: true) { AutoFlush = true };
        if (args is ["-h" or "--help"])
        {
            output.WriteLine(LoadOptions.Help);
            return ExitCodes.Success;
        }
        var options = LoadOptions.Parse(args, stderr);
        if (options is null)
        {
            stderr.WriteLine("usage: session-insights load --url URL [options]  (load --help lists them)");
            return ExitCodes.Usage;
        }

        if (options.Print is { } count)
        {
            PrintEvents(options, count, stdout);
            return ExitCodes.Success;
        }
        if (options.BaselineCopy)
        {
            var baseline = new CopyBaseline(options, output).RunAsync(CancellationToken.None).GetAwaiter().GetResult();
            baseline.WriteText(output);
            if (options.JsonPath is { } baselinePath)
            {
                using var file = File.Create(baselinePath);
                baseline.WriteJson(file);
                file.WriteByte((byte)'\n');
            }
            return baseline.Rows > 0 ? ExitCodes.Success : ExitCodes.LoadFailed;
        }

        // Ctrl+C ends the run early but still prints what was measured.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            output.WriteLine($"sending to {options.Url} for {(options.Warmup + options.Duration).TotalSeconds:F0} s with {options.Connections} connections…");
            var result = new LoadRunner(options, output).RunAsync(cancel.Token).GetAwaiter().GetResult();
            LoadReport.WriteText(result, output);
            if (options.JsonPath is { } path)
            {
                using var file = File.Create(path);
                LoadReport.WriteJson(result, file);
                file.WriteByte((byte)'\n');
                output.WriteLine($"JSON written to {path}");
            }
            return result.EventsAccepted > 0 ? ExitCodes.Success : ExitCodes.LoadFailed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The first events of the traffic, one JSON line each, e.g. to pipe into <c>enrich -</c>.</summary>
    private static void PrintEvents(LoadOptions options, int count, Stream stdout)
    {
        var generator = new TrafficGenerator(options.Users, options.SessionsPerUser, options.Seed, options.UserPrefix);
        for (var i = 0; i < count; i++)
        {
            stdout.Write(generator.Next(DateTimeOffset.UtcNow).Body);
            stdout.WriteByte((byte)'\n');
        }
    }
}
