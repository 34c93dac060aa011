using System.Diagnostics;

namespace SessionInsights.Storage.Tests.Contract;

public abstract partial class StorageContractTests
{
    /// <summary>
    /// Not a benchmark (the machine is shared), but a smoke figure for docs/storage.md:
    /// durable appends of 1000-event batches, and grain commits of those events.
    /// </summary>
    private const string ExtraProperties =
        "\"$current_url\":\"https://shop.example/products/42\",\"$browser\":\"Chrome\",\"$os\":\"Mac OS X\",\"title\":\"Phantom X Pro\"";

    [Fact]
    public async Task Throughput_of_1000_event_batches_is_reported()
    {
        const int batches = 20;
        const int batchSize = 1000;
        var users = Enumerable.Range(0, 100).Select(_ => TestData.NewUser()).ToArray();
        var prepared = Enumerable.Range(0, batches)
            .Select(b => Enumerable.Range(0, batchSize)
                .Select(i => TestData.Event(users[i % users.Length], "s-" + users[i % users.Length],
                    timestamp: TestData.BaseTime.AddMilliseconds((b * batchSize) + i),
                    extraProperties: ExtraProperties))
                .ToList())
            .ToList();
        await Log.AppendAsync(prepared[0]); // warm-up: connections, prepared statements

        var watch = Stopwatch.StartNew();
        foreach (var batch in prepared.Skip(1))
        {
            await Log.AppendAsync(batch);
        }
        var appendRate = (batches - 1) * batchSize / watch.Elapsed.TotalSeconds;

        var commits = prepared.Skip(1).Select(batch => batch.GroupBy(e => e.DistinctId)
            .Select(g => TestData.Commit(g.Key, 0, [.. g.Select((e, i) => TestData.Enriched(e, i + 1))],
                [TestData.Session("s-" + g.Key, g.Key, g.Count())], done: [.. g.Select(e => e.Uuid)]))
            .ToList()).ToList();
        var versions = users.ToDictionary(u => u, _ => 0L);
        watch.Restart();
        foreach (var call in commits)
        {
            var stale = await State.CommitAsync([.. call.Select(c => c with { ExpectedVersion = versions[c.UserId] })]);
            Assert.Empty(stale);
            foreach (var c in call)
            {
                versions[c.UserId]++;
            }
        }
        var commitRate = (batches - 1) * batchSize / watch.Elapsed.TotalSeconds;

        var line = $"{Storage.Backend}: AppendAsync {appendRate:N0} events/s; CommitAsync {commitRate:N0} events/s " +
            $"({batches - 1} batches of {batchSize} events, {users.Length} users per batch)";
        Output.WriteLine(line);
        Console.WriteLine(line);
        Assert.Equal((batches - 1) * batchSize, (await Log.CountAsync()).Done);
    }
}
