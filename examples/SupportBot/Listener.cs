using System.Net.ServerSentEvents;
using System.Text.Json;

namespace SupportBot;

/// <summary>
/// Follows <c>GET /session/stream/{user_id}</c>: one line per item; a HIGH or confirmed pattern prints
/// the proactive message and the refreshed prompt; a reset re-reads the context; a dropped connection
/// is resumed with Last-Event-ID after the stream's <c>retry:</c> interval, so nothing is missed.
/// </summary>
public sealed class Listener(Gateway gateway, string question, int? maxItems)
{
    /// <summary>Patterns already greeted (session and code): a pending HIGH one confirmed later is not greeted twice.</summary>
    private readonly HashSet<string> _greeted = [];
    private string? _lastId;
    private TimeSpan _retry = TimeSpan.FromSeconds(1);
    private int _items;

    public async Task RunAsync(CancellationToken ct)
    {
        while (true)
        {
            SseParser<string>? parser = null;
            try
            {
                using var response = await gateway.OpenStreamAsync(_lastId, ct);
                Console.WriteLine(_lastId is null ? "listening (Ctrl+C to stop)" : $"reconnected after id {_lastId}");
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                parser = SseParser.Create(body);
                await foreach (var item in parser.EnumerateAsync(ct))
                {
                    if (await OnItemAsync(item, ct))
                    {
                        return;
                    }
                }
                Console.WriteLine("the gateway closed the stream");
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or IOException or GatewayException { Retryable: true })
            {
                Console.WriteLine($"connection lost: {ex.Message}");
            }
            if (parser?.ReconnectionInterval is { } retry && retry > TimeSpan.Zero && retry != Timeout.InfiniteTimeSpan)
            {
                _retry = retry;
            }
            Console.WriteLine($"reconnecting in {_retry.TotalSeconds:0.#} s");
            await Task.Delay(_retry, ct);
        }
    }

    /// <summary>Prints one item; true when <c>--max-items</c> is reached.</summary>
    private async Task<bool> OnItemAsync(SseItem<string> item, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(item.EventId))
        {
            // A reset has no id: the last one stays, as EventSource keeps it.
            _lastId = item.EventId;
        }
        var data = JsonDocument.Parse(item.Data).RootElement;
        string Get(string name) => data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        switch (item.EventType)
        {
            case "event":
                Console.WriteLine($"event {item.EventId}  {Get("page_path")}  {Get("semantic_label")}");
                break;
            case "pattern" or "pattern_confirmed":
                Console.WriteLine($"{item.EventType} {item.EventId}  {Get("severity")} {Get("status")}  {Get("description")}");
                if ((Get("severity") == "HIGH" || Get("status") == "confirmed") && _greeted.Add($"{Get("session_id")}\n{Get("code")}"))
                {
                    var context = await gateway.ReadContextAsync(ct);
                    Console.Write(Prompt.Build(context, Prompt.AssistantTurn(Prompt.Proactive(Get("description")))));
                }
                break;
            case "reset":
                Console.WriteLine($"reset  {Get("reason")}: re-reading the context");
                Console.Write(Prompt.Build(await gateway.ReadContextAsync(ct), Prompt.UserTurn(question)));
                break;
            default:
                // Newer item types: shown, not acted on.
                Console.WriteLine($"{item.EventType} {item.EventId}  {item.Data}");
                break;
        }
        return maxItems is { } max && ++_items >= max;
    }
}
