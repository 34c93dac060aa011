using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SessionInsights.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// <c>ConnectionStrings:Postgres</c> set: PostgreSQL; unset: a SQLite file (<c>Storage:SqlitePath</c>,
    /// default <c>./data/session-insights.db</c>). Migrations run before anything uses the store.
    /// </summary>
    public static IServiceCollection AddSessionInsightsStorage(this IServiceCollection services, IConfiguration config) =>
        throw new NotImplementedException("wired once the storage implementations land");
}
