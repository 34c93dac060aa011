namespace SessionInsights.Storage.Migrations;

/// <summary>One versioned schema change, from an embedded <c>NNNN_name.sql</c> resource.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql);
