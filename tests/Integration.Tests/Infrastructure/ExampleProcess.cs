using System.Diagnostics;
using System.Text;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>
/// A program from <c>examples/</c> run from its own build output (<c>dotnet X.dll</c>, as a user runs
/// it), its stdout and stderr collected line by line so a test can wait for a line while it runs.
/// </summary>
public sealed class ExampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExampleProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ExampleProcess Start(string example, params string[] args)
    {
        // The same configuration and framework as the tests: bin/Release/net10.0 beside bin/Release/net10.0.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(CommandRunner.RepoRoot, "examples", example, "bin", testBin.Parent!.Name, testBin.Name, example + ".dll");
        Assert.True(File.Exists(dll), $"{example} is not built: {dll}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // The key comes from the arguments only, whatever the machine running the tests has set.
        psi.Environment.Remove("SESSIONINSIGHTS_KEY");
        var p = new ExampleProcess(new Process { StartInfo = psi });
        p._process.OutputDataReceived += (_, e) => p.OnLine(e.Data);
        p._process.ErrorDataReceived += (_, e) => p.OnLine(e.Data);
        p._process.Start();
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs the program to its end: exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string example, params string[] args)
    {
        await using var p = Start(example, args);
        return (await p.WaitForExitAsync(TimeSpan.FromSeconds(60)), p.Output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            // Also waits for the output to end, so Output holds the last lines.
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"still running after {timeout}:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Waits until the program has written <paramref name="text"/>; fails if it ends without.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        await ContextReader.WaitUntilAsync(() => Task.FromResult(Output.Contains(text, StringComparison.Ordinal) || _process.HasExited),
            () => $"'{text}' in the output:\n{Output}");
        if (_process.HasExited)
        {
            // Its last lines may still be on their way.
            await _process.WaitForExitAsync();
        }
        Assert.True(Output.Contains(text, StringComparison.Ordinal), $"exited without writing '{text}':\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
