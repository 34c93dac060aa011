using Microsoft.AspNetCore.Http.HttpResults;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>RFC 7807 answers that name the field at fault.</summary>
public static class Problems
{
    public static ProblemHttpResult Field(int status, string field, string problem, string? title = null) =>
        TypedResults.Problem(
            title: title ?? (status == 413 ? "Payload too large" : "Invalid request"),
            detail: $"{field} {problem}",
            statusCode: status,
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { [field] = [problem] },
            });

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(title: "Service unavailable", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);
}
