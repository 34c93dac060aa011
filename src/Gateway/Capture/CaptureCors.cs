namespace SessionInsights.Gateway.Capture;

/// <summary>
/// CORS for the capture paths only: browsers running posthog-js post from any site, while the rest of
/// the API (contexts hold user data) stays same-origin.
/// </summary>
public static class CaptureCors
{
    public static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            // Echoing the origin (not "*") lets clients that send credentials through.
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
            headers.Vary = "Origin";
        }
        else
        {
            headers.AccessControlAllowOrigin = "*";
        }
    }

    public static IResult Preflight(HttpContext context)
    {
        Apply(context);
        var headers = context.Response.Headers;
        headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
        var requested = context.Request.Headers.AccessControlRequestHeaders.ToString();
        headers.AccessControlAllowHeaders = requested.Length > 0 ? requested : "Content-Type";
        headers.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }
}
