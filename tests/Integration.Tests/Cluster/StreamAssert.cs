using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>The end state every fault test demands: each acknowledged event once, sequence numbers 1..n.</summary>
public static class StreamAssert
{
    public static async Task EveryAckedEventExactlyOnceAsync(HttpClient http, ClusterWorkload workload)
    {
        foreach (var user in workload.Users)
        {
            var expected = user.AckedSnapshot().ToHashSet();
            Assert.True(expected.Count <= 500, "the check reads one context page");
            // A delivery lost with a dead silo is replayed from the log by the sweeper (every 5 s, after 15 s).
            var context = await ContextReader.WaitForAsync(http, user.Id, c => expected.IsSubsetOf(RawIds(c)), limit: 500, timeoutMs: 60000);
            var ids = RawIds(context).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            var seqs = context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()).Order().ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count), seqs);
        }
    }

    private static IEnumerable<Guid> RawIds(JsonElement context) =>
        context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("raw_event_id").GetGuid());
}
