using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

public static class CaptureAssert
{
    /// <summary>The answer is an RFC 7807 problem with this status whose <c>errors</c> name the field.</summary>
    public static async Task ProblemAsync(HttpResponseMessage response, int status, string field, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{because}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{because}: errors should name {field}: {text}");
    }

    public static async Task NothingWrittenAsync(StorageBackend db)
    {
        foreach (var table in new[] { "raw_event", "enriched_event", "session", "grain_state" })
        {
            Assert.Equal(0, await db.CountAsync(table));
        }
    }
}
