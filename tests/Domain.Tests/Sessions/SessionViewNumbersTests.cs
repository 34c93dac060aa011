using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Tests.Sessions;

public class SessionViewNumbersTests
{
    [Fact]
    public void A_short_session_needs_each_of_its_numbers_once()
    {
        Assert.True(SessionViewNumbers.HoldsLatest([3, 1, 2], eventCount: 3, kept: 200));
        Assert.False(SessionViewNumbers.HoldsLatest([1, 2], eventCount: 3, kept: 200));
        // A copy numbered by an activation that died: two events claim 2, none has 3.
        Assert.False(SessionViewNumbers.HoldsLatest([1, 2, 2], eventCount: 3, kept: 200));
        Assert.False(SessionViewNumbers.HoldsLatest([1, 2, 4], eventCount: 3, kept: 200));
    }

    [Fact]
    public void A_session_of_exactly_the_kept_size_is_still_checked_number_by_number()
    {
        Assert.True(SessionViewNumbers.HoldsLatest([.. Enumerable.Range(1, 5)], eventCount: 5, kept: 5));
        Assert.False(SessionViewNumbers.HoldsLatest([1, 2, 3, 4, 4], eventCount: 5, kept: 5));
    }

    [Fact]
    public void A_long_session_keeps_its_latest_by_time_which_need_not_be_the_latest_numbers()
    {
        // 12 events, 5 kept: by time the latest are 7, 9, 10, 11, 12 (8 came with an earlier clock).
        Assert.True(SessionViewNumbers.HoldsLatest([7, 9, 10, 11, 12], eventCount: 12, kept: 5));
        Assert.False(SessionViewNumbers.HoldsLatest([9, 10, 11, 12], eventCount: 12, kept: 5));
        Assert.False(SessionViewNumbers.HoldsLatest([9, 9, 10, 11, 12], eventCount: 12, kept: 5));
        Assert.False(SessionViewNumbers.HoldsLatest([9, 10, 11, 12, 13], eventCount: 12, kept: 5));
    }
}
