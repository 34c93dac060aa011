using System.Text;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Grains.Webhooks;

/// <summary>
/// Sends one delivery attempt: a signed POST with the stored payload, bounded by the timeout. One
/// HttpClient for the process (a pooled handler whose connections are renewed every few minutes, so
/// DNS changes are seen), which is what IHttpClientFactory would give without another package.
/// Redirects are not followed: a 3xx is an answer, and a signed body should not go elsewhere.
/// </summary>
public sealed class WebhookSender(TimeProvider time) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    /// <summary>The status the receiver answered with, or null and why none came.</summary>
    public async Task<(int? Status, string? Error)> SendAsync(WebhookDelivery delivery, WebhookEndpoint endpoint, TimeSpan timeout, CancellationToken ct)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookHeaders.Signature, WebhookSignature.Compute(endpoint.Secret, timestamp, delivery.Payload));
        request.Headers.Add(WebhookHeaders.Timestamp, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.Delivery, delivery.Id.ToString("D"));
        request.Headers.Add(WebhookHeaders.Event, delivery.Kind);
        request.Headers.Add(WebhookHeaders.Attempt, (delivery.Attempts + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return (status, status is >= 200 and < 300 ? null : $"HTTP {status} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.HttpRequestError is HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
