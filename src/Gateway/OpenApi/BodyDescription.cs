namespace SessionInsights.Gateway.OpenApi;

/// <summary>
/// The request body an endpoint reads itself, for the document only. Not <c>Accepts&lt;T&gt;</c>: that also
/// makes routing refuse (415) a request without its content type, which the rule endpoints always took.
/// </summary>
public sealed record BodyDescription(Type Type, bool Required);

public static class BodyDescriptionExtensions
{
    public static RouteHandlerBuilder DescribesBody<T>(this RouteHandlerBuilder builder, bool required = true) =>
        builder.WithMetadata(new BodyDescription(typeof(T), required));
}
