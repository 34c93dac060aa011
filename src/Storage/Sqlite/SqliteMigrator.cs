using Microsoft.Data.Sqlite;
using SessionInsights.Storage.Migrations;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// Applies missing migrations in version order in one BEGIN IMMEDIATE transaction: the write lock
/// is taken before <c>schema_migrations</c> is read, so a second process starting at the same time
/// waits and then finds nothing left to do. SQLite DDL is transactional, so a failing script leaves
/// the schema as it was.
/// </summary>
internal static class SqliteMigrator
{
    public static Task MigrateAsync(SqliteDatabase database, CancellationToken ct) =>
        database.WriteAsync(writer =>
        {
            var scripts = EmbeddedMigrations.Load("Sqlite");
            using var transaction = writer.BeginTransaction(deferred: false);
            SqliteDatabase.Execute(writer, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL
                )
                """, transaction);

            var applied = new HashSet<long>();
            using (var select = writer.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT version FROM schema_migrations";
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
            {
                SqliteDatabase.Execute(writer, script.Sql, transaction);
                using var record = writer.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)";
                record.Parameters.AddWithValue("$version", script.Version);
                record.Parameters.AddWithValue("$name", script.Name);
                record.Parameters.AddWithValue("$at", database.NowMicroseconds());
                record.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }, ct);
}
