using System.Net.Http.Json;
using System.Text.Json;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>Reads <c>GET /session/context/{user}</c>, polling until a condition holds (grains apply after the 202).</summary>
public static class ContextReader
{
    public static async Task<JsonElement> GetAsync(HttpClient http, string user, int limit = 20)
    {
        var response = await http.GetAsync($"/session/context/{Uri.EscapeDataString(user)}?recent_events_limit={limit}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"context read failed {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> WaitForAsync(HttpClient http, string user, Func<JsonElement, bool> until, int limit = 20, int timeoutMs = 60000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(http, user, limit);
            if (until(last))
            {
                return last;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"context of {user} never satisfied the condition; last: {last}");
        return last;
    }

    /// <summary>The document without its first field, the server's <c>generated_at</c>: what a grain or storage rendered.</summary>
    public static string WithoutGeneratedAt(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "^\\{\"generated_at\":\"[^\"]*\",?", "{");

    public static int EventCount(JsonElement context) => context.GetProperty("recent_events").GetArrayLength();

    public static List<string> Labels(JsonElement context) =>
        [.. context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("semantic_label").GetString()!)];

    public static List<string> PatternCodes(JsonElement context) =>
        [.. context.GetProperty("patterns").EnumerateArray().Select(p => p.GetProperty("code").GetString()!)];

    /// <summary>GETs a JSON document until <paramref name="done"/> holds for it; fails with the last answer.</summary>
    public static async Task<JsonElement> GetJsonUntilAsync(HttpClient http, string path, Func<JsonElement, bool> done, int timeoutMs = 60000)
    {
        JsonElement last = default;
        await WaitUntilAsync(async () =>
        {
            last = await http.GetFromJsonAsync<JsonElement>(path);
            return done(last);
        }, () => $"{path} never satisfied the check; last answer:\n{last}", timeoutMs);
        return last;
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 60000) =>
        WaitUntilAsync(condition, () => what, timeoutMs);

    /// <summary>Polls; <paramref name="what"/> is rendered only on timeout, so it can show the last values seen.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what, int timeoutMs = 60000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"timed out waiting for {what()}");
    }
}
