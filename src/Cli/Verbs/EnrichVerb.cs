using System.Text.Encodings.Web;
using System.Text.Json;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Cli.Verbs;

/// <summary>
/// <c>enrich FILE</c>: prints each event of FILE enriched, one JSON object per line, in timestamp
/// order. Sessions are just the events' <c>$session_id</c>, numbered 1, 2, 3… in timestamp order;
/// no idle-timeout logic, so this shows the enrichment alone.
/// </summary>
internal sealed class EnrichVerb : IVerb
{
    private static readonly JsonWriterOptions OutputOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Name => "enrich";

    public string Usage => "enrich FILE    enrich the events of FILE (JSON array or JSON lines; - for stdin), one JSON line per event";

    public int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr)
    {
        if (args is ["-h" or "--help"])
        {
            using var help = new StreamWriter(stdout, leaveOpen: true);
            help.WriteLine($"usage: session-insights {Usage}");
            return ExitCodes.Success;
        }
        if (args.Count != 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            stderr.WriteLine($"usage: session-insights {Usage}");
            return ExitCodes.Usage;
        }

        if (!EventFileReader.TryRead(args[0], stderr, out var contents))
        {
            return ExitCodes.InputUnreadable;
        }
        foreach (var error in contents.Errors)
        {
            stderr.WriteLine($"{args[0]}: {error}");
        }

        var enricher = new EventEnricher(EnrichmentOptions.Default);
        var sequences = new Dictionary<string, int>(StringComparer.Ordinal);
        using var writer = new Utf8JsonWriter(stdout, OutputOptions);
        // OrderBy is stable: events with equal timestamps keep their file order.
        foreach (var fileEvent in contents.Events.OrderBy(f => f.Event.Timestamp))
        {
            var sessionId = fileEvent.Event.SessionId;
            var enriched = enricher.Enrich(fileEvent.Event, sessionId) with
            {
                SequenceNumber = sessionId is null ? 0 : NextSequence(sequences, sessionId),
            };
            WriteLine(writer, stdout, enriched);
        }
        return ExitCodes.Success;
    }

    private static int NextSequence(Dictionary<string, int> sequences, string sessionId)
    {
        sequences.TryGetValue(sessionId, out var last);
        sequences[sessionId] = ++last;
        return last;
    }

    private static void WriteLine(Utf8JsonWriter writer, Stream stdout, EnrichedEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("uuid"u8, e.RawEventId);
        writer.WriteString("timestamp"u8, e.Timestamp.UtcDateTime);
        writer.WriteString("event_type"u8, e.EventType);
        writer.WriteString("action_type"u8, e.ActionType);
        writer.WriteString("semantic_label"u8, e.SemanticLabel);
        writer.WriteString("page_path"u8, e.PagePath);
        writer.WriteString("page_title"u8, e.PageTitle);
        writer.WriteString("element_type"u8, e.ElementType);
        writer.WriteString("element_text"u8, e.ElementText);
        writer.WritePropertyName("context"u8);
        writer.WriteRawValue(e.Context.Utf8Json.Span, skipInputValidation: true);
        writer.WriteString("session_id"u8, e.SessionId);
        writer.WriteNumber("sequence_number"u8, e.SequenceNumber);
        writer.WriteEndObject();
        writer.Flush();
        stdout.WriteByte((byte)'\n');
        writer.Reset(stdout);
    }
}
