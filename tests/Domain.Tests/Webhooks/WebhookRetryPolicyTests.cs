using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Domain.Tests.Webhooks;

public sealed class WebhookRetryPolicyTests
{
    private static readonly WebhookRetryPolicy Policy = new(maxAttempts: 5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public void A_2xx_is_delivered(int status) => Assert.Equal((WebhookOutcome.Delivered, (TimeSpan?)null), Policy.Judge(1, status));

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(null)]
    public void Server_errors_timeouts_and_no_answer_are_retried_with_a_doubling_capped_delay(int? status)
    {
        Assert.Equal(
            [(WebhookOutcome.Retry, TimeSpan.FromSeconds(1)), (WebhookOutcome.Retry, TimeSpan.FromSeconds(2)), (WebhookOutcome.Retry, TimeSpan.FromSeconds(4)), (WebhookOutcome.Retry, TimeSpan.FromSeconds(5))],
            Enumerable.Range(1, 4).Select(attempts => Policy.Judge(attempts, status)).Select(j => (j.Outcome, j.RetryAfter!.Value)));
        // The fifth attempt was the last.
        Assert.Equal((WebhookOutcome.Failed, (TimeSpan?)null), Policy.Judge(5, status));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(301)]
    public void Other_answers_are_refusals_and_fail_at_once(int status) =>
        Assert.Equal((WebhookOutcome.Failed, (TimeSpan?)null), Policy.Judge(1, status));

    [Fact]
    public void A_long_run_of_failures_does_not_overflow_the_delay() =>
        Assert.Equal(TimeSpan.FromSeconds(5), new WebhookRetryPolicy(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)).Delay(49));
}
