namespace SessionInsights.Integration.Tests.Sdk;

/// <summary>The SDK tests share tests/sdk/node_modules, which `npm ci` recreates: they must not run at once.</summary>
[CollectionDefinition(Name)]
public sealed class SdkCollection
{
    public const string Name = "sdk";
}
