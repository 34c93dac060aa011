using Npgsql;
using NpgsqlTypes;

namespace SessionInsights.Storage.Postgres;

/// <summary>Positional (<c>$n</c>) parameters with explicit PostgreSQL types, so arrays never depend on inference.</summary>
internal static class PgParameter
{
    public static NpgsqlParameter Value<T>(T value) => new NpgsqlParameter<T> { TypedValue = value };

    public static NpgsqlParameter Value<T>(T value, NpgsqlDbType type) => new NpgsqlParameter<T> { TypedValue = value, NpgsqlDbType = type };

    public static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new NpgsqlParameter<T[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };
}
