using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Appended_events_read_back_exactly_as_pending_in_log_order()
    {
        var user = TestData.NewUser();
        const string properties = """
            {"$session_id":"0193a5b2-sess","$current_url":"https://shop.example/billing?x=1","title":"Billing — Zahlung ✓",
             "nested":{"list":[1,2.5,-3,true,null,"x"],"empty":{}},"quote":"say \"hi\"; a:b","big":12345678901234,"$pathname":"/billing"}
            """;
        var chain = """button.btn.primary:attr__data-ph-capture-attribute-product-id="p-1"nth-child="2"text="Buy \"now\"";div.card""";
        var events = new List<PostHogEvent>
        {
            new(Guid.NewGuid(), "$autocapture", user, DateTimeOffset.Parse("2025-12-09T10:30:45.1234567+02:00"), TestData.Json(properties), chain),
            new(Guid.NewGuid(), "$pageview", user, DateTimeOffset.Parse("2025-12-09T08:30:46Z"), TestData.Json("{}"), null),
            new(Guid.NewGuid(), "product_clicked", user, DateTimeOffset.Parse("2025-12-09T08:30:44.5Z"), TestData.Json("""{"product_name":"Phantom X Pro"}"""), ""),
        };

        var results = await Log.AppendAsync(events);

        Assert.Equal(events.Select(e => e.Uuid), results.Select(r => r.Uuid));
        Assert.All(results, r => Assert.True(r.Inserted));
        Assert.True(results[0].Seq > 0);
        Assert.True(results[0].Seq < results[1].Seq && results[1].Seq < results[2].Seq, "seq follows input order");

        var pending = await Log.ReadPendingAsync(ProjectIds.Default, user);
        Assert.Equal(results.Select(r => r.Seq), pending.Select(p => p.Seq));
        for (var i = 0; i < events.Count; i++)
        {
            var sent = events[i];
            var stored = pending[i].Event;
            Assert.Equal(sent.Uuid, stored.Uuid);
            Assert.Equal(sent.Event, stored.Event);
            Assert.Equal(sent.DistinctId, stored.DistinctId);
            Assert.Equal(StoragePrecision.Truncate(sent.Timestamp), stored.Timestamp);
            Assert.Equal(TimeSpan.Zero, stored.Timestamp.Offset);
            Assert.Equal(sent.ElementsChain, stored.ElementsChain);
            Assert.Equal(sent.SessionId, stored.SessionId);
            Assert.True(JsonElement.DeepEquals(sent.Properties, stored.Properties), $"properties differ: {stored.Properties.GetRawText()}");
            if (KeepsPropertiesText)
            {
                Assert.Equal(sent.Properties.GetRawText(), stored.Properties.GetRawText());
            }
        }
        Assert.Null(pending[1].Event.ElementsChain);
        Assert.Equal("", pending[2].Event.ElementsChain);
        Assert.Equal("Billing — Zahlung ✓", pending[0].Event.Properties.GetProperty("title").GetString());
        Assert.Equal(new RawEventCounts(3, 0, 0), await Log.CountAsync());
    }

    [Fact]
    public async Task Timestamps_are_truncated_to_the_microsecond_not_rounded()
    {
        var user = TestData.NewUser();
        var sent = DateTimeOffset.Parse("2025-12-31T23:59:59.9999999Z");
        await Log.AppendAsync([TestData.Event(user, timestamp: sent)]);

        var stored = Assert.Single(await Log.ReadPendingAsync(ProjectIds.Default, user)).Event.Timestamp;

        Assert.Equal(DateTimeOffset.Parse("2025-12-31T23:59:59.999999Z"), stored);
    }

    [Fact]
    public async Task An_event_whose_uuid_is_already_stored_is_not_stored_again()
    {
        var user = TestData.NewUser();
        var first = TestData.Event(user, name: "first");
        var again = first with { Event = "retried", Timestamp = first.Timestamp.AddSeconds(1) };
        var other = TestData.Event(user);

        var r1 = await Log.AppendAsync([first]);
        var r2 = await Log.AppendAsync([again, other]);

        Assert.True(r1[0].Inserted);
        Assert.Equal(new AppendResult(first.Uuid, 0, false), r2[0]);
        Assert.True(r2[1].Inserted);
        Assert.True(r2[1].Seq > r1[0].Seq);
        var pending = await Log.ReadPendingAsync(ProjectIds.Default, user);
        Assert.Equal([first.Uuid, other.Uuid], pending.Select(p => p.Event.Uuid));
        Assert.Equal("first", pending[0].Event.Event);
    }

    [Fact]
    public async Task Duplicates_within_one_batch_keep_the_first()
    {
        var user = TestData.NewUser();
        var a = TestData.Event(user, name: "a-first");
        var b = TestData.Event(user, name: "b");
        var aLater = a with { Event = "a-second" };

        var results = await Log.AppendAsync([a, b, aLater, b]);

        Assert.True(results[0].Inserted);
        Assert.True(results[1].Inserted);
        Assert.Equal(new AppendResult(a.Uuid, 0, false), results[2]);
        Assert.Equal(new AppendResult(b.Uuid, 0, false), results[3]);
        var pending = await Log.ReadPendingAsync(ProjectIds.Default, user);
        Assert.Equal(["a-first", "b"], pending.Select(p => p.Event.Event));
    }

    [Fact]
    public async Task An_empty_batch_writes_nothing()
    {
        Assert.Empty(await Log.AppendAsync([]));
        Assert.Equal(new RawEventCounts(0, 0, 0), await Log.CountAsync());
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(StorageFactory.DefaultPostgresCopyThreshold + 200, StorageFactory.DefaultPostgresCopyThreshold)]
    public async Task A_batch_that_fails_midway_leaves_no_rows(int batchSize, int badIndex)
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, batchSize);
        // An empty event name violates a CHECK constraint only when the database reaches that row.
        events[badIndex] = events[badIndex] with { Event = "" };

        await Assert.ThrowsAnyAsync<Exception>(() => Log.AppendAsync(events));

        Assert.Empty(await Log.ReadPendingAsync(ProjectIds.Default, user));
        Assert.Equal(new RawEventCounts(0, 0, 0), await Log.CountAsync());

        events.RemoveAt(badIndex);
        var retried = await Log.AppendAsync(events);
        Assert.All(retried, r => Assert.True(r.Inserted));
        Assert.Equal(batchSize - 1, (await Log.ReadPendingAsync(ProjectIds.Default, user)).Count);
    }

    [Fact]
    public async Task Concurrent_appends_store_every_uuid_exactly_once()
    {
        var users = Enumerable.Range(0, 5).Select(_ => TestData.NewUser()).ToArray();
        var shared = Enumerable.Range(0, 100).Select(i => TestData.Event(users[i % users.Length])).ToArray();
        const int writers = 6;
        const int batchesPerWriter = 8;

        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var results = new List<AppendResult>();
            for (var b = 0; b < batchesPerWriter; b++)
            {
                // Each batch: its own new events plus a few of the shared ones, in a different order per writer.
                var batch = Enumerable.Range(0, 40).Select(i => TestData.Event(users[(w + i) % users.Length]))
                    .Concat(shared.OrderBy(_ => random.Next()).Take(15))
                    .OrderBy(_ => random.Next())
                    .ToList();
                results.AddRange(await Log.AppendAsync(batch));
            }
            return results;
        })).ToArray();
        var all = (await Task.WhenAll(tasks)).SelectMany(r => r).ToList();

        var inserted = all.Where(r => r.Inserted).ToList();
        Assert.Equal(inserted.Count, inserted.Select(r => r.Uuid).Distinct().Count());
        Assert.Equal(all.Select(r => r.Uuid).Distinct().Count(), inserted.Count);
        Assert.Equal(inserted.Count, inserted.Select(r => r.Seq).Distinct().Count());
        Assert.Equal(inserted.Count, (await Log.CountAsync()).Pending);
        var pendingUuids = new List<Guid>();
        foreach (var user in users)
        {
            pendingUuids.AddRange((await Log.ReadPendingAsync(ProjectIds.Default, user)).Select(p => p.Event.Uuid));
        }
        Assert.Equal(inserted.Select(r => r.Uuid).Order(), pendingUuids.Order());
    }
}
