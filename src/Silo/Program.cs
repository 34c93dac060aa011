using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Monitoring;
using SessionInsights.Storage;

// A silo hosts the user and session grains; gateways reach them as Orleans clients.
// SIGTERM stops the host: the silo leaves the cluster and its grains commit before it exits.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSessionInsightsStorage(builder.Configuration);
builder.Services.AddSessionInsightsCore(builder.Configuration);
builder.UseOrleans(silo => silo.AddSessionInsightsSilo(builder.Configuration));
builder.Services.AddSiloReadyLog();
builder.Services.AddSessionInsightsTelemetry(builder.Configuration, "session-insights-silo");
builder.Services.AddNodeReporter(servesHttp: false);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
await builder.Build().RunAsync();
