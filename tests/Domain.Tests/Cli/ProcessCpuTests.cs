using SessionInsights.Cli.Load;

namespace SessionInsights.Domain.Tests.Cli;

public class ProcessCpuTests
{
    [Fact]
    public void ReadsThisProcess_FromProc()
    {
        if (!File.Exists($"/proc/{Environment.ProcessId}/stat"))
        {
            return; // not Linux: nothing to read, and the load verb reports no server CPU there
        }
        var spinUntil = DateTime.UtcNow.AddMilliseconds(50);
        while (DateTime.UtcNow < spinUntil)
        {
        }

        var fromProc = ProcessCpu.Of(Environment.ProcessId);
        var all = ProcessCpu.AllProcesses();

        Assert.NotNull(fromProc);
        Assert.True(fromProc > TimeSpan.Zero);
        Assert.True(all.ContainsKey(Environment.ProcessId));
        Assert.Null(ProcessCpu.Of(int.MaxValue));
    }

    [Fact]
    public void BusiestOthers_GroupsByName_AndLeavesOutTheKnownProcesses()
    {
        var before = new Dictionary<int, (string Name, long Ticks)> { [1] = ("postgres", 100), [2] = ("postgres", 50), [3] = ("dotnet", 10) };
        var after = new Dictionary<int, (string Name, long Ticks)> { [1] = ("postgres", 300), [2] = ("postgres", 150), [3] = ("dotnet", 900), [4] = ("kworker/0:1", 5) };

        var others = ProcessCpu.BusiestOthers(before, after, exclude: new HashSet<int> { 3 }, top: 3);

        Assert.Equal([("postgres", TimeSpan.FromSeconds(3))], others);
        Assert.Equal(TimeSpan.FromSeconds(11.95), ProcessCpu.Between(before, after));
    }
}
