using System.Net.Http.Headers;
using System.Text.Json;

namespace SupportBot;

/// <summary>The context as the gateway answered it, with what its token headers say.</summary>
public sealed record UserContext(string Text, string Tokens, string Tokenizer, string EventsDropped, string PatternsDropped, string PreviousSessionsDropped);

/// <summary>An answer other than 2xx, described by its problem details (title and detail).</summary>
public sealed class GatewayException(int status, string message) : Exception(message)
{
    /// <summary>5xx: the gateway or its cluster is busy or restarting; the listener tries again.</summary>
    public bool Retryable => status >= 500;
}

/// <summary>The two Session Insights calls the bot makes, over plain HttpClient.</summary>
public sealed class Gateway(HttpClient http, string? key, string user, int maxTokens)
{
    public async Task<UserContext> ReadContextAsync(CancellationToken ct)
    {
        using var request = Request($"/session/context/{Uri.EscapeDataString(user)}?format=text&max_tokens={maxTokens}");
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        string Header(string name) => response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "?";
        return new UserContext(await response.Content.ReadAsStringAsync(ct),
            Header("X-Context-Tokens"), Header("X-Context-Tokenizer"), Header("X-Context-Events-Dropped"),
            Header("X-Context-Patterns-Dropped"), Header("X-Context-Previous-Sessions-Dropped"));
    }

    /// <summary>Opens the live stream; answers once the gateway has subscribed (it sends its headers after that).</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string? lastEventId, CancellationToken ct)
    {
        using var request = Request($"/session/stream/{Uri.EscapeDataString(user)}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await EnsureSuccessAsync(response, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private HttpRequestMessage Request(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(ct);
        var message = $"HTTP {status}";
        try
        {
            // Problem details (RFC 7807): the title, and the detail naming the field at fault.
            var problem = JsonDocument.Parse(body).RootElement;
            if (problem.TryGetProperty("title", out var title))
            {
                message += $" {title.GetString()}";
            }
            if (problem.TryGetProperty("detail", out var detail))
            {
                message += $": {detail.GetString()}";
            }
        }
        catch (JsonException)
        {
            message += $" {body}";
        }
        throw new GatewayException(status, message);
    }
}
