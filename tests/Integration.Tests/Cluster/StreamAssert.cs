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
    /// catches up: it counts every acknowledged event and lists the same latest 200 as the user's
    /// context. "Latest" is by event time (SPEC §5), and sequence numbers follow arrival: an event
    /// whose delivery a failure delayed arrives after newer ones, so the latest 200 by time need not
    /// be the highest 200 numbers. The context (checked gap-free before) is the reference.
    /// </summary>
    public static async Task SessionViewsCompleteAsync(HttpClient http, ClusterWorkload workload)
    {
        foreach (var user in workload.Users)
        {
            var acked = user.AckedCount;
            List<int> expected = [];
            List<int> seqs = [];
            long count = 0;
            await ContextReader.WaitUntilAsync(async () =>
            {
                var context = await ContextReader.GetAsync(http, user.Id, limit: 500);
                expected = [.. Seqs(context.GetProperty("recent_events")).TakeLast(200)];
                using var doc = JsonDocument.Parse(await http.GetStringAsync($"/session/s-{user.Id}?events_limit=200"));
                count = doc.RootElement.GetProperty("session").GetProperty("event_count").GetInt64();
                seqs = Seqs(doc.RootElement.GetProperty("events"));
                return count == acked && expected.Count == Math.Min(acked, 200) && seqs.SequenceEqual(expected);
            }, () => $"session view of {user.Id} to show {acked} events and the context's latest {expected.Count} in its order (has event_count {count}, {seqs.Count} events, sequence numbers {Ranges([.. seqs.Order()])}; the context's latest: {Ranges([.. expected.Order()])})", timeoutMs: 60000);
        }
    }

    /// <summary>
    /// Storage agrees: each user's acknowledged events have exactly one enriched row each (the raw
    /// event committed DONE), numbered 1..n without a repeat, and the session row counts them all.
    /// </summary>
    public static async Task StorageRowsCompleteAsync(StorageBackend db, ClusterWorkload workload)
    {
        foreach (var user in workload.Users)
        {
            var acked = user.AckedCount;
            var id = user.Id.Replace("'", "''");
            await ContextReader.WaitUntilAsync(
                async () => await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{id}' AND status = 'DONE'") == acked,
                $"every acknowledged event of {user.Id} committed DONE", 60000);
            Assert.Equal(acked, await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{id}'"));
            Assert.Equal(acked, await db.ScalarAsync($"SELECT count(*) FROM enriched_event WHERE user_id = '{id}'"));
            Assert.Equal(acked, await db.ScalarAsync($"SELECT count(DISTINCT sequence_number) FROM enriched_event WHERE user_id = '{id}'"));
            Assert.Equal(acked, await db.ScalarAsync($"SELECT max(sequence_number) FROM enriched_event WHERE user_id = '{id}'"));
            await ContextReader.WaitUntilAsync(
                async () => await db.ScalarAsync($"SELECT event_count FROM session WHERE session_id = 's-{id}'") == acked,
                $"the session row of {user.Id} to count {acked}", 60000);
        }
    }

    private static List<int> Seqs(JsonElement events) => [.. events.EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32())];

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
