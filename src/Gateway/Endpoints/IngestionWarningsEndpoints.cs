using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Endpoints;

public static class IngestionWarningsEndpoints
{
    public static IEndpointRouteBuilder MapIngestionWarnings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ingestion-warnings").WithTags("Operations");
        group.MapGet("", Get)
            .WithName("IngestionWarnings")
            .WithSummary("Corrections and anomalies found in accepted events, per type, with the latest examples")
            .WithDescription("Per type (timestamp_in_future, timestamp_too_old, clock_skew_corrected, invalid_sent_at, distinct_id_truncated, invalid_offset): "
                + $"how many since this gateway process started (\"since\"), and its latest {IngestionWarnings.ExamplesPerType} examples, newest first. "
                + "Counts are per gateway process: they start at zero when it starts, and each gateway of a cluster counts its own "
                + "(the metric si_ingest_warnings_total in /metrics is the same count, over all projects). Only the key's project's warnings.")
            .RequireProjectKey();
        return app;
    }

    private static Ok<IngestionWarningsView> Get(IngestionWarnings warnings, ClaimsPrincipal user) =>
        TypedResults.Ok(warnings.Snapshot(ProjectKeyAuthentication.ProjectOf(user)));
}
