using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using SessionInsights.Domain;
using SessionInsights.Domain.Persistence;
using SessionInsights.Domain.Reads;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Monitoring;
using SessionInsights.Grains.Options;
using SessionInsights.Grains.Persistence;
using SessionInsights.Grains.Sessions;
using SessionInsights.Grains.Users;
using OrleansClusterOptions = Orleans.Configuration.ClusterOptions;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Orleans configuration for the two kinds of process: a silo (the Silo app, or the gateway by
/// default) and an Orleans client (a gateway with <c>Gateway:HostsSilo=false</c>). Both need the
/// storage registered too (<see cref="IRawEventLog"/>, <see cref="IGrainStateStore"/>).
/// </summary>
public static class SessionInsightsHosting
{
    public const string PostgresConnectionStringName = "Postgres";
    private const string Invariant = "Npgsql";

    /// <summary>What silos and gateways share: options, metrics, the storage read path.</summary>
    public static IServiceCollection AddSessionInsightsCore(this IServiceCollection services, IConfiguration config)
    {
        services.AddSessionInsightsOptions(config.GetConnectionString(PostgresConnectionStringName));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GrainMetrics>();
        services.AddSingleton<StorageContextReader>();
        services.AddSingleton<RuleCatalog>();
        services.AddHostedService<RuleRefresher>();
        services.AddSingleton<GrainClient>();
        services.AddSingleton(_ => new LogRing());
        services.AddSingleton<ILoggerProvider, RingLoggerProvider>();
        services.AddSingleton<MetricsCollector>();
        return services;
    }

    public static ISiloBuilder AddSessionInsightsSilo(this ISiloBuilder silo, IConfiguration config)
    {
        var cluster = Bind(config);
        var postgres = config.GetConnectionString(PostgresConnectionStringName);
        silo.Configure<OrleansClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        var siloPort = PortOrFree(cluster.SiloPort);
        if (cluster.UsesPostgres(postgres))
        {
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, postgres));
            silo.ConfigureEndpoints(cluster.Hostname, siloPort, PortOrFree(cluster.GatewayPort), AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
        }
        else
        {
            // One silo in this process; a gateway port only when asked for (nothing else can join).
            silo.UseLocalhostClustering(siloPort, cluster.GatewayPort);
        }
        return silo.AddSessionInsightsGrains(config);
    }

    /// <summary>
    /// Everything a silo runs apart from membership and endpoints: the grains, their storage provider,
    /// the pending sweeper, serialization, failure-detection and idle-collection settings. The hosting
    /// process (<see cref="AddSessionInsightsSilo"/>) or a test cluster chooses membership and endpoints.
    /// </summary>
    public static ISiloBuilder AddSessionInsightsGrains(this ISiloBuilder silo, IConfiguration config)
    {
        var cluster = Bind(config);
        var grains = config.GetSection(GrainsOptions.Section).Get<GrainsOptions>() ?? new GrainsOptions();
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = cluster.NumVotesForDeathDeclaration;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
        silo.Configure<GrainCollectionOptions>(o =>
        {
            // Idle grains leave memory after Grains:PassivateAfter; the collector must look more often than that.
            var quantum = grains.PassivateAfter / 2;
            o.CollectionQuantum = quantum < o.CollectionQuantum ? quantum : o.CollectionQuantum;
            o.ClassSpecificCollectionAge[typeof(UserGrain).FullName!] = grains.PassivateAfter;
            o.ClassSpecificCollectionAge[typeof(SessionGrain).FullName!] = grains.PassivateAfter;
        });
        silo.Services.AddSerializer(s => s.AddSessionInsightsSerialization());
        silo.Services.AddSingleton(sp => new GrainStateWriter(sp.GetRequiredService<IGrainStateStore>()));
        silo.Services.AddSingleton<GrainServices>();
        silo.Services.AddGrainStorage(UserStateStorage.Name, (sp, _) => new UserStateStorage(sp.GetRequiredService<GrainStateWriter>(), sp.GetRequiredService<InsightsOptions>().RecentEventsCapacity));
        silo.Services.TryAddSingleton<IEventProcessingHook, NoEventProcessingHook>();
        silo.Services.AddHostedService<PendingSweeper>();
        silo.Services.AddHostedService<RetrySweeper>();
        silo.Services.AddHostedService<RetentionSweeper>();
        silo.Services.AddSingleton<Webhooks.WebhookMetrics>();
        silo.Services.AddSingleton<Webhooks.WebhookSender>();
        silo.Services.AddHostedService<Webhooks.WebhookDispatcher>();
        silo.AddIncomingGrainCallFilter<GrainCallTimingFilter>();
        silo.AddActivityPropagation();
        silo.AddDashboard();
        return silo;
    }

    public static IClientBuilder AddSessionInsightsClient(this IClientBuilder client, IConfiguration config)
    {
        var cluster = Bind(config);
        var postgres = config.GetConnectionString(PostgresConnectionStringName);
        client.Configure<OrleansClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        if (cluster.UsesPostgres(postgres))
        {
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, postgres));
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort);
        }
        // A call through a gateway silo that died would otherwise wait 30 s.
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        client.Services.AddSerializer(s => s.AddSessionInsightsSerialization());
        // The gateway may start before any silo (docker-compose, Kubernetes): keep trying.
        client.UseConnectionRetryFilter(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            return true;
        });
        client.AddActivityPropagation();
        client.AddDashboard();
        return client;
    }

    private static Options.ClusterOptions Bind(IConfiguration config) =>
        config.GetSection(Options.ClusterOptions.Section).Get<Options.ClusterOptions>() ?? new Options.ClusterOptions();

    /// <summary>0 means any free port (single node, tests): Orleans needs the number before it listens.</summary>
    private static int PortOrFree(int port)
    {
        if (port != 0)
        {
            return port;
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
