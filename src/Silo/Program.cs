using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Monitoring;
using SessionInsights.Storage;

// A silo hosts the user and session grains; gateways reach them as Orleans clients.
// SIGTERM stops the host: the silo leaves the cluster and its grains commit before it exits.
var verbose = args.Contains("--verbose");
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. args.Where(a => a != "--verbose")], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddStartupFailureFilter(verbose);
builder.Services.AddSessionInsightsStorage(builder.Configuration);
builder.Services.AddSessionInsightsCore(builder.Configuration);
builder.UseOrleans(silo => silo.AddSessionInsightsSilo(builder.Configuration));
builder.Services.AddSiloReadyLog();
builder.Services.AddSessionInsightsTelemetry(builder.Configuration, "session-insights-silo");
builder.Services.AddNodeReporter(servesHttp: false);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (Exception failure) when (!verbose)
{
    // One line with the cause and the setting to change; --verbose shows the stack trace.
    var (line, exitCode) = StartupFailure.Describe(failure);
    Console.Error.WriteLine($"session-insights-silo: {line}");
    return exitCode;
}
