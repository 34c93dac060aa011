using SessionInsights.Grains.Hosting;

namespace SessionInsights.Grains.Users;

/// <summary>
/// Pending patterns (a negative time window not yet passed) become confirmed on a grain timer armed at
/// the earliest window's end: no polling, and the stored session rows and session views show the new
/// status without waiting for another event.
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>
    /// The longest a pending pattern keeps an idle user in memory. A rule may have a window of days;
    /// holding every such user that long would fill the silos, so past this the grain leaves as usual
    /// and the pattern is confirmed at its next activation (a read or an event).
    /// </summary>
    private static readonly TimeSpan MaxHeldForConfirmation = TimeSpan.FromHours(1);

    private IGrainTimer? _confirmTimer;
    private DateTimeOffset? _confirmAt;

    /// <summary>Confirms what is due, stores the rows that changed and arms the timer for the next deadline.</summary>
    private Task ConfirmPatterns()
    {
        _confirmAt = null;
        var rows = _activity.ConfirmPatterns(Now);
        StoreChangedRows(rows);
        RecordConfirmations();
        PushStream();
        ScheduleConfirmation();
        if (rows.Count > 0)
        {
            RequestFlush();
        }
        return Task.CompletedTask;
    }

    private void ScheduleConfirmation()
    {
        var now = Now;
        if (_activity.NextPatternConfirmation() is not { } due || (_confirmAt is { } planned && planned <= due))
        {
            return;
        }
        // Same cap as the idle timer: a timer cannot wait more than about 49 days.
        if (due - now > MaxIdleTimerDelay)
        {
            due = now + MaxIdleTimerDelay;
        }
        _confirmAt = due;
        _confirmTimer ??= this.RegisterGrainTimer(ConfirmPatterns,
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
        var wait = due > now ? due - now : TimeSpan.Zero;
        _confirmTimer.Change(wait, Timeout.InfiniteTimeSpan);
        // Timer ticks do not count as activity: without this, an idle grain (Grains:PassivateAfter,
        // 2 minutes) leaves memory long before a 20-minute window ends, and the stored row would stay
        // pending until the user's next event. An activation that does go (silo shutdown) confirms on
        // its next activation instead.
        if (wait <= MaxHeldForConfirmation)
        {
            DelayDeactivation(wait + TimeSpan.FromSeconds(5));
        }
    }
}
