using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SessionInsights.Gateway.Demo;

/// <summary>
/// <c>--demo</c>: plays <see cref="DemoJourneys"/> against this gateway's own <c>/ingest</c> (or, with
/// <c>--demo-only</c>, against <c>Demo:TargetUrl</c>) over real HTTP, a new round of users every pass,
/// so a newcomer sees contexts fill up.
/// </summary>
public sealed class DemoFeeder(IServiceProvider services, IConfiguration config, IHostApplicationLifetime lifetime, ILogger<DemoFeeder> log) : BackgroundService
{
    private static readonly TimeSpan StepDelay = TimeSpan.FromMilliseconds(400);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var _ = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        var address = config["Demo:TargetUrl"] ?? OwnAddress();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        if (config["Ingest:SharedSecret"] is { Length: > 0 } secret)
        {
            // A gateway with a webhook secret would refuse the demo's own traffic without it.
            http.DefaultRequestHeaders.Add(Ingestion.WebhookSecret.Header, secret);
        }
        await WaitHealthyAsync(http, stoppingToken);

        for (var round = 1; !stoppingToken.IsCancellationRequested; round++)
        {
            foreach (var (name, steps) in DemoJourneys.All)
            {
                var user = $"demo-{name}-{round}";
                var session = Guid.CreateVersion7().ToString();
                foreach (var step in steps)
                {
                    var response = await http.PostAsJsonAsync("/ingest", step(user, session, DateTimeOffset.UtcNow), stoppingToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        log.LogWarning("Demo event for {User} got {Status}", user, (int)response.StatusCode);
                    }
                    await Task.Delay(StepDelay, stoppingToken);
                }
                log.LogInformation("Demo: {User} done — curl {Address}/session/context/{User}", user, address, user);
            }
        }
    }

    private string OwnAddress() =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1");

    private static async Task WaitHealthyAsync(HttpClient http, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if ((await http.GetAsync("/health", ct)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250, ct);
        }
    }
}
