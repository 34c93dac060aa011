using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Capture;

/// <summary>PostHog-compatible capture endpoints, so posthog-js and the server SDKs can point at the gateway.</summary>
public static class CaptureEndpoints
{
    public static readonly string[] Paths = ["/batch", "/capture", "/e", "/i/v0/e"];

    public static IEndpointRouteBuilder MapCapture(this IEndpointRouteBuilder app)
    {
        // Routing matches "/e/" to "/e" too, so each path is mapped once.
        foreach (var p in Paths)
        {
            app.MapMethods(p, ["GET", "POST"], CaptureAsync)
                .WithTags("Capture")
                .WithSummary($"PostHog capture ({p}, also with a trailing slash)")
                .WithDescription("A single event, an array of events or {\"api_key\": …, \"batch\": [...]}; gzip, base64, lz64 or form data=. 200 {\"status\": 1} once every event is durable (beacon=1: 204); a batch is stored whole or not at all.")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .Produces<CaptureAccepted>(StatusCodes.Status200OK, "application/json")
                .Produces(StatusCodes.Status204NoContent)
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .ProducesProblem(StatusCodes.Status429TooManyRequests)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            app.MapMethods(p, ["OPTIONS"], CaptureCors.Preflight).ExcludeFromDescription();
        }
        return app;
    }

    private static async Task<IResult> CaptureAsync(
        HttpContext context, CaptureTokens tokens, ProjectRateLimits limits, RawEventWriter writer, IngestMetrics metrics, IngestionWarnings warnings,
        ILogger<RawEventWriter> log, CancellationToken ct)
    {
        CaptureCors.Apply(context);
        var perBucket = new Dictionary<string, (long Project, int Events)>(1, StringComparer.Ordinal);
        var (events, anomalies, error) = await ReadEventsAsync(context.Request, tokens, perBucket, ct);
        if (error is not null)
        {
            metrics.Rejected.Add(1);
            return Problems.Field(error.Status, error.Field, error.Problem, error.Status == 401 ? "Unauthorized" : null);
        }
        foreach (var (bucket, (project, count)) in perBucket)
        {
            if (limits.TryCapture(bucket, project, count) is { } retryAfter)
            {
                return ProjectRateLimits.TooManyRequests(context, retryAfter, "token",
                    "has used its events per second (RateLimits__CaptureEventsPerSecond); nothing was stored, retry after Retry-After seconds");
            }
        }
        try
        {
            // One append per request: the writer commits a request's events in one transaction.
            await writer.AppendAsync(events!);
            metrics.EventsAccepted.Add(events!.Count);
            // Warnings are about accepted events only: a refused batch stored nothing to warn about.
            foreach (var (evt, found) in anomalies ?? [])
            {
                warnings.Record(found, evt.ProjectId, evt.Uuid, evt.DistinctId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Raw event log write failed");
            return Problems.Unavailable("The events could not be stored; none was accepted. Retry later.");
        }
        return context.Request.Query["beacon"] == "1" ? Results.NoContent() : Results.Json(new CaptureAccepted(1));
    }

    private static async Task<(List<PostHogEvent>?, List<(PostHogEvent, IngestionAnomaly[])>?, CaptureError?)> ReadEventsAsync(
        HttpRequest request, CaptureTokens tokens, Dictionary<string, (long Project, int Events)> perBucket, CancellationToken ct)
    {
        var (json, decodeError) = await CaptureBodyDecoder.DecodeAsync(request, ct);
        if (json is null)
        {
            return (null, null, decodeError);
        }
        // System.Text.Json does not check the UTF-8 inside strings; storage must never see invalid text.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return (null, null, CaptureError.Invalid("body", "is not valid UTF-8"));
        }
        if (JsonNulCheck.ContainsNulEscape(json))
        {
            return (null, null, CaptureError.Invalid("body", "contains a NUL character (\\u0000), which cannot be stored"));
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = CaptureLimits.MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            return (null, null, CaptureError.Invalid("body", $"is not valid JSON: {ex.Message}"));
        }
        using (doc)
        {
            var (payload, shapeError) = CapturePayload.Read(doc.RootElement);
            if (payload is null)
            {
                return (null, null, shapeError);
            }
            if (!payload.IsBatch && json.Length > CaptureLimits.MaxEventRequestBytes)
            {
                return (null, null, CaptureError.TooLarge("body", CaptureLimits.MaxEventRequestBytes));
            }
            return await NormalizeAsync(payload, tokens, perBucket, payload.SentAt ?? QuerySentAt(request), ct);
        }
    }

    /// <summary>
    /// posthog-js's <c>_</c> query parameter: its clock when it sent the request, in milliseconds since the
    /// epoch. PostHog's capture reads it as the request's sent_at when the body has none, and ignores a
    /// value before 2021 (an older SDK's seconds); so does this. Returned as ISO-8601, like a body's sent_at.
    /// </summary>
    private static string? QuerySentAt(HttpRequest request)
    {
        if (!long.TryParse(request.Query["_"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            || ms < MinQuerySentAtMs || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null;
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly long MinQuerySentAtMs = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>The request's events, and the ingestion warnings of those that have any (null when none has).</summary>
    private static async ValueTask<(List<PostHogEvent>?, List<(PostHogEvent, IngestionAnomaly[])>?, CaptureError?)> NormalizeAsync(
        CapturePayload payload, CaptureTokens tokens, Dictionary<string, (long Project, int Events)> perBucket, string? sentAt, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var events = new List<PostHogEvent>(payload.Events.Count);
        var found = new List<IngestionAnomaly>();
        List<(PostHogEvent, IngestionAnomaly[])>? anomalies = null;
        for (var i = 0; i < payload.Events.Count; i++)
        {
            var raw = payload.Events[i];
            var field = payload.IsBatch ? $"batch[{i}]" : "";
            if (raw.ValueKind != JsonValueKind.Object)
            {
                return (null, null, CaptureError.Invalid(field.Length == 0 ? "body" : field, "must be a JSON object"));
            }
            var token = payload.Token ?? CaptureEventNormalizer.Token(raw);
            var (project, bucket, denied) = await tokens.ResolveAsync(token, ct);
            if (denied is not null)
            {
                return (null, null, denied);
            }
            var (evt, error) = CaptureEventNormalizer.Normalize(raw, field, now, sentAt, found);
            if (evt is null)
            {
                return (null, null, error);
            }
            evt = evt with { ProjectId = project };
            events.Add(evt);
            perBucket[bucket] = (project, perBucket.GetValueOrDefault(bucket).Events + 1);
            if (found.Count > 0)
            {
                (anomalies ??= []).Add((evt, [.. found]));
                found.Clear();
            }
        }
        return (events, anomalies, null);
    }
}
