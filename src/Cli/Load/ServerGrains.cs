using System.Text.Json;

namespace SessionInsights.Cli.Load;

/// <summary>
/// The grains living on the server, from <c>GET /health</c> (<c>grains.active_users</c>,
/// <c>grains.active_sessions</c>), read before and after the measured run so that memory can be
/// put per active user.
/// </summary>
internal sealed record ServerGrains(long ActiveUsers, long ActiveSessions)
{
    /// <summary>Null when /health does not answer or has no grain counts (e.g. an older server).</summary>
    public static async Task<ServerGrains?> ReadAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("/health", ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return Parse(body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }

    public static ServerGrains? Parse(byte[] healthJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(healthJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("grains"u8, out var g) && g.ValueKind == JsonValueKind.Object
                && g.TryGetProperty("active_users"u8, out var users) && users.TryGetInt64(out var u)
                && g.TryGetProperty("active_sessions"u8, out var sessions) && sessions.TryGetInt64(out var s)
                ? new ServerGrains(u, s)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
