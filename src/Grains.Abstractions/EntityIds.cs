namespace SessionInsights.Grains.Abstractions;

/// <summary>Names of the sharded entity types ("grain types") and the roles that host them.</summary>
public static class EntityIds
{
    public const string UserGrainType = "user";
    public const string SessionGrainType = "session";
    public const string SiloRole = "silo";
    public const string GatewayRole = "gateway";
}
