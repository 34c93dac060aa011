using Microsoft.Extensions.Configuration;

namespace SessionInsights.Grains.Hosting;

/// <summary>Reads <see cref="GrainSettings"/> from configuration section <c>Grains</c>.</summary>
public static class GrainSettingsLoader
{
    public static GrainSettings FromConfiguration(IConfiguration config)
    {
        var s = config.GetSection("Grains");
        var d = new GrainSettings();
        return new GrainSettings
        {
            PassivateAfter = Time(s["PassivateAfter"], d.PassivateAfter),
            FlushDelay = Time(s["FlushDelay"], d.FlushDelay),
            RetryDelay = Time(s["RetryDelay"], d.RetryDelay),
            StalePendingAfter = Time(s["StalePendingAfter"], d.StalePendingAfter),
            SweepInterval = Time(s["SweepInterval"], d.SweepInterval),
            AskTimeout = Time(s["AskTimeout"], d.AskTimeout),
            ContextFallbackAfter = Time(s["ContextFallbackAfter"], d.ContextFallbackAfter),
            MaxShards = int.TryParse(s["MaxShards"], out var shards) ? shards : d.MaxShards,
        };
    }

    private static TimeSpan Time(string? value, TimeSpan fallback) => TimeSpan.TryParse(value, out var t) ? t : fallback;
}
