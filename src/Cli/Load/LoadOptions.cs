using System.Globalization;

namespace SessionInsights.Cli.Load;

/// <summary>The load verb's parameters, with their defaults.</summary>
internal sealed record LoadOptions
{
    public required Uri Url { get; init; }
    public int Users { get; init; } = 1000;
    public int SessionsPerUser { get; init; } = 1;

    /// <summary>0: users are drawn at random for as long as the run lasts; N: each user sends N events, then the run ends.</summary>
    public int EventsPerUser { get; init; }

    /// <summary>With <see cref="EventsPerUser"/>: how many users send at once (the others have finished or not begun).</summary>
    public int ActiveUsers { get; init; } = 1000;
    public int Connections { get; init; } = 64;

    /// <summary>Events per second to offer; 0 sends as fast as the connections allow.</summary>
    public double Rate { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Same traffic before the measured part, not counted (JIT, first grain activations).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;
    public double ReadsPerSecond { get; init; } = 100;

    /// <summary>One event in this many gets a freshness probe after its 202.</summary>
    public int FreshnessEvery { get; init; } = 50;

    /// <summary>recent_events_limit of context reads and freshness probes.</summary>
    public int ReadLimit { get; init; } = 20;

    public int Seed { get; init; } = 1;
    public string UserPrefix { get; init; } = "load-";
    public string? JsonPath { get; init; }
    public int? ServerPid { get; init; }

    /// <summary>Print this many generated events as JSON lines instead of sending anything.</summary>
    public int? Print { get; init; }

    /// <summary>Where the writers send: one event per <c>POST /ingest</c>, or PostHog batches to <c>POST /batch</c>.</summary>
    public LoadMode Mode { get; init; } = LoadMode.Ingest;

    /// <summary>Events per <c>/batch</c> request (batch mode).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The capture token /batch bodies carry (a project's, when the gateway requires one).</summary>
    public string Token { get; init; } = BatchBodyWriter.ApiKey;

    /// <summary>A secret key sent as <c>Authorization: Bearer</c> with reads and /ingest; null: none (anonymous access).</summary>
    public string? Key { get; init; }

    /// <summary>
    /// Rows/s that a plain binary COPY reached on the same machine and database (from
    /// <c>--baseline-copy</c>); the report states the service's throughput as a share of it.
    /// </summary>
    public double? CopyLimit { get; init; }

    /// <summary>Measure the COPY limit instead of the service: needs <see cref="Postgres"/>.</summary>
    public bool BaselineCopy { get; init; }

    /// <summary>PostgreSQL connection string for <c>--baseline-copy</c>.</summary>
    public string? Postgres { get; init; }

    /// <summary>Rows per COPY statement (one transaction each) in <c>--baseline-copy</c>.</summary>
    public int RowsPerCopy { get; init; } = 5000;

    public const string Help = """
        usage: session-insights load --url URL [options]
               session-insights load --print N [--users N] [--sessions-per-user N] [--seed N]

               session-insights load --baseline-copy --postgres CONNSTR [--duration 10s] [--connections 2]
                                     [--rows-per-copy 5000] [--users N] [--json FILE]

        Sends simulated PostHog shop traffic to POST /ingest (one event per request) or POST /batch
        (PostHog batches) and measures it.
          --url URL                 the service, e.g. http://127.0.0.1:5000
          --mode ingest             ingest: one event per POST /ingest; batch: POST /batch {"api_key", "batch": [...]}
          --batch-size 100          events per /batch request (batch mode)
          --token phc_loadtest      the capture token of /batch bodies (a project's, when keys are required)
          --key KEY                 a secret key for reads and /ingest (Authorization: Bearer); none: anonymous
          --copy-limit N            rows/s of --baseline-copy on this machine: reports events/s as a share of it
          --users 1000              simulated users (ids PREFIXu000000, PREFIXu000001, ...)
          --sessions-per-user 1     sessions each user cycles through
          --events-per-user 0       N: every user sends exactly N events, --active-users at a time, in id
                                    order, and the run ends when all have (or at --duration); 0: random users
          --active-users 1000       users sending at once with --events-per-user
          --connections 64          concurrent HTTP connections (and writer tasks)
          --rate 0                  events/s to offer on a fixed schedule; 0 = as fast as possible
          --duration 30s            how long to write and measure (30s, 2m, 500ms)
          --warmup 0s               send the same traffic this long first, not counted
          --reads-per-second 100    context reads of random already-written users while writing
          --freshness-every 50      probe one event in N: poll its user's context until it shows
          --read-limit 20           recent_events_limit of the reads and probes
          --seed 1                  same seed, same users, sessions and event sequence
          --user-prefix load-       user id prefix (a new prefix gives fresh users)
          --json FILE               also write the figures as JSON
          --server-pid PID          report the server's peak memory (VmHWM, Linux)
          --print N                 print the first N events as JSON lines instead of sending

        --baseline-copy measures the raw limit with no service in between: binary COPY of raw_event-shaped
        rows (the same generated events) into a scratch copy of raw_event (same columns and indexes,
        dropped afterwards), one transaction per --rows-per-copy rows, on --connections connections.
        """;

    /// <summary>Parses <c>--name value</c> or <c>--name=value</c> pairs; returns null and says why on failure.</summary>
    public static LoadOptions? Parse(IReadOnlyList<string> args, TextWriter stderr)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--baseline-copy")
            {
                values["baseline-copy"] = "true";
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                stderr.WriteLine($"unexpected argument '{arg}'");
                return null;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[arg[2..eq]] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                values[arg[2..]] = args[++i];
            }
            else
            {
                stderr.WriteLine($"{arg} needs a value");
                return null;
            }
        }

