using System.Diagnostics;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.ML.Tokenizers;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Users;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.Security;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

public static class ContextEndpoints
{
    public const int MaxRecentEvents = 500;
    public const string ContextSourceHeader = "X-Context-Source";
    public const string RulesVersionHeader = "X-Rules-Version";
    public const string TokensHeader = "X-Context-Tokens";
    public const string EventsDroppedHeader = "X-Context-Events-Dropped";
    public const string PatternsDroppedHeader = "X-Context-Patterns-Dropped";
    public const string PreviousSessionsDroppedHeader = "X-Context-Previous-Sessions-Dropped";
    public const string TokenizerHeader = "X-Context-Tokenizer";
    public const string TextContentType = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapContext(this IEndpointRouteBuilder app)
    {
        app.MapGet("/session/context/{user_id}", GetContextAsync)
            .WithName("GetUserContext")
            .WithTags("Context")
            .WithSummary("The chatbot context of one user, from the live user grain")
            .WithDescription("generated_at (the server's time of the answer, for relative times), recent_events (oldest first, 1–500, default 20), the latest session's summary, previous_sessions (the sessions before the latest, newest first: previous_sessions=0–10, default 3; times, counts, pages, summary and patterns without evidence), detected patterns (each with status pending or confirmed; patterns=confirmed leaves pending ones out). An unknown user gets empty lists and a null summary. When the grain does not answer within Grains:ContextFallbackAfter (its silo died and the grain is moving) the same document is rendered from storage; the X-Context-Source header says grain or storage. format=text (or Accept: text/plain) answers a compact plain-text block for a prompt instead. max_tokens=N (50–100000) trims either format to N tokens counted by tokenizer (o200k_base, the default, or cl100k_base): oldest events first down to the newest 10, then the oldest previous sessions, then the remaining events, then (JSON) the patterns' evidence ids, then the least severe patterns; X-Context-Tokens, X-Context-Events-Dropped, X-Context-Previous-Sessions-Dropped, X-Context-Patterns-Dropped and X-Context-Tokenizer say what was served. A budget smaller than the context's header and summary is a 400 naming max_tokens with the minimum.")
            .Produces<UserContextDocument>(StatusCodes.Status200OK, "application/json", "text/plain")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetContextAsync(
        [FromRoute(Name = "user_id")] string userId,
        [FromQuery(Name = "recent_events_limit")] string? limitText,
        [FromQuery(Name = "lookback_hours")] string? lookbackText,
        [FromQuery(Name = "patterns")] string? patternsText,
        [FromQuery(Name = "format")] string? formatText,
        [FromQuery(Name = "max_tokens")] string? maxTokensText,
        [FromQuery(Name = "tokenizer")] string? tokenizerText,
        [FromQuery(Name = "previous_sessions")] string? previousText,
        HttpRequest request,
        ClaimsPrincipal user,
        GrainClient grains,
        IngestMetrics metrics,
        TimeProvider time,
        HttpResponse response,
        CancellationToken ct)
    {
        if (QueryLimit.Read(limitText, "recent_events_limit", 20, MaxRecentEvents, out var limit) is { } invalid)
        {
            return invalid;
        }
        double? lookback = null;
        if (lookbackText is not null)
        {
            if (!double.TryParse(lookbackText, System.Globalization.CultureInfo.InvariantCulture, out var h) || !(h > 0) || h > 24 * 3660)
            {
                return Problems.Field(400, "lookback_hours", "must be a positive number of hours");
            }
            lookback = h;
        }
        // A bot that acts on patterns asks for confirmed ones: a pending one may still be cancelled.
        var confirmedOnly = false;
        if (patternsText is not null)
        {
            if (patternsText is not ("all" or "confirmed"))
            {
                return Problems.Field(400, "patterns", "must be 'confirmed' (only patterns whose negative window has passed) or 'all'");
            }
            confirmedOnly = patternsText == "confirmed";
        }
        if (ContextFormat.Read(formatText, request) is not { } text)
        {
            return Problems.Field(400, "format", "must be 'json' or 'text'");
        }
        int? maxTokens = null;
        if (maxTokensText is not null)
        {
            if (!int.TryParse(maxTokensText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < ContextBudget.MinTokens || n > ContextBudget.MaxTokens)
            {
                return Problems.Field(400, "max_tokens", $"must be a whole number from {ContextBudget.MinTokens} to {ContextBudget.MaxTokens}");
            }
            maxTokens = n;
        }
        var previous = SessionHistory.Default;
        if (previousText is not null
            && (!int.TryParse(previousText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out previous) || previous > SessionHistory.Max))
        {
            return Problems.Field(400, "previous_sessions", $"must be a whole number from 0 to {SessionHistory.Max}");
        }
        var tokenizerName = tokenizerText ?? ContextTokenizers.Default;
        // Only the name here: a plain JSON read never builds a tokenizer.
        if (!ContextTokenizers.Names.Contains(tokenizerName, StringComparer.Ordinal))
        {
            return Problems.Field(400, "tokenizer", $"must be one of {string.Join(", ", ContextTokenizers.Names)}");
        }
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 200)
        {
            return Problems.Field(400, "user_id", "must be 1 to 200 characters");
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            var read = await grains.GetContextAsync(ProjectKeyAuthentication.ProjectOf(user), userId, limit, lookback, ct, confirmedOnly, previous);
            metrics.ContextReads.Add(1);
            metrics.ContextReadMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!read.FromGrain)
            {
                metrics.ContextStorageReads.Add(1);
            }
            // Tells a caller (and the fault tests) whether the live grain answered or storage stood in.
            response.Headers[ContextSourceHeader] = read.FromGrain ? "grain" : "storage";
            // Which version of the project's rules the patterns come from (GET /rules reports the current one).
            response.Headers[RulesVersionHeader] = read.RulesVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var json = GeneratedAt.Stamp(read.Json, time.GetUtcNow());
            if (!text && maxTokens is null && tokenizerText is null)
            {
                return TypedResults.File(json, "application/json");
            }
            return Serve(json, text, maxTokens, tokenizerName, ContextTokenizers.Get(tokenizerName)!, response);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // Neither the grain nor storage answered (e.g. the database is down): a retryable 503.
            return Problems.Unavailable($"The user's context could not be read ({ex.GetType().Name}); retry.");
        }
    }

