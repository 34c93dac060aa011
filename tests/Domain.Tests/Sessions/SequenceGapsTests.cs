using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Tests.Sessions;

public class SequenceGapsTests
{
    [Fact]
    public void Consecutive_updates_leave_no_gap()
    {
        var gaps = new SequenceGaps(window: 200);
        gaps.Arrived([1, 2, 3]);
        gaps.Arrived([4]);
        Assert.False(gaps.Any);
        Assert.Equal(4, gaps.Highest);
    }

    [Fact]
    public void An_update_that_skips_numbers_is_a_gap_until_they_arrive()
    {
        var gaps = new SequenceGaps(window: 200);
        gaps.Arrived([1, 2]);
        gaps.Arrived([5, 6]);
        Assert.True(gaps.Any);
        gaps.Arrived([3]);
        Assert.True(gaps.Any);
        gaps.Arrived([4]);
        Assert.False(gaps.Any);
        Assert.Equal(6, gaps.Highest);
    }

    [Fact]
    public void A_first_update_that_does_not_start_at_one_is_a_gap()
    {
        var gaps = new SequenceGaps(window: 200);
        gaps.Arrived([3]);
        Assert.True(gaps.Any);
    }

    [Fact]
    public void Numbers_older_than_the_window_are_not_tracked()
    {
        var gaps = new SequenceGaps(window: 10);
        gaps.Arrived([1]);
        gaps.Arrived([100]);
        Assert.True(gaps.Any);
        gaps.Arrived(Enumerable.Range(90, 10));
        Assert.False(gaps.Any);
        gaps.Arrived(Enumerable.Range(101, 30));
        Assert.False(gaps.Any);
    }

    [Fact]
    public void A_load_that_covers_a_missing_number_without_it_drops_it_as_outside_the_window()
    {
        var gaps = new SequenceGaps(window: 200);
        gaps.Arrived([1, 2]);
        gaps.Arrived([4]);
        gaps.Loaded([3, 4]);
        Assert.False(gaps.Any);

        gaps.Arrived([7]);
        gaps.Loaded([4, 5]);
        Assert.True(gaps.Any);
        gaps.Loaded([5, 6, 7]);
        Assert.False(gaps.Any);
    }
}
