using System.Collections.Concurrent;
using System.Net.Http.Json;
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

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Acknowledged_events_survive_sigkill_exactly_once(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        var acked = new ConcurrentDictionary<string, ConcurrentBag<Guid>>();
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        var counter = 0;

        var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var cts = new CancellationTokenSource();
        var senders = StartSenders(node, acked, t0, () => Interlocked.Increment(ref counter), MaxPerPhase, cts.Token);
        // Kill once the stream is really going (counted, not timed: a loaded machine is slow to start).
        var going = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (acked.Values.Sum(b => b.Count) < 40 && DateTime.UtcNow < going && !senders.All(t => t.IsCompleted))
        {
            await Task.Delay(20);
        }
        await node.KillAsync();
        cts.Cancel();
        await Task.WhenAll(senders);
        var beforeCrash = acked.Values.Sum(b => b.Count);
        output.WriteLine($"{beforeCrash} events acknowledged before SIGKILL");
        Assert.True(beforeCrash > 20, "the stream should have been going when the process died");

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
            }, limit: 500, timeoutMs: 30000);
            var events = context.GetProperty("recent_events").EnumerateArray().ToList();
            var ids = events.Select(e => e.GetProperty("raw_event_id").GetGuid()).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            var seqs = events.Select(e => e.GetProperty("sequence_number").GetInt32()).Order().ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count), seqs);
        }
    }

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
                http.Timeout = TimeSpan.FromSeconds(30);
                for (var sent = 0; sent < perUser && !ct.IsCancellationRequested; sent++)
                {
                    var n = next();
                    var uuid = Guid.NewGuid();
                    // Timestamps follow the send order so the newest 500 are the ones just sent.
                    var evt = Click(user, $"s-{user}", t0.AddMilliseconds(n), "/shop", $"Item {n}", uuid);
                    try
                    {
                        var response = await http.PostAsJsonAsync("/ingest", Envelope(evt), CancellationToken.None);
                        if (response.IsSuccessStatusCode)
                        {
                            bag.Add(uuid);
                        }
                        await Task.Delay(5, CancellationToken.None);
                    }
                    catch (HttpRequestException)
                    {
                        // The process was killed under this sender: what was acknowledged so far counts.
                        return;
                    }
                }
            }));
        }
        return tasks;
    }
}
