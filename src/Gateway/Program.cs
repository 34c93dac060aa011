using System.Text.Json;
using Scalar.AspNetCore;
using SessionInsights.Gateway.Capture;
using SessionInsights.Gateway.Dashboard;
using SessionInsights.Gateway.Demo;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Grains.Hosting;
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

// One command runs everything: unless told otherwise the gateway also hosts the silo role.
var hostsSilo = config.GetValue("Gateway:HostsSilo", true);
builder.Services.AddSessionInsightsStorage(config);
builder.Services.AddSessionInsightsCluster(config, hostsSilo, hostsGateway: true);
builder.Services.AddSingleton<IngestMetrics>();
builder.Services.AddSingleton<RawEventWriter>();
builder.Services.AddSingleton<WebhookSecret>();
builder.Services.AddSingleton<CaptureTokens>();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
builder.Services.AddOpenApi();
builder.Services.AddDashboard(config);
if (args.Contains("--demo") || config.GetValue("Demo:Enabled", false))
{
    builder.Services.AddHostedService<DemoFeeder>();
}

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDashboardAuth(app.Services.GetRequiredService<DashboardOptions>());
app.MapOpenApi();
app.MapScalarApiReference("/docs");
app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
app.MapIngest();
app.MapCapture();
app.MapContext();
app.MapSessions();
app.MapHealth();
app.MapFailedEvents();
app.MapDashboard();
await app.RunAsync();

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
