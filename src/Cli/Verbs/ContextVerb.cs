using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SessionInsights.Domain;
using SessionInsights.Domain.Users;

namespace SessionInsights.Cli.Verbs;

/// <summary>
/// <c>context FILE [--user ID] [--limit N]</c>: what <c>GET /session/context/{user}</c> would answer
/// once the service had received FILE's events, computed offline by the same domain code. "Now" is
/// the latest event's timestamp, so an export from last month reads as it did at the time.
/// </summary>
internal sealed class ContextVerb : IVerb
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 500;

    private static readonly JsonWriterOptions OutputOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
    };

    public string Name => "context";

    public string Usage => "context FILE [--user ID] [--limit 20]    the chatbot context of each user of FILE (or one user), as JSON keyed by user id";

    public int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr)
    {
        if (args is ["-h" or "--help"])
        {
            using var help = new StreamWriter(stdout, leaveOpen: true);
            help.WriteLine($"usage: session-insights {Usage}");
            return ExitCodes.Success;
        }
        if (!TryParse(args, stderr, out var path, out var user, out var limit))
        {
            stderr.WriteLine($"usage: session-insights {Usage}");
            return ExitCodes.Usage;
        }
        if (!EventFileReader.TryRead(path, stderr, out var contents))
        {
            return ExitCodes.InputUnreadable;
        }
        foreach (var error in contents.Errors)
        {
            stderr.WriteLine($"{path}: {error}");
        }

        // The whole file is in memory anyway; keeping at least `limit` events per user lets every
        // read be answered from memory, as the service does with storage behind it.
        var options = InsightsOptions.Default with { RecentEventsCapacity = Math.Max(InsightsOptions.Default.RecentEventsCapacity, limit) };
        var now = contents.Events.Count == 0 ? DateTimeOffset.UtcNow : contents.Events.Max(e => e.Event.Timestamp);
        var users = new SortedDictionary<string, UserActivity>(StringComparer.Ordinal);
        // OrderBy is stable: events with equal timestamps keep their file order.
        foreach (var fileEvent in contents.Events.OrderBy(f => f.Event.Timestamp))
        {
            var id = fileEvent.Event.DistinctId;
            if (user is not null && id != user)
            {
                continue;
            }
            if (!users.TryGetValue(id, out var activity))
            {
                users[id] = activity = new UserActivity(id, options);
            }
            activity.Apply(fileEvent.Event, now);
        }

        using var writer = new Utf8JsonWriter(stdout, OutputOptions);
        if (user is not null)
        {
            if (!users.ContainsKey(user))
            {
                stderr.WriteLine($"{path}: no events for user '{user}'");
            }
            var activity = users.GetValueOrDefault(user) ?? new UserActivity(user, options);
            WriteContext(writer, activity.RenderContext(limit, lookback: null, now));
        }
        else
        {
            writer.WriteStartObject();
            foreach (var (id, activity) in users)
            {
                writer.WritePropertyName(id);
                WriteContext(writer, activity.RenderContext(limit, lookback: null, now));
            }
            writer.WriteEndObject();
        }
        writer.Flush();
        stdout.WriteByte((byte)'\n');
        return ExitCodes.Success;
    }

    /// <summary>Re-written rather than copied raw so that the output is indented for reading.</summary>
    private static void WriteContext(Utf8JsonWriter writer, byte[] contextJson)
    {
        using var doc = JsonDocument.Parse(contextJson);
        doc.RootElement.WriteTo(writer);
    }

    private static bool TryParse(IReadOnlyList<string> args, TextWriter stderr, out string path, out string? user, out int limit)
    {
        path = "";
        user = null;
        limit = DefaultLimit;
        string? file = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Count && args[i + 1].Length > 0:
                    user = args[++i];
                    break;
                case "--limit" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
                    {
                        stderr.WriteLine($"--limit: '{args[i]}' is not an integer in [1, {MaxLimit}]");
                        return false;
                    }
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    stderr.WriteLine($"{a}: unknown option or missing value");
                    return false;
                case var a when file is null:
                    file = a;
                    break;
                default:
                    stderr.WriteLine($"unexpected argument '{args[i]}'");
                    return false;
            }
        }
        if (file is null)
        {
            stderr.WriteLine("FILE is missing (- reads standard input)");
            return false;
        }
        path = file;
        return true;
    }
}
