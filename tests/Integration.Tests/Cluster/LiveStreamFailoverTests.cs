using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// Live streams open through a gateway with no grains while events flow; the silo hosting a streamed
/// user is killed (SIGKILL). Every acknowledged event must arrive on its user's stream exactly once,
/// in the grain's order (sequence numbers 1..N), and a client resuming with Last-Event-ID through a second gateway gets
/// exactly what followed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveStreamFailoverTests(ITestOutputHelper output)
{
    private const int Users = 4;

    [Fact]
    public async Task Sigkill_of_the_silo_hosting_a_streamed_user_loses_and_doubles_nothing()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var cluster = await SiloCluster.StartAsync(db, silos: 3);
        var users = Enumerable.Range(0, Users).Select(u => $"live-{u}-{Guid.NewGuid():N}").ToArray();
        var streams = new SseStream[Users];
        for (var u = 0; u < Users; u++)
        {
            streams[u] = await SseStream.OpenAsync(cluster.Gateway.BaseAddress!, $"/session/stream/{users[u]}");
        }
        try
        {
            var acked = users.Select(_ => new ConcurrentQueue<(Guid Uuid, long At)>()).ToArray();
            using var stop = new CancellationTokenSource();
            var failures = new ConcurrentQueue<string>();
            var t0 = DateTimeOffset.UtcNow.AddMinutes(-30);
            var n = 0;
            var senders = Enumerable.Range(0, Users).Select(u => Task.Run(async () =>
            {
                using var http = cluster.Gateway.CreateClient();
                while (!stop.IsCancellationRequested)
                {
                    var uuid = Guid.NewGuid();
                    var at = t0.AddMilliseconds(Interlocked.Increment(ref n) * 10);
                    try
                    {
                        var response = await http.PostAsJsonAsync("/ingest", Envelope(Click(users[u], $"s-{users[u]}", at, "/shop", $"Item {n}", uuid)));
                        if (response.IsSuccessStatusCode)
                        {
                            acked[u].Enqueue((uuid, Stopwatch.GetTimestamp()));
                        }
                        else
                        {
                            failures.Enqueue($"{(int)response.StatusCode}");
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        failures.Enqueue(ex.Message);
                    }
                    await Task.Delay(50); // pacing the traffic (about 20 events/s per user), not waiting for anything
                }
            })).ToArray();

            // Every stream is live, and we know where user 0's grain lives.
            for (var u = 0; u < Users; u++)
            {
                await streams[u].WaitForAsync(e => e.Count(x => x.Type == "event") >= 10, $"first events of {users[u]}");
            }
            var silo = SiloOf(streams[0].Comments.Last(c => c.StartsWith("subscribed", StringComparison.Ordinal)));
            var index = cluster.IndexOfSiloPort(silo);
            Assert.True(index >= 0, $"no silo listens on {silo}: {string.Join(" | ", streams[0].Comments)}");
            var before = acked[0].Count;
            var killed = Stopwatch.GetTimestamp();
            await cluster.KillSiloAsync(index);
            output.WriteLine($"killed silo {index + 1} (port {silo}) hosting {users[0]} after {before} of its events");

            // The gateway re-subscribes to the new activation: a second subscription comment, on another silo.
            await streams[0].WaitForAsync(_ => streams[0].Comments.Count(c => c.StartsWith("subscribed", StringComparison.Ordinal)) >= 2, "the re-subscription after the kill", 90000);
            var resubscribedMs = Stopwatch.GetElapsedTime(killed).TotalMilliseconds;
            Assert.NotEqual(silo, SiloOf(streams[0].Comments.Last(c => c.StartsWith("subscribed", StringComparison.Ordinal))));
            // And events acknowledged after the kill flow on every stream.
            var afterKill = acked.Select(q => q.Count + 20).ToArray();
            await Task.WhenAll(Enumerable.Range(0, Users).Select(u =>
                ContextReader.WaitUntilAsync(() => Task.FromResult(acked[u].Count >= afterKill[u]), $"20 more acks for {users[u]}")));
            await stop.CancelAsync();
            await Task.WhenAll(senders);

            for (var u = 0; u < Users; u++)
            {
                var expected = acked[u].Select(a => a.Uuid).ToList();
                var events = await streams[u].WaitForAsync(e => e.Count(x => x.Type == "event") >= expected.Count, $"every acknowledged event of {users[u]} ({expected.Count})");
                var data = events.Where(e => e.Type == "event").Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
                var got = data.Select(d => d.GetProperty("raw_event_id").GetGuid()).ToList();
                var inAckOrder = expected.SequenceEqual(got);
                output.WriteLine($"{users[u]}: {expected.Count} acknowledged, {got.Count} on the stream, {got.Distinct().Count()} distinct, in acknowledgement order: {inAckOrder}");
                // Exactly once: every acknowledged event, no other, none twice.
                Assert.Equal(expected.Order(), got.Order());
                Assert.Equal(got.Count, events.Where(e => e.Type == "event").Select(e => e.Id).Distinct().Count());
                // In the grain's order: its session sequence numbers 1..N, gap-free, as the stream shows them. (The
                // grain applies deliveries in arrival order; while a new activation is being placed Orleans may
                // hand two one-way deliveries over in either order, so ack order is not always the apply order.)
                Assert.Equal(Enumerable.Range(1, got.Count), data.Select(d => d.GetProperty("sequence_number").GetInt32()));
            }
            output.WriteLine($"re-subscribed to the new activation {resubscribedMs:F0} ms after the SIGKILL; failed ingests during the kill: {failures.Count}");

            // A client resuming through a second gateway with a Last-Event-ID from its last items gets exactly the rest.
            await using var second = await cluster.AddGatewayAsync();
            var all = streams[0].Events.Where(e => e.Id is not null).ToList();
            var from = all[^10];
            await using var resumed = await SseStream.OpenAsync(second.BaseAddress!, $"/session/stream/{users[0]}", lastEventId: from.Id);
            var rest = await resumed.WaitForAsync(e => e.Count >= 9, "the resumed items through the second gateway");
            Assert.Equal(all.TakeLast(9).Select(e => (e.Id, e.Type, e.Data)), rest.Select(e => (e.Id, e.Type, e.Data)));
        }
        finally
        {
            foreach (var s in streams)
            {
                await s.DisposeAsync();
            }
        }
    }

    /// <summary>The silo port in a comment "subscribed silo=S127.0.0.1:PORT:GENERATION".</summary>
    private static int SiloOf(string comment)
    {
        var address = comment[(comment.IndexOf('=', StringComparison.Ordinal) + 1)..];
        return int.Parse(address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
