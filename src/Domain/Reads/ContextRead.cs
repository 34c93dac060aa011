namespace SessionInsights.Domain.Reads;

/// <summary>A rendered context (SPEC §7, UTF-8 JSON) and whether the live grain answered or storage did.</summary>
public readonly record struct ContextRead(byte[] Json, bool FromGrain, long RulesVersion);
