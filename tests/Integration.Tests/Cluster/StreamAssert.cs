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

    /// <summary>
    /// Each user's session view (<c>GET /session/{id}</c>, fed by tells that a failure can lose)
    /// catches up: it counts every acknowledged event and lists the latest 200 with no hole.
    /// </summary>
    public static async Task SessionViewsCompleteAsync(HttpClient http, ClusterWorkload workload)
    {
        foreach (var user in workload.Users)
        {
            var acked = user.AckedCount;
            var expectedSeqs = Enumerable.Range(Math.Max(1, acked - 199), Math.Min(acked, 200)).ToList();
            List<int> seqs = [];
            long count = 0;
            await ContextReader.WaitUntilAsync(async () =>
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync($"/session/s-{user.Id}?events_limit=200"));
                count = doc.RootElement.GetProperty("session").GetProperty("event_count").GetInt64();
                seqs = [.. doc.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()).Order()];
                return count == acked && seqs.SequenceEqual(expectedSeqs);
            }, () => $"session view of {user.Id} to show {acked} events (has event_count {count}, {seqs.Count} events, sequence numbers {Ranges(seqs)})", timeoutMs: 60000);
        }
    }

    /// <summary>"1-150, 152-200": where a list of sequence numbers has holes.</summary>
    private static string Ranges(List<int> seqs)
    {
        var parts = new List<string>();
        for (var i = 0; i < seqs.Count;)
        {
            var j = i;
            while (j + 1 < seqs.Count && seqs[j + 1] == seqs[j] + 1)
            {
                j++;
            }
            parts.Add(i == j ? $"{seqs[i]}" : $"{seqs[i]}-{seqs[j]}");
            i = j + 1;
        }
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static IEnumerable<Guid> RawIds(JsonElement context) =>
        context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("raw_event_id").GetGuid());
}
