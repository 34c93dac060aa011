using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Endpoints;

namespace SessionInsights.Gateway.Insights;

/// <summary>The webhook panel's JSON (docs/webhooks.md "On the dashboard"), behind the dashboard's basic auth.</summary>
public static class InsightsWebhookEndpoints
{
    public static RouteGroupBuilder MapInsightsWebhooks(this RouteGroupBuilder api)
    {
        api.MapGet("/webhooks", ListAsync)
            .WithSummary("Webhook deliveries of pattern firings with their state (pending, delivered, failed), attempts, last error and next attempt, newest first; every project unless ?project= names one")
            .ProducesProblem(400);
        return api;
    }

    private static async Task<Results<Ok<WebhooksView>, ProblemHttpResult>> ListAsync(
        [FromQuery(Name = "limit")] int? limit, [FromQuery(Name = "project")] string? projectText, IWebhookOutbox outbox, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.Field(400, "limit", "must be a whole number from 1 to 1000");
        }
        long? projectId = null;
        if (projectText is not null)
        {
            var (id, problem) = DashboardProject.Parse(projectText);
            if (problem is not null)
            {
                return problem;
            }
            projectId = id;
        }
        var counts = await outbox.CountAsync(projectId, ct);
        var rows = await outbox.ListRecentAsync(projectId, limit ?? 50, ct);
        return TypedResults.Ok(new WebhooksView(counts.Pending, counts.Delivered, counts.Failed,
            [.. rows.Select(d => new WebhookDeliveryView(d.Id, d.Endpoint, d.ProjectId, d.UserId, d.SessionId, d.PatternCode, d.Kind, d.FiredAt,
                d.State, d.Attempts, d.NextAttemptAt, d.LastStatus, d.LastError, d.FinishedAt))]));
    }
}
