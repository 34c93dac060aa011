using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Turns an exception that stopped start-up into one line: the cause and the setting to change.
/// The stack trace helps the project's developers, not a user whose port is taken.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>Exit code for a start-up the user can fix by changing a setting or an argument.</summary>
    public const int UsageExitCode = 2;

    /// <summary>The line for an HTTP address another process holds.</summary>
    public static string BusyUrl(string url) => $"{url} is already in use: choose another with --urls (e.g. --urls http://127.0.0.1:5078)";

    public static (string Line, int ExitCode) Describe(Exception failure)
    {
        var chain = Chain(failure).ToList();
        if (chain.OfType<StartupUsageException>().FirstOrDefault() is { } usage)
        {
            return (usage.Message, UsageExitCode);
        }
        // Kestrel's AddressInUseException, by name: this library does not reference ASP.NET.
        if (chain.Any(e => e.GetType().Name == "AddressInUseException" || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }))
        {
            var address = chain.Select(e => BindAddress().Match(e.Message)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
            return address is null
                ? ("a port this node needs is already in use (HTTP: --urls; Orleans: Cluster__SiloPort, Cluster__GatewayPort)", UsageExitCode)
                : (BusyUrl(address), UsageExitCode);
        }
        if (chain.OfType<NpgsqlException>().FirstOrDefault() is { } postgres)
        {
            return ($"PostgreSQL is not usable ({Innermost(postgres).Message.TrimEnd('.')}): check ConnectionStrings__Postgres", 1);
        }
        if (chain.FirstOrDefault(e => e.Message.Contains("Insights:RulesFile", StringComparison.Ordinal)) is { } rules)
        {
            return (rules.Message, UsageExitCode);
        }
        if (chain.OfType<Microsoft.Extensions.Options.OptionsValidationException>().FirstOrDefault() is { } options)
        {
            return ($"invalid setting: {options.Message}", UsageExitCode);
        }
        var cause = chain[^1];
        return ($"{cause.Message.TrimEnd('.')} ({cause.GetType().Name})", 1);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
                yield break;
            }
            yield return current;
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    [GeneratedRegex(@"bind to address (\S+?):? address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BindAddress();
}

/// <summary>A start-up mistake the user fixes with an argument or a setting: one line, exit code 2.</summary>
public sealed class StartupUsageException(string message) : Exception(message);
