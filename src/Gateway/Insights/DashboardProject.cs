using Microsoft.AspNetCore.Http.HttpResults;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Endpoints;

namespace SessionInsights.Gateway.Insights;

/// <summary>The dashboard sees every project: its per-project views take <c>?project=</c>, default 1.</summary>
public static class DashboardProject
{
    public static (long ProjectId, ProblemHttpResult? Problem) Parse(string? text)
    {
        if (text is null)
        {
            return (ProjectIds.Default, null);
        }
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var projectId) && projectId >= 1
            ? (projectId, null)
            : (0, Problems.Field(400, "project", "must be a project id (a whole number from 1)"));
    }

    /// <summary>
    /// <see cref="Parse"/>, and the project must exist (404 naming <c>project</c> otherwise): a project's
    /// rules are stored under it, so an unknown id must not reach the rule store. One small query; an
    /// operator's page, not a hot path.
    /// </summary>
    public static async Task<(long ProjectId, ProblemHttpResult? Problem)> ExistingAsync(string? text, IProjectStore projects, CancellationToken ct)
    {
        var (projectId, problem) = Parse(text);
        if (problem is not null)
        {
            return (0, problem);
        }
        return (await projects.ListProjectsAsync(ct)).Any(p => p.ProjectId == projectId)
            ? (projectId, null)
            : (0, Problems.Field(404, "project", $"names no project (there is no project {projectId}; session-insights projects creates them)", "Project not found"));
    }
}
