using System.Text.Json;
using SessionInsights.Cli.Load;

namespace SessionInsights.Domain.Tests.Cli;

public class LoadBatchTests
{
    [Fact]
    public void Batch_body_is_a_posthog_batch_of_the_ingest_events()
    {
        var generator = new TrafficGenerator(5, 1, seed: 3);
        var events = Enumerable.Range(0, 4).Select(_ => generator.Next(DateTimeOffset.UtcNow)).ToList();

        using var doc = JsonDocument.Parse(BatchBodyWriter.Write(events, DateTimeOffset.UtcNow));

        Assert.Equal(BatchBodyWriter.ApiKey, doc.RootElement.GetProperty("api_key").GetString());
        var batch = doc.RootElement.GetProperty("batch").EnumerateArray().ToList();
        Assert.Equal(4, batch.Count);
        for (var i = 0; i < 4; i++)
        {
            using var ingest = JsonDocument.Parse(events[i].Body);
            Assert.Equal(ingest.RootElement.GetProperty("event").GetRawText(), batch[i].GetRawText());
            Assert.Equal(events[i].Uuid, batch[i].GetProperty("uuid").GetGuid());
        }
    }

    [Fact]
    public void Mode_batch_size_and_baseline_options()
    {
        var batch = LoadOptions.Parse(["--url", "http://h:1", "--mode", "batch", "--batch-size", "250", "--copy-limit", "36000"], TextWriter.Null)!;
        var baseline = LoadOptions.Parse(["--baseline-copy", "--postgres", "Host=x", "--rows-per-copy", "100"], TextWriter.Null)!;

        Assert.Equal((LoadMode.Batch, 250, 36000.0), (batch.Mode, batch.BatchSize, batch.CopyLimit));
        Assert.Equal((true, "Host=x", 100), (baseline.BaselineCopy, baseline.Postgres, baseline.RowsPerCopy));
        Assert.Null(LoadOptions.Parse(["--url", "http://h:1", "--mode", "stream"], TextWriter.Null));
        Assert.Null(LoadOptions.Parse(["--baseline-copy"], TextWriter.Null));
    }

    [Fact]
    public void Grain_counts_come_from_health()
    {
        var health = """{"status":"ok","node":"x","roles":["silo"],"grains":{"active_users":1200,"active_sessions":1300,"user_activations":1500}}"""u8.ToArray();

        Assert.Equal(new ServerGrains(1200, 1300), ServerGrains.Parse(health));
        Assert.Null(ServerGrains.Parse("""{"status":"ok"}"""u8.ToArray()));
    }

    [Fact]
    public void Memory_per_user_and_growth_per_new_user()
    {
        var m = new GrainMemory(new ServerGrains(1000, 1000), new ServerGrains(3000, 3000), 100 << 20, 130 << 20);

        Assert.Equal((130 << 20) / 3000.0, m.BytesPerActiveUser);
        Assert.Equal((30 << 20) / 2000.0, m.GrowthPerNewUser);
        Assert.Null(new GrainMemory(new ServerGrains(1000, 1000), new ServerGrains(1500, 1500), 1, 2).GrowthPerNewUser);
    }
}
