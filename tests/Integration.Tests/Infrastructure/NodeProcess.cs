using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>
/// A real gateway or silo process, started from the build output with its own environment, so tests
/// cross real HTTP and real process boundaries and can kill a node with SIGKILL.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(Process process)
    {
        _process = process;
    }

    public Uri? BaseAddress { get; private set; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the gateway (which by default also hosts the silo role) on a free port.</summary>
    public static Task<NodeProcess> StartGatewayAsync(IDictionary<string, string?> env) =>
        StartAsync("SessionInsights.Gateway", ["--urls", "http://127.0.0.1:0"], env, waitForHttp: true);

    /// <summary>Starts the gateway with exactly these arguments, from <paramref name="workingDirectory"/> (as a user would).</summary>
    public static Task<NodeProcess> StartGatewayAsync(IDictionary<string, string?> env, IReadOnlyList<string> args, string workingDirectory) =>
        StartAsync("SessionInsights.Gateway", [.. args], env, waitForHttp: true, workingDirectory);

    public static Task<NodeProcess> StartSiloAsync(IDictionary<string, string?> env) =>
        StartAsync("SessionInsights.Silo", [], env, waitForHttp: false);

    /// <summary>
    /// Starts a node that must stop by itself (a start-up check refusing its arguments or configuration)
    /// and returns its exit code, everything it wrote, and what it wrote to stderr alone; fails if it is
    /// still running after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(
        string app, IReadOnlyList<string> args, IDictionary<string, string?> env, TimeSpan timeout, string? workingDirectory = null)
    {
        await using var node = await StartAsync(app, [.. args], env, waitForHttp: false, workingDirectory);
        try
        {
            // Also waits for the output streams to end, so Log holds the last lines.
            await node._process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{app} was still running after {timeout}:\n{node.Log}");
        }
        lock (node._log)
        {
            return (node._process.ExitCode, node._log.ToString(), node._errors.ToString());
        }
    }

    private static async Task<NodeProcess> StartAsync(string app, string[] args, IDictionary<string, string?> env, bool waitForHttp, string? workingDirectory = null)
    {
        var dll = AppPath(app);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Logging__LogLevel__Default"] = "Information";
        psi.Environment["Logging__LogLevel__Orleans"] = "Warning";
        psi.Environment["Logging__LogLevel__Orleans.Runtime.Silo"] = "Information";
        psi.Environment["Logging__LogLevel__Polly"] = "Warning";
        // Tests run side by side: every node gets its own silo and gateway ports unless the test chose them.
        psi.Environment["Cluster__SiloPort"] = FreePort().ToString();
        psi.Environment["Cluster__GatewayPort"] = FreePort().ToString();
        // Tests of everything but security run as the default project, without keys; the security
        // tests set it to false (or remove it, with null, to test the defaults).
        psi.Environment["Security__AllowAnonymous"] = "true";
        // The tests' journeys and expectations were written against the seeds' 25 rules; the shop
        // default fixes some of them. Tests of the packs themselves set it (or remove it, with null).
        psi.Environment["Insights__RulePack"] = "seed";
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        var node = new NodeProcess(new Process { StartInfo = psi, EnableRaisingEvents = true });
        node._process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.OnLine(e.Data, stderr: true);
        node._process.Exited += (_, _) =>
        {
            try
            {
                // Waits for the output streams to end, so the message has the process's last lines.
                node._process.WaitForExit();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // Disposed meanwhile (the test is over): nobody reads the message.
            }
            node._listening.TrySetException(new InvalidOperationException($"{app} exited early:\n{node.Log}"));
        };
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        if (waitForHttp)
        {
            node.BaseAddress = await node._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        }
        return node;
    }

    /// <summary>
    /// The app's own build output (as a user runs it), not the test folder: the test folder merges
    /// both apps' dependencies, which the silo's dependency manifest does not describe.
    /// </summary>
    public static string AppPath(string app)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SessionInsights.sln")))
        {
            root = root.Parent;
        }
        var project = app.Replace("SessionInsights.", "");
        var dll = Path.Combine(root?.FullName ?? ".", "src", project, "bin", configuration, framework, app + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{app} is not built: {dll}");
    }

    private void OnLine(string? line, bool stderr = false)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
            if (stderr)
            {
                _errors.AppendLine(line);
            }
        }
        var m = ListeningLine().Match(line);
        if (m.Success)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"node not healthy after {timeout}:\n{Log}");
    }

    /// <summary>Waits until the process has written a line containing <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process exited before logging '{text}':\n{Log}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no '{text}' after {timeout}:\n{Log}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a machine or container crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the orderly stop an orchestrator sends.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        _ = SysKill(_process.Id, 15);
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    public static int FreePort() => TestPorts.Next();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int sig);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
