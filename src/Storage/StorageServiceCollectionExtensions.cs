using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string PostgresConnectionStringName = "Postgres";
    public const string SqlitePathKey = "Storage:SqlitePath";

    /// <summary>
    /// Registers the backend chosen by <c>ConnectionStrings:Postgres</c> (set: PostgreSQL; unset:
    /// SQLite at <c>Storage:SqlitePath</c>, default <see cref="StorageFactory.DefaultSqlitePath"/>).
    /// </summary>
    public static IServiceCollection AddSessionInsightsStorage(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSessionInsightsStorage(
            configuration.GetConnectionString(PostgresConnectionStringName),
            configuration[SqlitePathKey] ?? StorageFactory.DefaultSqlitePath);

    /// <summary>
    /// Registers <see cref="StorageBundle"/>, <see cref="IRawEventLog"/>, <see cref="IGrainStateStore"/>, <see cref="IProjectStore"/>, <see cref="IRuleStore"/>, <see cref="IEnrichedEventScan"/> and <see cref="IWebhookOutbox"/>
    /// as singletons, and a hosted service that applies migrations at start. Hosted services start in
    /// registration order, so register storage before anything that reads or writes it at start.
    /// </summary>
    public static IServiceCollection AddSessionInsightsStorage(this IServiceCollection services, string? postgresConnectionString, string sqlitePath)
    {
        services.AddSingleton(sp => StorageFactory.Create(postgresConnectionString, sqlitePath, sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<StorageBundle>().RawEvents);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBundle>().GrainState);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBundle>().Projects);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBundle>().Rules);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBundle>().EventScan);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBundle>().Webhooks);
        services.AddHostedService<StorageInitializer>();
        return services;
    }
}
