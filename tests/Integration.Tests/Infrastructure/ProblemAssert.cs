using System.Text.Json;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>What every rejected request must show: a problem naming the field, and no rows anywhere.</summary>
public static class ProblemAssert
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
