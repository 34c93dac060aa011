using SessionInsights.Cli.Load;

namespace SessionInsights.Domain.Tests.Cli;

public class UserWavesTests
{
    [Fact]
    public void Every_user_sends_exactly_its_events_then_the_waves_are_exhausted()
    {
        var waves = new UserWaves(users: 50, eventsPerUser: 10, activeUsers: 7);
        var random = new Random(3);
        var sent = new int[50];
        while (!waves.Exhausted)
        {
            sent[waves.Next(random)]++;
        }

        Assert.All(sent, n => Assert.Equal(10, n));
        Assert.Throws<InvalidOperationException>(() => waves.Next(random));
    }

    [Fact]
    public void No_more_than_the_active_users_are_between_their_first_and_last_event()
    {
        var waves = new UserWaves(users: 200, eventsPerUser: 5, activeUsers: 10);
        var random = new Random(1);
        var sent = new int[200];
        var busy = new HashSet<int>();
        var mostBusy = 0;
        while (!waves.Exhausted)
        {
            var user = waves.Next(random);
            busy.Add(user);
            if (++sent[user] == 5)
            {
                busy.Remove(user);
            }
            mostBusy = Math.Max(mostBusy, busy.Count);
        }

        Assert.Equal(10, mostBusy);
    }

    [Fact]
    public void Users_arrive_in_id_order()
    {
        var waves = new UserWaves(users: 100, eventsPerUser: 3, activeUsers: 5);
        var random = new Random(9);
        var sent = new int[100];
        var finished = 0;
        while (!waves.Exhausted)
        {
            var user = waves.Next(random);
            Assert.True(user < finished + 5, $"user {user} sent before {finished + 5} users had a turn");
            if (++sent[user] == 3)
            {
                finished++;
            }
        }

        Assert.Equal(100, finished);
    }

    [Fact]
    public void A_generator_with_events_per_user_ends()
    {
        var generator = new TrafficGenerator(users: 30, sessionsPerUser: 1, seed: 1, eventsPerUser: 4, activeUsers: 8);
        var events = new List<GeneratedEvent>();
        while (!generator.Exhausted)
        {
            events.Add(generator.Next(DateTimeOffset.UtcNow));
        }

        Assert.Equal(120, events.Count);
        Assert.All(events.GroupBy(e => e.UserId), g => Assert.Equal(4, g.Count()));
    }
}
