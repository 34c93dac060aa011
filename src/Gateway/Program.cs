using System.Text.Json;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using SessionInsights.Gateway.Capture;
using SessionInsights.Gateway.Demo;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.Insights;
using SessionInsights.Gateway.Telemetry;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Monitoring;
using SessionInsights.Storage;

if (args.Contains("--demo-only"))
{
    // Just the demo feeder, pointed at another gateway (docker-compose's demo service).
    var feeder = Host.CreateApplicationBuilder(args);
    feeder.Services.AddHostedService<DemoFeeder>();
    await feeder.Build().RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;

// Storage first: its migrations (membership tables included) run before the silo or client starts.
builder.Services.AddSessionInsightsStorage(config);
builder.Services.AddSessionInsightsCore(config);

// One command runs everything: unless told otherwise the gateway also hosts a silo.
var hostsSilo = config.GetValue("Gateway:HostsSilo", true);
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
builder.Services.AddSessionInsightsTelemetry(config, "session-insights-gateway", m => m.AddPrometheusExporter());
builder.Services.AddSingleton<IngestMetrics>();
builder.Services.AddSingleton<IngestionWarnings>();
builder.Services.AddSingleton<RawEventWriter>();
builder.Services.AddSingleton<WebhookSecret>();
builder.Services.AddSingleton<CaptureTokens>();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
builder.Services.AddOpenApi();
if (args.Contains("--demo") || config.GetValue("Demo:Enabled", false))
{
    builder.Services.AddHostedService<DemoFeeder>();
}

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDashboardAuth();
app.MapOpenApi();
app.MapScalarApiReference("/docs");
app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
app.MapIngest();
app.MapCapture();
app.MapContext();
app.MapSessions();
app.MapHealth();
app.MapFailedEvents();
app.MapIngestionWarnings();
app.MapPrometheusScrapingEndpoint("/metrics");
// Orleans' dashboard (silos, grain types and methods) at /dashboard; the project's own views at /insights, which links to it.
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapInsights();
await app.RunAsync();

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
