namespace SessionInsights.Domain.Enrichment;

/// <summary>An event's two classification dimensions; both are <see cref="EventTypes"/> / <see cref="ActionTypes"/> constants.</summary>
public readonly record struct EventClassification(string EventType, string ActionType);
