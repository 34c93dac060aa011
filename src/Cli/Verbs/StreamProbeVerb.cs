using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionInsights.Cli.Load;

namespace SessionInsights.Cli.Verbs;

/// <summary>
/// <c>stream-probe --url URL</c>: opens N live streams (<c>GET /session/stream/{user}</c>), posts probe
/// events to those users at a steady rate, and reports the time from each event's acknowledgement
/// (the 202 reaching this process) to its arrival on the user's stream: p50, p99, max, and any probe
/// that never arrived. Run it beside <c>load</c> to measure the stream under the ingestion benchmark.
/// </summary>
internal sealed class StreamProbeVerb : IVerb
{
    public string Name => "stream-probe";

    public string Usage => "stream-probe --url URL [--streams 20] [--rate 20] [--duration 20s]    ack → SSE latency of live streams";

    public int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr)
    {
        string? url = null;
        int streams = 20, rate = 20;
        var duration = TimeSpan.FromSeconds(20);
        for (var i = 0; i < args.Count; i++)
        {
            var ok = (args[i], i + 1 < args.Count) switch
            {
                ("--url", true) => (url = args[++i]) is not null,
                ("--streams", true) => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out streams) && streams is > 0 and <= 10000,
                ("--rate", true) => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out rate) && rate is > 0 and <= 10000,
                ("--duration", true) => TryDuration(args[++i], out duration),
                _ => false,
            };
            if (!ok)
            {
                stderr.WriteLine($"{args[i]}: unknown option or bad value");
                stderr.WriteLine($"usage: session-insights {Usage}");
                return ExitCodes.Usage;
            }
        }
        if (url is null)
        {
            stderr.WriteLine($"usage: session-insights {Usage}");
            return ExitCodes.Usage;
        }
        var report = RunAsync(new Uri(url), streams, rate, duration).GetAwaiter().GetResult();
        using var writer = new StreamWriter(stdout, leaveOpen: true);
        writer.WriteLine(report);
        return ExitCodes.Success;
    }

    private static bool TryDuration(string text, out TimeSpan duration)
    {
        try
        {
            duration = LoadOptions.ParseDuration(text);
            return true;
        }
        catch (FormatException)
        {
            duration = default;
            return false;
        }
    }

    private static async Task<string> RunAsync(Uri url, int streamCount, int rate, TimeSpan duration)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var run = Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(0, streamCount).Select(i => $"stream-probe-{run}-{i}").ToArray();
        var received = new ConcurrentDictionary<Guid, long>();
        var acked = new ConcurrentDictionary<Guid, long>();
        var subscribed = new CountdownEvent(streamCount);
        var readers = users.Select(u => Task.Run(() => ReadAsync(http, u, received, subscribed, stop.Token))).ToArray();
        if (!subscribed.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("the streams did not open within 60 s");
        }

        var every = TimeSpan.FromSeconds(1.0 / rate);
        var started = Stopwatch.StartNew();
        var sends = new List<Task>();
        var failures = 0;
        for (var n = 0; started.Elapsed < duration; n++)
        {
            var user = users[n % users.Length];
            sends.Add(SendAsync(http, user, acked, () => Interlocked.Increment(ref failures)));
            var next = every * (n + 1) - started.Elapsed;
            if (next > TimeSpan.Zero)
            {
                await Task.Delay(next);
            }
        }
        await Task.WhenAll(sends);
        // Late arrivals count (with their real latency); give them a few seconds.
        var grace = Stopwatch.StartNew();
        while (acked.Keys.Any(k => !received.ContainsKey(k)) && grace.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(readers);
        }
        catch (Exception)
        {
            // Readers end with the cancellation.
        }

        var latencies = acked.Where(a => received.ContainsKey(a.Key))
            .Select(a => Math.Max(0, Stopwatch.GetElapsedTime(a.Value, received[a.Key]).TotalMilliseconds))
            .Order().ToArray();
        var missing = acked.Count - latencies.Length;
        var inv = CultureInfo.InvariantCulture;
        return latencies.Length == 0
            ? $"stream: {streamCount} streams, {acked.Count} probes acknowledged, none arrived; {failures} failed posts"
            : string.Create(inv, $"stream: {streamCount} streams, {acked.Count} probes acknowledged ({rate}/s for {duration.TotalSeconds:F0} s), {missing} missing, {failures} failed posts; ack → SSE p50 {Pct(latencies, 0.50):F1} ms, p90 {Pct(latencies, 0.90):F1} ms, p99 {Pct(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");
    }

    private static double Pct(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task SendAsync(HttpClient http, string user, ConcurrentDictionary<Guid, long> acked, Action failed)
    {
        var uuid = Guid.NewGuid();
        var body = JsonSerializer.Serialize(new
        {
            @event = new Dictionary<string, object>
            {
                ["event"] = "$pageview",
                ["distinct_id"] = user,
                ["uuid"] = uuid.ToString(),
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["properties"] = new Dictionary<string, string> { ["$session_id"] = $"s-{user}", ["$pathname"] = "/probe" },
            },
        });
        try
        {
            using var response = await http.PostAsync("/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
            if (response.IsSuccessStatusCode)
            {
                acked[uuid] = Stopwatch.GetTimestamp();
            }
            else
            {
                failed();
            }
        }
        catch (HttpRequestException)
        {
            failed();
        }
    }

    /// <summary>Reads one stream; notes when each event (by raw_event_id) arrived.</summary>
    private static async Task ReadAsync(HttpClient http, string user, ConcurrentDictionary<Guid, long> received, CountdownEvent subscribed, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/session/stream/{user}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        var signalled = false;
        var isEvent = false;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!signalled && line.StartsWith(": subscribed", StringComparison.Ordinal))
            {
                signalled = true;
                subscribed.Signal();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                isEvent = line == "event: event";
            }
            else if (isEvent && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var at = Stopwatch.GetTimestamp();
                using var doc = JsonDocument.Parse(line.AsMemory(6));
                received.TryAdd(doc.RootElement.GetProperty("raw_event_id").GetGuid(), at);
            }
        }
    }
}
