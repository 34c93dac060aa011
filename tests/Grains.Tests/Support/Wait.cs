using System.Diagnostics;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>Waiting for a condition with a deadline (never a fixed sleep).</summary>
internal static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    /// <summary>Probes until <paramref name="done"/> holds, then returns the probe's value; fails with the last value at the deadline.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T?, string> waitingFor)
    {
        var clock = Stopwatch.StartNew();
        T? last = default;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                lastError = ex;
            }
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {waitingFor(last)}"
                    + (lastError is null ? "" : $" (last probe failed: {lastError.GetType().Name}: {lastError.Message})"));
            }
            await Task.Delay(Poll);
        }
    }

    /// <summary>The task, or a failure naming what was awaited once the deadline passes.</summary>
    public static async Task ForAsync(Task task, TimeSpan timeout, string what)
    {
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
        }
    }
}
