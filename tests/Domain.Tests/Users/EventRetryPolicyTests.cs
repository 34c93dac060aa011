using System.Text.Json;
using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Tests.Users;

public sealed class EventRetryPolicyTests
{
    private static readonly EventRetryPolicy Policy = EventRetryPolicy.Default;

    [Fact]
    public void A_transient_failure_is_retried_after_1_2_and_4_seconds_then_is_a_dead_letter()
    {
        var uuid = Guid.NewGuid();
        var ex = new TimeoutException("slow");

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), null],
            Enumerable.Range(0, 4).Select(previous => Policy.OnFailure(uuid, ex, previous).RetryAfter));
        var dead = Policy.OnFailure(uuid, ex, previousAttempts: 3);
        Assert.Equal((uuid, "TimeoutException: slow", 4), (dead.Uuid, dead.Reason, dead.Attempts));
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(ArgumentOutOfRangeException))]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(JsonException))]
    public void A_failure_that_says_the_event_is_invalid_is_a_dead_letter_at_once(Type type)
    {
        var failure = Policy.OnFailure(Guid.NewGuid(), (Exception)Activator.CreateInstance(type, "bad")!, previousAttempts: 0);

        Assert.Null(failure.RetryAfter);
        Assert.Equal(1, failure.Attempts);
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(NullReferenceException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(TimeoutException))]
    public void An_unexpected_failure_may_be_transient(Type type) =>
        Assert.False(EventRetryPolicy.IsPermanent((Exception)Activator.CreateInstance(type, "x")!));

    [Fact]
    public void Delays_double_up_to_the_cap_and_zero_retries_dead_letter_at_once()
    {
        var policy = new EventRetryPolicy(20, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromSeconds(32), policy.DelayBefore(6));
        Assert.Equal(TimeSpan.FromMinutes(1), policy.DelayBefore(7));
        Assert.Equal(TimeSpan.FromMinutes(1), policy.DelayBefore(20));
        Assert.Null((policy with { RetryAttempts = 0 }).OnFailure(Guid.NewGuid(), new TimeoutException(), 0).RetryAfter);
    }
}
