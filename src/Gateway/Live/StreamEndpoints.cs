using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Live;

public static class StreamEndpoints
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static IEndpointRouteBuilder MapStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/session/stream/{user_id}", StreamAsync)
            .WithName("StreamUser")
            .WithTags("Context")
            .WithSummary("A live Server-Sent Events stream of one user's labelled events and the patterns they fire")
            .WithDescription("Pushes each newly labelled event of the user (event), each pattern an event makes match with its status pending or confirmed (pattern), and pattern_confirmed when a pending pattern's negative window passes, as the user grain applies them (no polling). Every item has an SSE id; reconnect with the Last-Event-ID header (or last_event_id=) to get what was missed, exactly once, from the grain's recent backlog (256 items); an id older than that gets one reset event (read GET /session/context/{user_id} again) and the stream goes on live. Survives a silo failure: the gateway re-subscribes to the grain's new activation and drops what it already sent. Comments: ': keep-alive' every 15 s, ': subscribed silo=…' when the grain (re)subscribes. Authenticated like the context (project key).")
            .Produces<StreamItemDocument>(StatusCodes.Status200OK, StreamOutput.ContentType)
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> StreamAsync(
        [FromRoute(Name = "user_id")] string userId,
        [FromQuery(Name = "last_event_id")] string? lastEventIdQuery,
        HttpContext http,
        ClaimsPrincipal user,
        IGrainFactory grains,
        TimeProvider time,
        ILoggerFactory logs,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 200)
        {
            return Problems.Field(400, "user_id", "must be 1 to 200 characters");
        }
        // The header wins: EventSource sends it on reconnect; the query parameter serves a first connection.
        var header = http.Request.Headers[LastEventIdHeader].ToString();
        var lastEventId = header.Length > 0 ? header : lastEventIdQuery;
        if (lastEventId is not null && !StreamOutput.IsValidId(lastEventId))
        {
            return Problems.Field(400, header.Length > 0 ? LastEventIdHeader : "last_event_id", "must be one line of 1 to 512 characters, as sent in an id: field");
        }
        var connection = new StreamConnection(grains, ProjectKeyAuthentication.ProjectOf(user), userId, lastEventId, time.GetUtcNow());
        try
        {
            if (!await connection.SubscribeAsync(ct))
            {
                return Problems.Unavailable("The user's grain did not answer the subscription; retry.");
            }
            await WriteAsync(http.Response, connection, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left.
        }
        catch (Exception ex) when (http.Response.HasStarted)
        {
            logs.CreateLogger(typeof(StreamEndpoints)).LogDebug(ex, "stream of user {User} ended", userId);
        }
        finally
        {
            connection.Close();
        }
        return Results.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, StreamConnection connection, CancellationToken ct)
    {
        response.ContentType = StreamOutput.ContentType;
        response.Headers.CacheControl = "no-cache";
        // Tells nginx-like proxies not to hold the stream back.
        response.Headers["X-Accel-Buffering"] = "no";
        var sb = new StringBuilder();
        sb.Append("retry: ").Append(StreamOutput.RetryMs).Append("\n\n");
        await response.WriteAsync(sb.ToString(), ct);
        await response.Body.FlushAsync(ct);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renew = connection.RenewAsync(renewing.Token);
        try
        {
            var reader = connection.Output;
            while (true)
            {
                sb.Clear();
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    wait.CancelAfter(StreamOutput.KeepAliveEvery);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        StreamOutput.AppendComment(sb, "keep-alive");
                    }
                }
                // Everything already queued goes out in one write and one flush.
                while (reader.TryRead(out var next))
                {
                    if (next.Item is { } item)
                    {
                        StreamOutput.Append(sb, item);
                    }
                    else
                    {
                        StreamOutput.AppendComment(sb, next.Comment!);
                    }
                }
                await response.WriteAsync(sb.ToString(), ct);
                await response.Body.FlushAsync(ct);
            }
        }
        catch (StreamOverflowException)
        {
            sb.Clear();
            StreamOutput.Append(sb, new Domain.Live.StreamItem("", StreamOutput.Reset, """{"reason":"client_too_slow","detail":"The client fell too far behind; read GET /session/context/{user_id} again and reconnect."}"""));
            await response.WriteAsync(sb.ToString(), ct);
        }
        finally
        {
            await renewing.CancelAsync();
            try
            {
                await renew;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
