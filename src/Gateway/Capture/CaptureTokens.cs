using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Capture;

/// <summary>
/// The project a capture request's token (PostHog's <c>api_key</c>) names: a project's capture token,
/// or one listed in <c>Capture:Tokens</c> (the default project's). An unknown token is refused unless
/// anonymous access is on and <c>Capture:Tokens</c> lists none: then it is the default project's
/// (docs/security.md).
/// </summary>
public sealed class CaptureTokens(ProjectDirectory projects)
{
    /// <returns>
    /// The project, and the rate-limit bucket the events count against: the token's own, or one
    /// shared by every token taken anonymously (else a sender could dodge its limit by changing
    /// the token on each request).
    /// </returns>
    public async ValueTask<(long Project, string Bucket, CaptureError? Error)> ResolveAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (0, "", new CaptureError(401, "token", "is required (api_key, token, $token or properties.token)"));
        }
        return await projects.CaptureProjectAsync(token, ct).ConfigureAwait(false) is { } found
            ? (found.Project, found.Known ? token : $"anonymous:{found.Project}", null)
            : (0, "", new CaptureError(401, "token", "is not a capture token of any project"));
    }
}
