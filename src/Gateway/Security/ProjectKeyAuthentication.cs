using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SessionInsights.Domain.Projects;
using SessionInsights.Gateway.Endpoints;

namespace SessionInsights.Gateway.Security;

/// <summary>
/// ASP.NET Core authentication for reads of event data and the webhook: <c>Authorization: Bearer
/// &lt;secret key&gt;</c> names the project, and a request sees that project only. Without a
/// credential it is the default project when anonymous access is on, and 401 otherwise. A wrong,
/// revoked or malformed credential is always 401, anonymous access or not.
/// </summary>
public sealed class ProjectKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ProjectDirectory projects)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ProjectKey";
    public const string Policy = "ProjectKey";
    private const string ProjectClaim = "si:project";
    private const string KeyClaim = "si:key";

    /// <summary>Who a request acts as, for records such as deletions: the key's id, or "anonymous".</summary>
    public static string CallerOf(ClaimsPrincipal user) => user.FindFirstValue(KeyClaim) is { } key ? $"key {key}" : "anonymous";

    /// <summary>The project the authenticated request may see.</summary>
    public static long ProjectOf(ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ProjectClaim) ?? throw new InvalidOperationException("the endpoint does not require a project key"),
            System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return projects.AllowAnonymous ? Success(ProjectIds.Default, keyId: null) : AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim() is not { Length: > 0 } key)
        {
            return AuthenticateResult.Fail("must be 'Bearer <secret key>'");
        }
        // Never logged: the key is the credential.
        return await projects.SecretKeyAsync(key, Context.RequestAborted).ConfigureAwait(false) is { } found
            ? Success(found.ProjectId, found.KeyId)
            : AuthenticateResult.Fail("is not a secret key in force (unknown or revoked)");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"session-insights\"";
        await Problems.Field(401, "Authorization", failure ?? "must be 'Bearer <secret key>' (a key of the project whose data you read)", "A secret key is required")
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    private AuthenticateResult Success(long projectId, long? keyId)
    {
        var identity = new ClaimsIdentity([new Claim(ProjectClaim, projectId.ToString(System.Globalization.CultureInfo.InvariantCulture))], SchemeName);
        if (keyId is { } id)
        {
            identity.AddClaim(new Claim(KeyClaim, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

public static class ProjectKeyAuthenticationExtensions
{
    public static IServiceCollection AddProjectKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ProjectKeyAuthentication>(ProjectKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ProjectKeyAuthentication.Policy, p => p.AddAuthenticationSchemes(ProjectKeyAuthentication.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// The endpoints need a secret key (or anonymous access), see its project only, and share the
    /// project's read rate (<see cref="ProjectRateLimits.ReadPolicy"/>).
    /// </summary>
    public static TBuilder RequireProjectKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ProjectKeyAuthentication.Policy).RequireProjectRateLimit()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
}
