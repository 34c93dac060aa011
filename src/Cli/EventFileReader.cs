using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Cli;

/// <summary>An event read from a file, with where it was (<c>line 3</c>, <c>index 0</c>) for messages.</summary>
internal sealed record FileEvent(PostHogEvent Event, string Location);

/// <summary>An entry of the file that is not a valid event: where, which field, what is wrong.</summary>
internal sealed record FileEventError(string Location, string Field, string Problem)
{
    public override string ToString() => $"{Location}: {Field}: {Problem}";
}

/// <summary>Everything read from an events file, in file order.</summary>
internal sealed record EventFileContents(IReadOnlyList<FileEvent> Events, IReadOnlyList<FileEventError> Errors);

/// <summary>
/// Reads PostHog events from a JSON array, from JSON lines (one event per line) or from a file
/// holding a single event object. Each entry may be a bare event or an ingestion envelope
/// (<c>{"event": {...}}</c>, optionally with <c>"person"</c>). Invalid entries are collected as
/// errors and reading goes on.
/// </summary>
internal static class EventFileReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads a file; <c>-</c> reads standard input.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    /// <exception cref="JsonException">The file is a JSON array that is not valid JSON.</exception>
    public static EventFileContents Read(string path)
    {
        using var stream = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>Reads a file for a verb: false, with the reason on <paramref name="stderr"/>, when it cannot be read at all.</summary>
    public static bool TryRead(string path, TextWriter stderr, out EventFileContents contents)
    {
        contents = new EventFileContents([], []);
        try
        {
            contents = Read(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{path}: cannot read: {ex.Message}");
        }
        catch (JsonException ex)
        {
            stderr.WriteLine($"{path}: not a valid JSON array: {ex.Message}");
        }
        return false;
    }

    public static EventFileContents Read(Stream stream)
    {
        // The whole file is needed anyway (the enrich verb orders by timestamp), and buffering it
        // lets the format be told from its first character on any stream.
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = SkipBom(memory.GetBuffer().AsMemory(0, (int)memory.Length));

        var events = new List<FileEvent>();
        var errors = new List<FileEventError>();
        var first = FirstNonWhitespace(bytes.Span);
        if (first == (byte)'[')
        {
            ReadArray(bytes, events, errors);
        }
        else if (!(first == (byte)'{' && TryReadSingleObject(bytes, events, errors)))
        {
            ReadLines(bytes, events, errors);
        }
        return new EventFileContents(events, errors);
    }

    private static void ReadArray(ReadOnlyMemory<byte> json, List<FileEvent> events, List<FileEventError> errors)
    {
        using var doc = JsonDocument.Parse(json, DocumentOptions);
        var index = 0;
        foreach (var element in doc.RootElement.EnumerateArray())
        {
            Add(element, $"index {index++}", events, errors);
        }
    }

    /// <summary>
    /// A file holding one (possibly pretty-printed) event. JSON lines with several events are not
    /// one JSON value, so they fail here and are read line by line instead.
    /// </summary>
    private static bool TryReadSingleObject(ReadOnlyMemory<byte> json, List<FileEvent> events, List<FileEventError> errors)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException)
        {
            return false;
        }
        using (doc)
        {
            Add(doc.RootElement, "line 1", events, errors);
        }
        return true;
    }

    private static void ReadLines(ReadOnlyMemory<byte> text, List<FileEvent> events, List<FileEventError> errors)
    {
        var lineNumber = 0;
        while (!text.IsEmpty)
        {
            lineNumber++;
            var newline = text.Span.IndexOf((byte)'\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? ReadOnlyMemory<byte>.Empty : text[(newline + 1)..];
            if (FirstNonWhitespace(line.Span) < 0)
            {
                continue;
            }

            var location = $"line {lineNumber}";
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line, DocumentOptions);
            }
            catch (JsonException ex)
            {
                errors.Add(new FileEventError(location, EventValidationError.RootField, $"is not valid JSON ({ex.Message})"));
                continue;
            }
            using (doc)
            {
                Add(doc.RootElement, location, events, errors);
            }
        }
    }

    private static void Add(JsonElement element, string location, List<FileEvent> events, List<FileEventError> errors)
    {
        if (PostHogEventParser.TryParse(EventEnvelope.Unwrap(element), out var evt, out var error))
        {
            events.Add(new FileEvent(evt!, location));
        }
        else
        {
            errors.Add(new FileEventError(location, error!.Field, error.Problem));
        }
    }

    private static int FirstNonWhitespace(ReadOnlySpan<byte> bytes)
    {
        var i = bytes.IndexOfAnyExcept(" \t\r\n"u8);
        return i < 0 ? -1 : bytes[i];
    }

    private static ReadOnlyMemory<byte> SkipBom(ReadOnlyMemory<byte> bytes) =>
        bytes.Span.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
}
