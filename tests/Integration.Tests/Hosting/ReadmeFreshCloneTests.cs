using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SessionInsights.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Hosting;

/// <summary>
/// The README's first screen works as written: a git clone of this commit into a temporary directory,
/// then the run command taken from README.md itself (so the two cannot drift), with --urls after and
/// before the other options, a busy port, and --reset-data. Prints the time from clone to the first
/// answer (docs/testing.md). Slow (the clone builds from scratch): Category=FreshClone.
/// </summary>
[Trait("Category", "FreshClone")]
public sealed partial class ReadmeFreshCloneTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("si-clone-").FullName;

    [Fact]
    public async Task The_readme_run_command_works_from_a_fresh_clone()
    {
        var command = RunCommand(File.ReadAllText(Path.Combine(CommandRunner.RepoRoot, "README.md")));
        Assert.Equal("dotnet", command[0]);
        Assert.Contains("--", command);
        var clock = Stopwatch.StartNew();
        var clone = Path.Combine(_directory, "session-insights");
        await CommandRunner.RunAsync(_directory, TimeSpan.FromMinutes(2), "git", "clone", "--quiet", CommandRunner.RepoRoot, clone);
        var cloned = clock.Elapsed;
        var user = "clone-user";

        // 1. As written, --urls after the options: the first answer, the demo's events, one of ours.
        var url = $"http://127.0.0.1:{NodeProcess.FreePort()}";
        await using (var run = Run(clone, [.. command, "--urls", url]))
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            var index = await run.FirstAnswerAsync(http, "/", TimeSpan.FromMinutes(10));
            var firstAnswer = clock.Elapsed;
            Assert.Contains("GET /session/context/{user_id}", index);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
            var demo = await ContextReader.WaitForAsync(http, "demo-checkout-abandoner-1", c => ContextReader.EventCount(c) >= 3);
            Assert.Contains(ContextReader.Labels(demo), l => l.StartsWith("Viewed", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(Pageview(user, "s-clone", DateTimeOffset.UtcNow, "/pricing")))).StatusCode);
            await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 1);
            Assert.Contains(Path.Combine(clone, "data"), run.Log); // the data lives in the clone, as the README says
            output.WriteLine($"fresh clone: git clone {cloned.TotalSeconds:F1} s, clone to first answer (GET /) {firstAnswer.TotalSeconds:F1} s");
            await run.StopAsync();
        }

        // 2. A busy port: one line naming it, exit code 2.
        using (var holder = new TcpListener(IPAddress.Loopback, 0))
        {
            holder.Start();
            var busy = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
            await using var run = Run(clone, [.. command, "--urls", busy]);
            var exitCode = await run.ExitAsync(TimeSpan.FromMinutes(5));
            Assert.Equal(2, exitCode);
            Assert.Equal($"session-insights: {busy} is already in use: choose another with --urls (e.g. --urls http://127.0.0.1:5078)", run.Errors.Trim());
        }

        // 3. --urls before the other options, and --reset-data: our user is gone, the demo starts again.
        url = $"http://127.0.0.1:{NodeProcess.FreePort()}";
        var separator = command.IndexOf("--");
        await using (var run = Run(clone, [.. command[..(separator + 1)], "--urls", url, .. command[(separator + 1)..], "--reset-data"]))
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            await run.FirstAnswerAsync(http, "/health", TimeSpan.FromMinutes(5));
            Assert.Contains("deleted " + Path.Combine(clone, "data", "session-insights.db"), run.Log);
            Assert.Equal(0, ContextReader.EventCount(await ContextReader.GetAsync(http, user)));
            await ContextReader.WaitForAsync(http, "demo-checkout-abandoner-1", c => ContextReader.EventCount(c) >= 1);
            await run.StopAsync();
        }
    }

    [Fact]
    public void The_run_command_is_read_from_the_first_code_block()
    {
        const string readme = "# X\n\n```bash\ndotnet run --project src/Gateway -- --demo     # run it\n./scripts/test.sh   # tests\n```\n";

        Assert.Equal(["dotnet", "run", "--project", "src/Gateway", "--", "--demo"], RunCommand(readme));
    }

    /// <summary>The first line of the README's first code block that runs something with dotnet, without its comment.</summary>
    internal static List<string> RunCommand(string readme)
    {
        var block = FirstBlock().Match(readme);
        Assert.True(block.Success, "README.md has no code block");
        var line = block.Groups[1].Value.Split('\n').First(l => l.TrimStart().StartsWith("dotnet run", StringComparison.Ordinal));
        var hash = line.IndexOf(" #", StringComparison.Ordinal);
        return [.. (hash < 0 ? line : line[..hash]).Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }

    [GeneratedRegex(@"```\w*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FirstBlock();

    private static CommandProcess Run(string directory, List<string> command)
    {
        var psi = new ProcessStartInfo(command[0]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        // Only what keeps test runs side by side apart (Orleans' ports); the rest is the user's default.
        psi.Environment["Cluster__SiloPort"] = NodeProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Cluster__GatewayPort"] = NodeProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new CommandProcess(Process.Start(psi)!);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A command as a user runs it in a terminal: its output kept, stopped (with what it started) at the end.</summary>
    private sealed class CommandProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();
        private readonly StringBuilder _errors = new();

        public CommandProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Append(_log, e.Data);
            _process.ErrorDataReceived += (_, e) => { Append(_errors, e.Data); Append(_log, e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Log { get { lock (_log) { return _log.ToString(); } } }

        public string Errors { get { lock (_log) { return _errors.ToString(); } } }

        private void Append(StringBuilder to, string? line)
        {
            if (line is not null)
            {
                lock (_log)
                {
                    to.AppendLine(line);
                }
            }
        }

        /// <summary>Polls <paramref name="path"/> until it answers 200 (the build comes first); its body.</summary>
        public async Task<string> FirstAnswerAsync(HttpClient http, string path, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"the command exited ({_process.ExitCode}) before answering:\n{Log}");
                }
                try
                {
                    var response = await http.GetAsync(path);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return await response.Content.ReadAsStringAsync();
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                Assert.True(DateTime.UtcNow < deadline, $"no answer on {path} after {timeout}:\n{Log}");
                await Task.Delay(250);
            }
        }

        public async Task<int> ExitAsync(TimeSpan timeout)
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return _process.ExitCode;
        }

        public async Task StopAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                await StopAsync();
            }
            _process.Dispose();
        }
    }
}
