using Microsoft.AspNetCore.Http.HttpResults;
using SessionInsights.Domain.Projects;
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
}
