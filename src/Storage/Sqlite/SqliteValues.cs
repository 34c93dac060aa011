using Microsoft.Data.Sqlite;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// The SQLite column encodings: uuids as lower-case text, timestamps as unix microseconds (UTC),
/// booleans as 0/1. Kept in one place so every table reads back what it wrote.
/// </summary>
internal static class SqliteValues
{
    public static string Uuid(Guid value) => value.ToString("D");

    public static long Time(DateTimeOffset value) => StoragePrecision.ToUnixMicroseconds(value);

    public static object Time(DateTimeOffset? value) => value is { } v ? Time(v) : DBNull.Value;

    public static Guid ReadUuid(SqliteDataReader reader, int ordinal) => Guid.ParseExact(reader.GetString(ordinal), "D");

    public static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) =>
        StoragePrecision.FromUnixMicroseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? ReadNullableTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static string? ReadNullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Sets a prepared statement's parameters in declaration order.</summary>
    public static void Bind(SqliteCommand command, params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
