using System.Collections.Concurrent;
using System.Net;
using System.Text;
using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>One request the receiver got, with what it checked.</summary>
public sealed record ReceivedWebhook(
    string DeliveryId, string Kind, int Attempt, long Timestamp, string Signature, bool SignatureValid, string Body, DateTimeOffset ReceivedAt, int Answered);

/// <summary>
/// A real HTTP receiver (HttpListener on 127.0.0.1) for webhook tests: it checks every request's
/// signature with the endpoint's secret, records it, and answers 500 to the first
/// <c>failFirst</c> attempts of each delivery id, 200 after.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _secret;
    private readonly int _failFirst;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Task _loop;

    public WebhookReceiver(int port, string secret, int failFirst)
    {
        _secret = secret;
        _failFirst = failFirst;
        Url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Delivery ids answered with 200.</summary>
    public IReadOnlyList<string> Delivered => [.. _received.Where(r => r.Answered == 200).Select(r => r.DeliveryId).Distinct()];

    /// <summary>Forgets what was received (a test's warm-up); attempts per id are still counted.</summary>
    public void Clear() => _received.Clear();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            body = reader.ReadToEnd();
        }
        var id = request.Headers[WebhookHeaders.Delivery] ?? "";
        _ = long.TryParse(request.Headers[WebhookHeaders.Timestamp], out var timestamp);
        _ = int.TryParse(request.Headers[WebhookHeaders.Attempt], out var attempt);
        var signature = request.Headers[WebhookHeaders.Signature] ?? "";
        var valid = WebhookSignature.Verify(_secret, timestamp, body, signature);
        var seen = _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
        var status = !valid ? 401 : seen <= _failFirst ? 500 : 200;
        _received.Enqueue(new ReceivedWebhook(id, request.Headers[WebhookHeaders.Event] ?? "", attempt, timestamp, signature, valid, body, DateTimeOffset.UtcNow, status));
        context.Response.StatusCode = status;
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
