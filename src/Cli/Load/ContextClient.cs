using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace SessionInsights.Cli.Load;

/// <summary>
/// <c>GET /session/context/{user}</c> for the context reads and the freshness probes. It has its own
/// connection pool so that reads never queue behind the writers' connections: their latency is the
/// server's, not the load generator's.
/// </summary>
internal sealed class ContextClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly int _limit;

    public ContextClient(Uri baseAddress, int limit, string? key = null)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (key is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        _limit = limit;
    }

    /// <summary>One read, its latency recorded when it answers 200, its failure counted otherwise.</summary>
    public async Task<byte[]?> ReadAsync(string userId, LatencyRecorder latency, ErrorCounter errors, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.GetAsync($"/session/context/{Uri.EscapeDataString(userId)}?recent_events_limit={_limit}", ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                errors.Status(response.StatusCode);
                return null;
            }
            latency.Record(started, Stopwatch.GetTimestamp());
            return body;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            errors.Exception(ex);
            return null;
        }
    }

    /// <summary>Whether a context body lists the event with this <c>raw_event_id</c> among its recent events.</summary>
    public static bool Contains(byte[] contextJson, Guid rawEventId)
    {
        using var doc = JsonDocument.Parse(contextJson);
        if (!doc.RootElement.TryGetProperty("recent_events"u8, out var events) || events.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var e in events.EnumerateArray())
        {
            if (e.TryGetProperty("raw_event_id"u8, out var id) && id.ValueKind == JsonValueKind.String && id.TryGetGuid(out var g) && g == rawEventId)
            {
                return true;
            }
        }
        return false;
    }

    public void Dispose() => _http.Dispose();
}
