using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Security;

/// <summary>
/// Issue 14 part 6 through real HTTP, a real gateway and PostgreSQL: <c>DELETE /users/{distinct_id}</c>
/// erases a person of the key's project everywhere, records who asked and how many rows went, and
/// leaves every other user alone, also while the person's events keep arriving.
/// </summary>
public sealed class ErasureTests(SecuredGateway gateway) : IClassFixture<SecuredGateway>
{
    private static readonly string[] PersonTables =
    [
        "raw_event WHERE distinct_id = '{0}'", "raw_event_pending WHERE distinct_id = '{0}'",
        "enriched_event WHERE user_id = '{0}'", "session WHERE user_id = '{0}'", "grain_state WHERE user_id = '{0}'",
    ];

    [Fact]
    public async Task Erasing_a_person_leaves_no_row_anywhere_and_the_same_id_elsewhere_untouched()
    {
        const string user = "erase-me";
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        await CaptureAsync(gateway.Alpha.CaptureToken, Pageview(user, "s-erase", at, "/pricing"), Click(user, "s-erase", at.AddSeconds(5), "/pricing", "Upgrade"));
        await CaptureAsync(gateway.Beta.CaptureToken, Pageview(user, "s-erase", at, "/billing"));
        using var alpha = gateway.ClientOf(gateway.Alpha);
        using var beta = gateway.ClientOf(gateway.Beta);
        await ContextReader.WaitForAsync(alpha, user, c => ContextReader.EventCount(c) == 2);
        await ContextReader.WaitForAsync(beta, user, c => ContextReader.EventCount(c) == 1);
        await ContextReader.WaitUntilAsync(async () => await RowsAsync(gateway.Alpha.ProjectId, user, "grain_state WHERE user_id = '{0}'") == 1, "alpha's snapshot committed");

        var response = await alpha.DeleteAsync($"/users/{user}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("erased", body.GetProperty("status").GetString());
        var rows = body.GetProperty("rows");
        Assert.Equal(2, rows.GetProperty("raw_events").GetInt64());
        Assert.Equal(1, rows.GetProperty("snapshots").GetInt64());
        foreach (var table in PersonTables)
        {
            Assert.Equal(0, await RowsAsync(gateway.Alpha.ProjectId, user, table));
        }
        Assert.Equal(0, ContextReader.EventCount(await ContextReader.GetAsync(alpha, user)));
        Assert.Equal(HttpStatusCode.NotFound, (await alpha.GetAsync("/session/s-erase")).StatusCode);
        // Beta's person with the same id is someone else and stays.
        Assert.Equal(["Viewed billing page"], ContextReader.Labels(await ContextReader.GetAsync(beta, user)));
        Assert.Equal(1, await RowsAsync(gateway.Beta.ProjectId, user, "raw_event WHERE distinct_id = '{0}'"));

        // The record says who and how much, and holds nothing of the person.
        Assert.Equal(1, await gateway.Db.ScalarAsync(
            $"SELECT count(*) FROM user_deletion WHERE project_id = {gateway.Alpha.ProjectId} AND requested_by LIKE 'key %' AND raw_events = 2 AND snapshots = 1"));
        Assert.Equal(0, await gateway.Db.ScalarAsync($"SELECT count(*) FROM user_deletion WHERE row_to_json(user_deletion)::text LIKE '%{user}%'"));

        // An event arriving later starts a new person.
        await CaptureAsync(gateway.Alpha.CaptureToken, Pageview(user, "s-after", DateTimeOffset.UtcNow.AddSeconds(-1), "/docs"));
        var fresh = await ContextReader.WaitForAsync(alpha, user, c => ContextReader.EventCount(c) == 1);
        Assert.Equal(["Viewed docs page"], ContextReader.Labels(fresh));
    }

    [Fact]
    public async Task Erasing_while_the_persons_events_keep_arriving_removes_everything_acknowledged_before_and_touches_no_one_else()
    {
        const string user = "erase-mid-stream";
        const string bystander = "erase-bystander";
        await CaptureAsync(gateway.Alpha.CaptureToken, Pageview(bystander, "s-bystander", DateTimeOffset.UtcNow.AddMinutes(-1), "/pricing"));
        using var alpha = gateway.ClientOf(gateway.Alpha);
        await ContextReader.WaitForAsync(alpha, bystander, c => ContextReader.EventCount(c) == 1);

        var acked = new ConcurrentBag<(Guid Uuid, DateTimeOffset AckedAt)>();
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var uuid = Guid.NewGuid();
                await CaptureAsync(gateway.Alpha.CaptureToken, Pageview(user, "s-stream", DateTimeOffset.UtcNow.AddSeconds(-1), $"/page-{i}", uuid));
                acked.Add((uuid, DateTimeOffset.UtcNow));
            }
        });
        await ContextReader.WaitUntilAsync(() => Task.FromResult(acked.Count >= 20), "20 events acknowledged before the erase");

        var requestedAt = DateTimeOffset.UtcNow;
        var response = await alpha.DeleteAsync($"/users/{user}");
        var answeredAt = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ContextReader.WaitUntilAsync(() => Task.FromResult(acked.Count(a => a.AckedAt > answeredAt) >= 5), "5 events acknowledged after the erase");
        await stop.CancelAsync();
        await sender;

        var before = acked.Where(a => a.AckedAt < requestedAt).Select(a => a.Uuid).ToList();
        var after = acked.Where(a => a.AckedAt > answeredAt).Select(a => a.Uuid).ToList();
        Assert.True(before.Count >= 20);
        // Nothing acknowledged before the erase survives, in the log or as an enriched event.
        Assert.Equal(0, await gateway.Db.ScalarAsync(
            $"SELECT count(*) FROM raw_event_log WHERE raw_event_id IN ({string.Join(',', before.Select(u => $"'{u}'"))})"));
        Assert.Equal(0, await gateway.Db.ScalarAsync(
            $"SELECT count(*) FROM enriched_event WHERE raw_event_id IN ({string.Join(',', before.Select(u => $"'{u}'"))})"));
        // Everything acknowledged after it is the new person's, applied and counted once.
        await ContextReader.WaitUntilAsync(async () => await gateway.Db.ScalarAsync(
            $"SELECT count(*) FROM enriched_event WHERE raw_event_id IN ({string.Join(',', after.Select(u => $"'{u}'"))})") == after.Count,
            "every event acknowledged after the erase applied");
        // The new person is exactly what survived: the context and the session count those events only.
        var surviving = await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}' AND project_id = {gateway.Alpha.ProjectId}");
        Assert.True(surviving >= after.Count && surviving < acked.Count, $"{surviving} rows survive of {acked.Count} sent, {after.Count} after the erase");
        var survivors = new HashSet<string>();
        await ContextReader.WaitUntilAsync(async () =>
        {
            var ids = (await ContextReader.GetAsync(alpha, user, limit: 500)).GetProperty("recent_events").EnumerateArray()
                .Select(e => e.GetProperty("raw_event_id").GetString()!).ToHashSet();
            survivors = ids;
            return ids.Count == Math.Min(surviving, 500);
        }, () => $"the context lists the {surviving} surviving events (has {survivors.Count}; " +
            $"{survivors.Count(id => before.Contains(Guid.Parse(id)))} of them acknowledged before the erase)");
        await ContextReader.WaitUntilAsync(async () => await gateway.Db.ScalarAsync(
            $"SELECT coalesce(max(event_count), 0) FROM session WHERE user_id = '{user}' AND project_id = {gateway.Alpha.ProjectId}") == surviving,
            "the new person's session counts the surviving events only");
        // The bystander is untouched.
        Assert.Equal(["Viewed pricing page"], ContextReader.Labels(await ContextReader.GetAsync(alpha, bystander)));
    }

    private Task<long> RowsAsync(long project, string user, string table) =>
        gateway.Db.ScalarAsync($"SELECT count(*) FROM {string.Format(table, user)} AND project_id = {project}");

    private async Task CaptureAsync(string token, params JsonObject[] events)
    {
        var body = new JsonObject { ["api_key"] = token, ["batch"] = new JsonArray([.. events]) };
        using var http = gateway.Node.CreateClient();
        var response = await http.PostAsync("/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
