using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using SessionInsights.Domain.Projects;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Ingestion;

/// <summary>
/// Which project a <c>POST /ingest</c> call writes to: <c>Authorization: Bearer &lt;secret key&gt;</c>
/// names it; the shared secret <c>Ingest:SharedSecret</c> in <c>X-Webhook-Secret</c> stands for the
/// default project (a webhook that can only send a fixed header); with neither, the default project
/// when anonymous access is on, else 401.
/// </summary>
public sealed class WebhookSecret(IConfiguration config, ProjectDirectory projects)
{
    public const string Header = "X-Webhook-Secret";
    private readonly byte[]? _secret = config["Ingest:SharedSecret"] is { Length: > 0 } s ? Encoding.UTF8.GetBytes(s) : null;

    public async ValueTask<(long Project, ProblemHttpResult? Denied)> ResolveAsync(HttpRequest request)
    {
        if (request.Headers.Authorization.Count > 0)
        {
            // The reads' own scheme: one parser and one lookup of secret keys.
            var result = await request.HttpContext.AuthenticateAsync(ProjectKeyAuthentication.SchemeName).ConfigureAwait(false);
            return result.Succeeded
                ? (ProjectKeyAuthentication.ProjectOf(result.Principal), null)
                : (0, Problems.Field(401, "Authorization", "must be 'Bearer <secret key>' with a secret key in force", "Unauthorized"));
        }
        if (_secret is not null)
        {
            // Constant time, so the secret cannot be guessed byte by byte from response times.
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers[Header].ToString()), _secret)
                ? (ProjectIds.Default, null)
                : (0, Problems.Field(401, Header, "is missing or wrong", "Unauthorized"));
        }
        return projects.AllowAnonymous
            ? (ProjectIds.Default, null)
            : (0, Problems.Field(401, "Authorization", "must be 'Bearer <secret key>' (the project's secret key)", "Unauthorized"));
    }
}
