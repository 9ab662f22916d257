using Microsoft.Extensions.Time.Testing;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;
using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Domain;

public sealed class DeviceModelOfflineTests
{
    private readonly FakeTimeProvider _time = new(T0);
    private readonly DeviceModel _model = new("d1", new DeviceState(), TestRules.Options(o => o.OfflineAfter = TimeSpan.FromMinutes(5)));

    [Fact]
    public void A_device_silent_for_its_offline_window_is_marked_offline_with_an_alarm()
    {
        _model.Receive(Reading("d1", 1, 20), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(4.99));
        Assert.False(_model.CheckOffline(_time.GetUtcNow()));
        Assert.Equal(T0.AddMinutes(5), _model.OfflineAt);

        _time.Advance(TimeSpan.FromMinutes(0.01));
        Assert.True(_model.CheckOffline(_time.GetUtcNow()));
        Assert.True(_model.State.Offline);
        var alarm = Assert.Single(_model.Alarms(includeCleared: false));
        Assert.Equal((AlarmRules.OfflineRuleId, T0.AddMinutes(5)), (alarm.RuleId, alarm.RaisedAt));
        Assert.False(_model.CheckOffline(_time.GetUtcNow().AddHours(1))); // once
    }

    [Fact]
    public void The_next_event_brings_the_device_online_and_clears_the_offline_alarm()
    {
        _model.Receive(Reading("d1", 1, 20), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(6));
        _model.CheckOffline(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(1));

        _model.Receive(Reading("d1", 2, 21), _time.GetUtcNow());
        Assert.False(_model.State.Offline);
        var alarm = Assert.Single(_model.Alarms(includeCleared: true));
        Assert.Equal((AlarmState.Cleared, "online", T0.AddMinutes(7)), (alarm.State, alarm.ClearReason!, alarm.ClearedAt!.Value));
    }

    [Fact]
    public void A_duplicate_does_not_count_as_a_sign_of_life()
    {
        _model.Receive(Reading("d1", 1, 20), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(4));
        _model.Receive(Reading("d1", 1, 20), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(_model.CheckOffline(_time.GetUtcNow()));
    }

    [Fact]
    public void A_device_that_reported_shutdown_goes_offline_without_an_alarm()
    {
        _model.Receive(Status("d1", 1, DeviceStatus.Shutdown), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(_model.CheckOffline(_time.GetUtcNow()));
        Assert.Empty(_model.Alarms(includeCleared: true));
    }

    [Fact]
    public void A_device_that_never_reported_is_never_offline()
    {
        _time.Advance(TimeSpan.FromDays(1));
        Assert.False(_model.CheckOffline(_time.GetUtcNow()));
        Assert.Null(_model.OfflineAt);
    }
}
