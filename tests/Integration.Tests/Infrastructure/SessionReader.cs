using System.Net;
using System.Text.Json;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>Reads <c>GET /session/{id}</c>; polls, since the session grain hears of events one-way after the user grain.</summary>
public static class SessionReader
{
    /// <summary>The answer's <c>session</c> and <c>events</c>, or null while the session is unknown (404).</summary>
    public static async Task<JsonElement?> GetAsync(HttpClient http, string sessionId, int eventsLimit = 50)
    {
        var response = await http.GetAsync($"/session/{Uri.EscapeDataString(sessionId)}?events_limit={eventsLimit}");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        Assert.True(response.IsSuccessStatusCode, $"session read failed {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> WaitForAsync(HttpClient http, string sessionId, Func<JsonElement, bool> until, int eventsLimit = 50, int timeoutMs = 60000)
    {
        JsonElement? last = null;
        await ContextReader.WaitUntilAsync(async () =>
        {
            last = await GetAsync(http, sessionId, eventsLimit);
            return last is { } found && until(found);
        }, () => $"session {sessionId} to satisfy the condition; last: {last?.ToString() ?? "404"}", timeoutMs);
        return last!.Value;
    }

    public static JsonElement Row(JsonElement answer) => answer.GetProperty("session");

    public static long EventCount(JsonElement answer) => Row(answer).GetProperty("event_count").GetInt64();

    public static bool IsActive(JsonElement answer) => Row(answer).GetProperty("is_active").GetBoolean();
}
