using Microsoft.Net.Http.Headers;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>Which form of the context a caller asked for: <c>?format=</c> first, else the Accept header.</summary>
public static class ContextFormat
{
    /// <returns>true for text, false for JSON, null for an unknown <c>format</c> (a 400).</returns>
    public static bool? Read(string? format, HttpRequest request) => format switch
    {
        null => PrefersText(request),
        "text" => true,
        "json" => false,
        _ => null,
    };

    /// <summary>
    /// Text only when Accept names text/plain above (or before) application/json; anything else,
    /// e.g. <c>*/*</c> from curl or a browser's list, keeps JSON, the default.
    /// </summary>
    private static bool PrefersText(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }
        MediaTypeHeaderValue? best = null;
        foreach (var a in accepted)
        {
            if ((a.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase) || a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                && (a.Quality ?? 1) > 0 && (best is null || (a.Quality ?? 1) > (best.Quality ?? 1)))
            {
                best = a;
            }
        }
        return best is not null && best.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }
}
