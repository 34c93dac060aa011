using Microsoft.AspNetCore.Http.HttpResults;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// A whole-number query limit, parsed by the endpoint rather than bound as <c>int?</c>: a failed
/// binding answers 400 without naming the parameter.
/// </summary>
public static class QueryLimit
{
    /// <returns>null and the limit (or <paramref name="fallback"/> when absent), or the 400 naming <paramref name="name"/>.</returns>
    public static ProblemHttpResult? Read(string? text, string name, int fallback, int max, out int limit)
    {
        limit = fallback;
        return text is not null && (!int.TryParse(text, out limit) || limit < 1 || limit > max)
            ? Problems.Field(400, name, $"must be a whole number from 1 to {max}")
            : null;
    }
}
