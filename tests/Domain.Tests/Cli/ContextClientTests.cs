using System.Text;
using SessionInsights.Cli.Load;

namespace SessionInsights.Domain.Tests.Cli;

public class ContextClientTests
{
    private static readonly Guid Id = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");

    [Fact]
    public void FindsTheEvent_ByRawEventId_AnyCase()
    {
        var json = $$"""{"user_id":"u","recent_events":[{"raw_event_id":"x"},{"raw_event_id":"{{Id.ToString().ToUpperInvariant()}}"}],"patterns":[]}""";

        Assert.True(ContextClient.Contains(Encoding.UTF8.GetBytes(json), Id));
    }

    [Theory]
    [InlineData("""{"user_id":"u","recent_events":[],"last_session_summary":null,"patterns":[]}""")]
    [InlineData("""{"user_id":"u","recent_events":[{"raw_event_id":"0193a1b2-0000-7000-8000-000000000002"}]}""")]
    [InlineData("""{"user_id":"u"}""")]
    public void OtherwiseNot(string json) => Assert.False(ContextClient.Contains(Encoding.UTF8.GetBytes(json), Id));
}
