namespace SessionInsights.Gateway.Capture;

/// <summary>
/// The project tokens (PostHog's <c>api_key</c>) the capture endpoints accept, from
/// <c>Capture:Tokens</c> as a comma-separated string or an array. With none configured any
/// non-empty token is accepted: a single-node development setup should work without configuration.
/// </summary>
public sealed class CaptureTokens
{
    private readonly HashSet<string> _accepted;

    public CaptureTokens(IConfiguration config)
    {
        var section = config.GetSection("Capture:Tokens");
        var values = section.Value is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0);
        _accepted = new HashSet<string>(values, StringComparer.Ordinal);
    }

    public CaptureError? Check(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return new CaptureError(401, "token", "is required (api_key, token, $token or properties.token)");
        }
        if (_accepted.Count > 0 && !_accepted.Contains(token))
        {
            return new CaptureError(401, "token", "is not an accepted project token");
        }
        return null;
    }
}