    /// <summary>The text form and/or a token budget, applied to the document the grain (or storage) rendered.</summary>
    private static Results<FileContentHttpResult, ProblemHttpResult> Serve(byte[] json, bool text, int? maxTokens, string tokenizerName, Tokenizer tokenizer, HttpResponse response)
    {
        var contentType = text ? TextContentType : "application/json";
        ContextText.Parts? parts = null;
        if (text)
        {
            using var doc = JsonDocument.Parse(json);
            parts = ContextText.Read(doc.RootElement);
        }
        ContextBudget.Fit fit;
        if (maxTokens is { } budget)
        {
            fit = parts is not null ? ContextBudget.FitText(parts, budget, tokenizer) : ContextBudget.FitJson(json, budget, tokenizer);
            if (fit.Body is null)
            {
                return Problems.Field(400, "max_tokens", $"must be at least {fit.MinimumTokens} for this user's context ({tokenizerName}): what is always kept (header and summary; in JSON every field but events and patterns) takes that many tokens");
            }
        }
        else
        {
            var body = parts is not null ? ContextText.Render(parts) : Encoding.UTF8.GetString(json);
            fit = new ContextBudget.Fit(body, tokenizer.CountTokens(body), 0, 0, 0);
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        response.Headers[TokensHeader] = fit.Tokens.ToString(inv);
        response.Headers[EventsDroppedHeader] = fit.EventsDropped.ToString(inv);
        response.Headers[PatternsDroppedHeader] = fit.PatternsDropped.ToString(inv);
        response.Headers[PreviousSessionsDroppedHeader] = fit.PreviousSessionsDropped.ToString(inv);
        response.Headers[TokenizerHeader] = tokenizerName;
        return TypedResults.File(Encoding.UTF8.GetBytes(fit.Body!), contentType);
    }
}
