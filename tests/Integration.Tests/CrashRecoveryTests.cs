using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SessionInsights.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests;

/// <summary>
/// The process hosting the grains is killed with SIGKILL mid-stream and restarted: every event that
/// got a 2xx must show in its user's context afterwards, exactly once, with gap-free sequence numbers.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Users = 4;
    private const int MaxPerPhase = 220;
    private const int MorePerUser = 10;
    private const int AckedBeforeKill = 40;

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Acknowledged_events_survive_sigkill_exactly_once(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        var acked = new ConcurrentDictionary<string, ConcurrentBag<Guid>>();
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        var counter = 0;

        await using var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var cts = new CancellationTokenSource();
        var senders = StartSenders(node, acked, t0, () => Interlocked.Increment(ref counter), MaxPerPhase, cts.Token);
        // Kill once the stream is really going: counted, not timed (a loaded machine is slow to start).
        await ContextReader.WaitUntilAsync(() => Task.FromResult(acked.Values.Sum(b => b.Count) >= AckedBeforeKill || senders.Any(t => t.IsFaulted)),
            () => $"{AckedBeforeKill} events acknowledged before the kill (have {acked.Values.Sum(b => b.Count)})", timeoutMs: 60000);
        await node.KillAsync();
        await cts.CancelAsync();
        await Task.WhenAll(senders);
        var beforeCrash = acked.Values.Sum(b => b.Count);
        output.WriteLine($"{beforeCrash} events acknowledged before SIGKILL");
        Assert.True(beforeCrash >= AckedBeforeKill, "the stream should have been going when the process died");

        await using var restarted = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        // The restarted process takes more events on top of what it must recover; all must be acknowledged.
        await Task.WhenAll(StartSenders(restarted, acked, t0, () => Interlocked.Increment(ref counter), MorePerUser, CancellationToken.None));
        Assert.Equal(beforeCrash + Users * MorePerUser, acked.Values.Sum(b => b.Count));

        using var http = restarted.CreateClient();
        foreach (var (user, bag) in acked)
        {
            var expected = bag.ToHashSet();
            Assert.True(expected.Count <= 500, "the check reads one context page");
            var context = await ContextReader.WaitForAsync(http, user, c =>
            {
                var shown = c.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("raw_event_id").GetGuid()).ToHashSet();
                return expected.IsSubsetOf(shown);
            }, limit: 500, timeoutMs: 60000);
            var events = context.GetProperty("recent_events").EnumerateArray().ToList();
            var ids = events.Select(e => e.GetProperty("raw_event_id").GetGuid()).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            var seqs = events.Select(e => e.GetProperty("sequence_number").GetInt32()).Order().ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count), seqs);
            await StorageAndSessionAgreeAsync(db, http, user);
        }
    }

    /// <summary>
    /// Exactly once beyond the context page: every stored event of the user (the acknowledged ones, and
    /// any the kill cut off after storing) is DONE with one enriched row, and the session view and
    /// row count exactly those.
    /// </summary>
    private static async Task StorageAndSessionAgreeAsync(StorageBackend db, HttpClient http, string user)
    {
        await ContextReader.WaitUntilAsync(async () => await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}' AND status <> 'DONE'") == 0,
            $"{user}: every stored event DONE", 60000);
        var stored = await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}'");
        Assert.Equal(stored, ContextReader.EventCount(await ContextReader.GetAsync(http, user, limit: 500)));
        Assert.Equal(stored, await db.ScalarAsync($"SELECT count(*) FROM enriched_event WHERE user_id = '{user}'"));
        Assert.Equal(stored, await db.ScalarAsync($"SELECT count(DISTINCT sequence_number) FROM enriched_event WHERE user_id = '{user}'"));
        Assert.Equal(stored, await db.ScalarAsync($"SELECT event_count FROM session WHERE session_id = 's-{user}'"));
        var session = await SessionReader.WaitForAsync(http, $"s-{user}", s => SessionReader.EventCount(s) == stored);
        Assert.Equal(stored, SessionReader.EventCount(session));
    }

    /// <summary>
    /// One sender per user, each event sent until acknowledged (the same uuid again after an error or
    /// a timeout), so a slow machine slows the stream but never ends it. Stops at <paramref name="perUser"/>
    /// acknowledged events or, once <paramref name="ct"/> is cancelled (the process was killed), at once.
    /// </summary>
    private static List<Task> StartSenders(NodeProcess node, ConcurrentDictionary<string, ConcurrentBag<Guid>> acked, DateTimeOffset t0, Func<int> next, int perUser, CancellationToken ct)
    {
        var tasks = new List<Task>();
        for (var u = 0; u < Users; u++)
        {
            var user = $"crash-user-{u}";
            var bag = acked.GetOrAdd(user, _ => []);
            tasks.Add(Task.Run(async () =>
            {
                using var http = node.CreateClient();
                var giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(3);
                for (var sent = 0; sent < perUser && !ct.IsCancellationRequested; sent++)
                {
                    var n = next();
                    var uuid = Guid.NewGuid();
                    // Timestamps follow the send order so the newest 500 are the ones just sent.
                    var evt = Click(user, $"s-{user}", t0.AddMilliseconds(n), "/shop", $"Item {n}", uuid);
                    while (!await TrySendAsync(http, evt))
                    {
                        // Before the kill nothing may fail for long; after it the sender just stops.
                        if (ct.IsCancellationRequested)
                        {
                            return;
                        }
                        Assert.True(DateTime.UtcNow < giveUp, $"{user}: event {uuid} never acknowledged");
                        await Task.Delay(100, CancellationToken.None);
                    }
                    bag.Add(uuid);
                }
            }));
        }
        return tasks;
    }

    private static async Task<bool> TrySendAsync(HttpClient http, JsonObject evt)
    {
        try
        {
            // A copy each try: a JSON node can have one parent.
            using var response = await http.PostAsJsonAsync("/ingest", Envelope((JsonObject)evt.DeepClone()), CancellationToken.None);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Killed under this request, or slower than the client's timeout: unacknowledged, not lost.
            return false;
        }
    }
}
