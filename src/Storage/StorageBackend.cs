namespace SessionInsights.Storage;

public enum StorageBackend
{
    Sqlite,
    Postgres,
}
