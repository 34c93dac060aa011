using Microsoft.AspNetCore.Http.HttpResults;
using SessionInsights.Domain.Events;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.OpenApi;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Endpoints;

public static class IngestEndpoints
{
    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ingest", IngestAsync)
            .WithName("Ingest")
            .WithTags("Ingestion")
            .WithSummary("Accept one PostHog event (webhook format)")
            .WithDescription("Body: {\"event\": {...}} with or without \"person\", or a bare PostHog event. 202 means the event is durable in the raw_event log; a uuid seen before is acknowledged again and counted once.")
            .Accepts<object>("application/json").DescribesBody<IngestRequest>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Accepted<IngestAccepted>, ProblemHttpResult>> IngestAsync(
        HttpRequest request, RawEventWriter writer, IngestMetrics metrics, IngestionWarnings warnings, WebhookSecret secret,
        ProjectRateLimits limits, ILogger<RawEventWriter> log, CancellationToken ct)
    {
        var (project, denied) = await secret.ResolveAsync(request);
        if (denied is not null)
        {
            metrics.Rejected.Add(1);
            return denied;
        }
        var body = await IngestBodyReader.ReadJsonAsync(request, IngestBodyReader.MaxBodyBytes, ct);
        if (body.Document is null)
        {
            metrics.Rejected.Add(1);
            return Problems.Field(body.Status, body.Field!, body.Problem!);
        }
        using var doc = body.Document;
        if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            metrics.Rejected.Add(1);
            return Problems.Field(400, "body", "must be a JSON object");
        }
        var inner = EventEnvelope.Unwrap(doc.RootElement);
        if (!PostHogEventParser.TryParse(inner, out var evt, out var error))
        {
            metrics.Rejected.Add(1);
            return Problems.Field(400, error!.Field, error.Problem);
        }
        // PostHog already corrected the webhook's time; only the sanity bounds apply (docs/ingestion.md).
        var now = DateTimeOffset.UtcNow;
        var sent = evt!.Timestamp;
        var at = EventTime.Bound(sent, now);
        var anomalies = new List<IngestionAnomaly>(0);
        if (EventTime.IsOutOfBounds(sent, now))
        {
            anomalies.Add(new IngestionAnomaly(
                sent > now ? IngestionWarnings.TimestampInFuture : IngestionWarnings.TimestampTooOld,
                $"timestamp {SessionInsights.Domain.Context.UtcTimeJsonConverter.Text(sent)}",
                SessionInsights.Domain.Context.UtcTimeJsonConverter.Text(at)));
        }
        // The same 200-character cut as the capture endpoints (docs/ingestion.md "Validation").
        var distinctId = Capture.CaptureEventNormalizer.CutDistinctId(evt.DistinctId, anomalies);
        if (!ReferenceEquals(distinctId, evt.DistinctId))
        {
            evt = evt with { DistinctId = distinctId };
        }
        evt = evt with { ProjectId = project };
        // The webhook's events count against the project's capture rate, in a bucket of its own.
        if (limits.TryCapture($"ingest:{project}", project, 1) is { } retryAfter)
        {
            return ProjectRateLimits.TooManyRequests(request.HttpContext, retryAfter, "event",
                "is over the project's events per second (RateLimits__CaptureEventsPerSecond); nothing was stored, retry after Retry-After seconds");
        }
        if (at != evt.Timestamp)
        {
            // The client's timestamp stays in raw_event.client_time (docs/ingestion.md "What is stored").
            evt = evt with { Timestamp = at, ClientTime = ClientTime.ToJson(inner.GetProperty("timestamp"u8), default, default) };
        }
        try
        {
            var results = await writer.AppendAsync([evt]);
            metrics.EventsAccepted.Add(1);
            if (anomalies.Count > 0)
            {
                warnings.Record(anomalies, evt.ProjectId, evt.Uuid, evt.DistinctId);
            }
            return TypedResults.Accepted(
                $"/session/context/{Uri.EscapeDataString(evt!.DistinctId)}",
                new IngestAccepted("accepted", evt.Uuid, !results[0].Inserted));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Raw event log write failed");
            return Problems.Unavailable("The event could not be stored; nothing was accepted. Retry later.");
        }
    }
}

/// <summary>The answer to an accepted event: its uuid, and whether it had been seen before.</summary>
public sealed record IngestAccepted(string Status, Guid Uuid, bool Duplicate);
