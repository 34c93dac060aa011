using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionInsights.Grains.Hosting;
using SessionInsights.Storage;

// A silo hosts the user and session grains; gateways reach them through shard-region proxies.
// SIGTERM stops the host, which leaves the cluster gracefully so shards hand off first.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSessionInsightsStorage(builder.Configuration);
builder.Services.AddSessionInsightsCluster(builder.Configuration, hostsSilo: true, hostsGateway: false);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
await builder.Build().RunAsync();
