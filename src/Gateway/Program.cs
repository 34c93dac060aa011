using System.Text.Json;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using SessionInsights.Domain.Backtests;
using SessionInsights.Domain.Context;
using SessionInsights.Gateway.Capture;
using SessionInsights.Gateway.Demo;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Hosting;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.Insights;
using SessionInsights.Gateway.Live;
using SessionInsights.Gateway.OpenApi;
using SessionInsights.Gateway.Security;
using SessionInsights.Gateway.Telemetry;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Monitoring;
using SessionInsights.Storage;

// Our own options first, so they work in any order; ASP.NET gets only --urls and settings.
var commandLine = GatewayCommandLine.Parse(args, out var usageError);
if (commandLine is null)
{
    Console.Error.WriteLine($"session-insights: {usageError}");
    Console.Error.WriteLine(GatewayCommandLine.Usage);
    return StartupFailure.UsageExitCode;
}
if (commandLine.Help)
{
    Console.WriteLine(GatewayCommandLine.Usage);
    return 0;
}
var hostArgs = commandLine.ConfigurationArgs.ToArray();

try
{
    if (commandLine.DemoOnly)
    {
        // Just the demo feeder, pointed at another gateway (docker-compose's demo service).
        var feeder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
        feeder.Services.AddHostedService<DemoFeeder>();
        await feeder.Build().RunAsync();
        return 0;
    }

    // Settings and pages ship beside the binary; the working directory is the user's (for ./data).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
    var config = builder.Configuration;
    // One command runs everything: unless told otherwise the gateway also hosts a silo.
    var hostsSilo = config.GetValue("Gateway:HostsSilo", true);
    PortCheck.EnsureFree(config, hostsSilo); // before --reset-data: a busy port may be our own running instance
    var data = DataLocation.From(config);
    var security = SecurityMode.From(config, data); // refuses a deployment that would serve anyone
    if (commandLine.ResetData)
    {
        Console.WriteLine($"session-insights: {data.Reset()}");
    }
    builder.Logging.AddStartupFailureFilter(commandLine.Verbose);
    builder.Services.AddSingleton(data);
    builder.Services.AddHostedService<StartupBanner>();

    // Storage first: its migrations (membership tables included) run before the silo or client starts.
    builder.Services.AddSessionInsightsStorage(config);
    builder.Services.AddSessionInsightsCore(config);
    // Keys next: loaded (and the development project's made) before the first request.
    builder.Services.AddSingleton(security);
    if (data.SqliteFile is not null)
    {
        builder.Services.AddSingleton<DevProject>();
    }
    builder.Services.AddSingleton<ProjectDirectory>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<ProjectDirectory>());
    builder.Services.AddProjectKeyAuthentication();
    builder.Services.AddProjectRateLimits();

    if (hostsSilo)
    {
        builder.UseOrleans(silo => silo.AddSessionInsightsSilo(config));
        builder.Services.AddSiloReadyLog();
    }
    else
    {
        builder.UseOrleansClient(client => client.AddSessionInsightsClient(config));
        builder.Services.AddHostedService<GatewayReadyLog>();
    }
    builder.Services.AddNodeReporter(servesHttp: true);
    builder.Services.AddDashboardAuth();
    // ASP.NET Core's own meters: the whole request's duration per route (http_server_request_duration_seconds),
    // beside the grain call the endpoints time themselves, and Kestrel's connection and queue figures.
    builder.Services.AddSessionInsightsTelemetry(config, "session-insights-gateway", m => m
        .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
        .AddPrometheusExporter());
    builder.Services.AddSingleton<IngestMetrics>();
    builder.Services.AddSingleton<IngestionWarnings>();
    builder.Services.AddSingleton<RawEventWriter>();
    builder.Services.AddSingleton<WebhookSecret>();
    builder.Services.AddSingleton<CaptureTokens>();
    builder.Services.AddSingleton<RuleBacktester>();
    builder.Services.AddProblemDetails();
    builder.Services.ConfigureHttpJsonOptions(o =>
    {
        o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        // Numbers are numbers (the web default also reads "12"; the document would then say integer or string).
        o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        o.SerializerOptions.Converters.Add(new UtcTimeJsonConverter()); // every endpoint: RFC 3339 UTC with Z
    });
    builder.Services.AddSessionInsightsOpenApi();
    if (commandLine.Demo || config.GetValue("Demo:Enabled", false))
    {
        builder.Services.AddHostedService<DemoFeeder>();
    }

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseDashboardAuth();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseRateLimiter();
    app.MapOpenApi();
    app.MapScalarApiReference("/docs");
    app.MapRoot();
    app.MapIngest();
    app.MapCapture();
    app.MapContext();
    app.MapStream();
    app.MapSessions();
    app.MapHealth();
    app.MapFailedEvents();
    app.MapUsers();
    app.MapIngestionWarnings();
    app.MapRules();
    app.MapRuleBacktests();
    app.MapPrometheusScrapingEndpoint("/metrics");
    // Orleans' dashboard (silos, grain types and methods) at /dashboard; the project's own views at /insights, which links to it.
    app.MapOrleansDashboard(routePrefix: "/dashboard");
    app.MapInsights();
    await app.RunAsync();
    return 0;
}
catch (Exception failure) when (!commandLine.Verbose)
{
    // One line with the cause and the setting to change; --verbose rethrows for the stack trace.
    var (line, exitCode) = StartupFailure.Describe(failure);
    Console.Error.WriteLine($"session-insights: {line}");
    return exitCode;
}

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
