using Orleans.TestingHost;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>
/// Ports for <see cref="InProcessTestCluster"/> without probing the machine. Its silos and client talk
/// over Orleans' in-memory transport, so these numbers only name endpoints: nothing listens on them.
/// They are unique within the test process, so two clusters never share an endpoint name. (The
/// default allocator probes ports 22300–30000 and takes machine-wide mutexes, which other engineers'
/// runs on this machine would contend for.)
/// </summary>
internal sealed class InMemoryPortAllocator : ITestClusterPortAllocator
{
    private static int _next = 41_000;

    public (int, int) AllocateConsecutivePortPairs(int numPorts)
    {
        var first = Interlocked.Add(ref _next, 2 * numPorts) - 2 * numPorts;
        return (first, first + numPorts);
    }

    public void Dispose()
    {
    }
}
