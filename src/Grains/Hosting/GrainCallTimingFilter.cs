using System.Diagnostics;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Times every call a grain of this silo answers (grain type and method as tags), so no grain
/// carries timing code and /metrics shows the same figures for every grain.
/// </summary>
public sealed class GrainCallTimingFilter(GrainMetrics metrics) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is not (Users.UserGrain or Sessions.SessionGrain))
        {
            await context.Invoke();
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await context.Invoke();
        }
        catch
        {
            outcome = "error";
            throw;
        }
        finally
        {
            metrics.GrainCallMs.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("grain", context.Grain.GetType().Name),
                new KeyValuePair<string, object?>("method", context.MethodName),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