        try
        {
            var options = Build(values);
            var unknown = values.Keys.Except(Known).ToList();
            if (unknown.Count > 0)
            {
                stderr.WriteLine($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(k => "--" + k))}");
                return null;
            }
            return options;
        }
        catch (FormatException ex)
        {
            stderr.WriteLine(ex.Message);
            return null;
        }
    }

    private static readonly string[] Known =
        ["url", "users", "sessions-per-user", "events-per-user", "active-users", "connections", "rate", "duration", "warmup", "reads-per-second", "freshness-every", "read-limit", "seed", "user-prefix", "json", "server-pid", "print",
         "mode", "batch-size", "copy-limit", "baseline-copy", "postgres", "rows-per-copy", "token", "key"];

    private static LoadOptions Build(Dictionary<string, string> v)
    {
        int? print = v.ContainsKey("print") ? Int(v, "print", 0, min: 1) : null;
        var baseline = v.ContainsKey("baseline-copy");
        if (baseline && string.IsNullOrWhiteSpace(v.GetValueOrDefault("postgres")))
        {
            throw new FormatException("--baseline-copy needs --postgres CONNSTR");
        }
        var mode = v.GetValueOrDefault("mode", "ingest") switch
        {
            "ingest" => LoadMode.Ingest,
            "batch" => LoadMode.Batch,
            var other => throw new FormatException($"--mode: '{other}' is not ingest or batch"),
        };
        var uri = new Uri("http://127.0.0.1:5000");
        if (print is null && !baseline && (!v.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new FormatException("--url must be given as an absolute http(s) URL, e.g. http://127.0.0.1:5000");
        }
        var defaults = new LoadOptions { Url = uri };
        return defaults with
        {
            Users = Int(v, "users", defaults.Users, min: 1),
            SessionsPerUser = Int(v, "sessions-per-user", defaults.SessionsPerUser, min: 1),
            EventsPerUser = Int(v, "events-per-user", defaults.EventsPerUser, min: 0),
            ActiveUsers = Int(v, "active-users", defaults.ActiveUsers, min: 1),
            Connections = Int(v, "connections", defaults.Connections, min: 1),
            Rate = Number(v, "rate", defaults.Rate),
            Duration = v.TryGetValue("duration", out var d) ? ParseDuration("duration", d) : defaults.Duration,
            Warmup = v.TryGetValue("warmup", out var w) ? (w is "0" or "0s" ? TimeSpan.Zero : ParseDuration("warmup", w)) : defaults.Warmup,
            ReadsPerSecond = Number(v, "reads-per-second", defaults.ReadsPerSecond),
            FreshnessEvery = Int(v, "freshness-every", defaults.FreshnessEvery, min: 0),
            ReadLimit = Int(v, "read-limit", defaults.ReadLimit, min: 1, max: 500),
            Seed = Int(v, "seed", defaults.Seed, min: int.MinValue),
            UserPrefix = v.GetValueOrDefault("user-prefix", defaults.UserPrefix),
            JsonPath = v.GetValueOrDefault("json"),
            ServerPid = v.ContainsKey("server-pid") ? Int(v, "server-pid", 0, min: 1) : null,
            Print = print,
            Mode = mode,
            BatchSize = Int(v, "batch-size", defaults.BatchSize, min: 1, max: 10_000),
            CopyLimit = v.ContainsKey("copy-limit") ? Number(v, "copy-limit", 0) : null,
            BaselineCopy = baseline,
            Postgres = v.GetValueOrDefault("postgres"),
            RowsPerCopy = Int(v, "rows-per-copy", defaults.RowsPerCopy, min: 1, max: 1_000_000),
            Token = v.GetValueOrDefault("token", defaults.Token),
            Key = v.GetValueOrDefault("key"),
        };
    }

    /// <summary><c>30s</c>, <c>2m</c>, <c>500ms</c>, <c>1h</c>, or a bare number of seconds.</summary>
    public static TimeSpan ParseDuration(string text) => ParseDuration("duration", text);

    private static TimeSpan ParseDuration(string option, string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || double.IsInfinity(value))
        {
            throw new FormatException($"--{option}: '{text}' is not a positive duration (e.g. 30s, 2m, 500ms)");
        }
        return TimeSpan.FromSeconds(value * unit);
    }

    private static int Int(Dictionary<string, string> v, string name, int fallback, int min, int max = int.MaxValue)
    {
        if (!v.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"--{name}: '{text}' is not an integer in [{min}, {max}]");
        }
        return value;
    }

    private static double Number(Dictionary<string, string> v, string name, double fallback)
    {
        if (!v.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || !double.IsFinite(value))
        {
            throw new FormatException($"--{name}: '{text}' is not a number ≥ 0");
        }
        return value;
    }
}
