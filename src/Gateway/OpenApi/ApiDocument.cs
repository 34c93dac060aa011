using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SessionInsights.Gateway.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c>. Most answers are records the generator reads; the grains' documents (context,
/// session) are UTF-8 JSON rendered by the domain, so they are described by records used only for the
/// document (Endpoints/UserContextDocument, SessionDocument; OpenApi/RequestShapes for bodies the
/// endpoints read themselves). Records rather than hand-written schemas in a transformer: the generator
/// keeps snake_case, nullability and $refs consistent with the real serializer, and a field added to a
/// record cannot be forgotten in the document. The transformers here only add what the generator cannot
/// know: that every field of an answer is always written, examples, the problem-details extras, and the
/// context's second (text) form.
/// </summary>
public static class ApiDocument
{
    /// <summary>Field is absent from some answers; every other field of an answer is always written (null included).</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class OptionalAttribute : Attribute;

    public static IServiceCollection AddSessionInsightsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            // The Orleans dashboard's pages and JSON are its own UI, not this API (see docs/api.md).
            o.ShouldInclude = d => !(d.RelativePath ?? "").StartsWith("dashboard", StringComparison.Ordinal);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Session Insights";
                document.Info.Description = "PostHog events in, a ready-to-paste context per user out. Every time is RFC 3339 UTC with Z and at most microseconds; "
                    + "every severity is HIGH, MEDIUM or LOW; every JSON object answer that carries times carries the server's generated_at. "
                    + "Errors are RFC 7807 problem details whose errors object names the field at fault. "
                    + "Key-protected endpoints take Authorization: Bearer <secret key>; /insights/api takes the dashboard's basic auth.";
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
                {
                    // UtcTimeJsonConverter hides the type from the generator: say what it writes.
                    schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Format = "date-time";
                    schema.Pattern = TimePattern;
                }
                if (context.JsonPropertyInfo is null && schema.Properties is { Count: > 0 } && !RequestShapes.Contains(type) && !IsProblem(type))
                {
                    // Our serializer writes every property (nulls included), so an answer's fields are all required.
                    schema.Required ??= new HashSet<string>();
                    foreach (var property in context.JsonTypeInfo.Properties)
                    {
                        if (!property.IsExtensionData && property.AttributeProvider?.IsDefined(typeof(OptionalAttribute), false) != true)
                        {
                            schema.Required.Add(property.Name);
                        }
                    }
                }
                if (IsProblem(type))
                {
                    DescribeProblem(schema);
                }
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, ct) =>
            {
                var key = $"{context.Description.HttpMethod} /{context.Description.RelativePath}";
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<BodyDescription>().LastOrDefault() is { } body)
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = body.Required,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, ct) },
                        },
                    };
                }
                if (key == "GET /session/context/{user_id}" && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
                {
                    // Produces<UserContextDocument>(200, "application/json", "text/plain") gave both forms the JSON schema.
                    content["text/plain"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The compact text form (format=text or Accept: text/plain)." },
                        Example = JsonValue.Create(ApiExamples.ContextText),
                    };
                }
                ApiExamples.Apply(key, operation);
            });
        });

    /// <summary>Types that describe request bodies: their fields are optional (the endpoint names a missing required one).</summary>
    private static readonly HashSet<Type> RequestShapes =
        [typeof(BacktestRequest), typeof(BacktestPeriodRequest), typeof(RuleDefinition), typeof(IngestRequest)];

    /// <summary>RFC 3339 UTC with Z and at most microseconds: what every time on the wire looks like (Domain/Context/JsonTime).</summary>
    public const string TimePattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$";

    private static bool IsProblem(Type type) =>
        type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails) || type == typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails);

    private static void DescribeProblem(OpenApiSchema schema)
    {
        // Null members are left out of a problem; these three are always there.
        schema.Required = new HashSet<string> { "type", "title", "status" };
        schema.Properties?.Remove("extensions");
        schema.Description = "RFC 7807 problem details. errors names the field at fault (query parameter, body field or header) with what is wrong.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object | JsonSchemaType.Null,
            Description = "Field → problems, e.g. {\"max_tokens\": [\"must be a whole number from 50 to 100000\"]}.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        schema.Properties["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The request's trace, for the logs." };
    }
}
